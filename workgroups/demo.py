"""Demo data for the working groups (fictional people; institution types from seed 002 and the
Łódzkie seeds): members, two years of meetings with attendance, adopted minutes, resolutions,
action items in every state (some overdue), one draft under comment and upcoming meetings.
Documents (a DOCX built with python-docx, a PDF rendered by WeasyPrint, both from seed text) are
attached to agenda items of the latest held and the next planned meeting.
Idempotent: a group that already has members is left alone; documents are added once."""

from __future__ import annotations

from datetime import date, time, timedelta
from html import escape

from sqlalchemy import select

from coordination import clock
from coordination.auth.models import User
from coordination.extensions import db
from coordination.places import genitive, locative
from coordination.tenancy import tenant_context
from coordination.workdays import next_working_day, previous_working_day, working_deadline
from workgroups.models import AgendaItem, Group, GroupMember, Meeting, MeetingDocument
from workgroups.queries.labels import lower_first
from workgroups.queries.meetings import attendance_quorum
from workgroups.queries.minutes import sections
from workgroups.services import documents as document_services
from workgroups.services import groups as group_services
from workgroups.services import meetings as meeting_services
from workgroups.services import minutes as minutes_services
from workgroups.services import records

#: fictional people (never the names in the seed documents).
PEOPLE = ("Anna Nowakowska", "Bartosz Wiśniewski", "Celina Kaczmarek", "Dariusz Zieliński", "Ewa Lewandowska",
          "Filip Dąbrowski", "Grażyna Mazur", "Henryk Krawczyk", "Iwona Jabłońska", "Jacek Wróbel",
          "Katarzyna Pawlak", "Leszek Sikora", "Małgorzata Baran", "Norbert Górecki", "Olga Rutkowska",
          "Paweł Michalak")
ASCII = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ ", "acelnoszzACELNOSZZ.")
#: (category, institution pattern); {city_gen} / {city_loc} are filled per region, declined;
#: {operator} is the region's operator (Regionalne Centrum Polityki Społecznej w Łodzi …).
INSTITUTIONS = (
    ("rops", "{operator}"),
    ("owes", "OWES w {city_loc}"),
    ("owes", "Ośrodek Wsparcia Ekonomii Społecznej w {city_loc}"),
    ("pes", "Spółdzielnia Socjalna „Razem” w {city_loc}"),
    ("pes", "Zakład Aktywności Zawodowej w {city_loc}"),
    ("jst", "Urząd Miasta {city_gen}"),
    ("labour_office", "Powiatowy Urząd Pracy w {city_loc}"),
    ("lgd", "Lokalna Grupa Działania „Dolina”"),
    ("university", "Uniwersytet – Wydział Nauk Społecznych"),
    ("business", "Izba Gospodarcza w {city_loc}"),
)
ROLES = ("chair", "deputy", "secretary") + ("member",) * 6 + ("observer",)
CITIES = {"wielkopolskie": ("Kalisz", "Konin", "Leszno", "Piła", "Poznań"),
          "lodzkie": ("Łódź", "Sieradz", "Skierniewice", "Piotrków Trybunalski", "Kutno")}
PLACES = {"wielkopolskie": "ROPS w Poznaniu, ul. Nowowiejskiego 11, sala 205",
          "lodzkie": "RCPS w Łodzi, ul. Snycerska 8, sala konferencyjna"}
TOPICS = ("Plan pracy grupy na bieżący rok", "Informacja o działaniach OWES w subregionach",
          "Promocja produktów i usług podmiotów ekonomii społecznej", "Klauzule społeczne w zamówieniach JST",
          "Podsumowanie corocznej ankiety Komitetu", "Współpraca z biznesem i marka regionalna")
#: each group meets at its own hour (the committee at 10:00; no two groups start within the
#: same hour), so the calendar does not show all five at once: (start, end of a past meeting,
#: end of a planned one).
HOURS = ((time(10, 0), time(13, 0), time(12, 30)), (time(9, 0), time(11, 30), time(11, 0)),
         (time(11, 30), time(14, 0), time(13, 30)), (time(13, 0), time(15, 30), time(15, 0)),
         (time(12, 0), time(14, 30), time(14, 0)))
DEMO_MEMBER = {"wielkopolskie": "czlonek.wielkopolskie@example.org", "lodzkie": "czlonek.lodzkie@example.org"}
COORDINATOR = {"wielkopolskie": "koordynator.wielkopolskie@example.org", "lodzkie": "koordynator.lodzkie@example.org"}


def seed(tenants: dict) -> None:
    """Fill the demo groups of Wielkopolskie and Łódzkie (skips groups that have members)."""
    for slug in ("wielkopolskie", "lodzkie"):
        tenant = tenants.get(slug)
        if tenant is None:
            continue
        coordinator = db.session.scalar(select(User).where(User.email == COORDINATOR[slug]))
        demo_member = db.session.scalar(select(User).where(User.email == DEMO_MEMBER[slug]))
        with tenant_context(tenant.id):
            groups = db.session.scalars(select(Group).order_by(Group.kind != "committee", Group.id)).all()
            for index, group in enumerate(groups):
                if not db.session.scalar(select(GroupMember.id).where(GroupMember.group_id == group.id)):
                    _seed_group(tenant, group, index, coordinator, demo_member if index < 2 else None)
                _seed_documents(group, index, coordinator)


def meeting_day(offset_days: int, index: int) -> date:
    """A plausible meeting day ``offset_days`` from today (negative: in the past) for the
    ``index``-th group: groups a few days apart, always a working day (no weekend, no public
    holiday such as 24–26 December or 1 January) and never in the week between Christmas and
    New Year, when offices work on a skeleton staff."""
    day = next_working_day(clock.today() + timedelta(days=offset_days + 2 * index))
    while _year_end_break(day):
        day = next_working_day(day + timedelta(days=1))
    return day


def _year_end_break(day: date) -> bool:
    """24–31 December: no demo meeting is held between Christmas Eve and New Year."""
    return (day.month, day.day) >= (12, 24)


def _seed_group(tenant, group: Group, index: int, coordinator: User, demo_member: User | None) -> None:
    slug = tenant.slug
    cities = CITIES[slug]
    start = date(clock.today().year - 2, 1, 1)
    members = []
    for i, role in enumerate(ROLES):
        category, institution = INSTITUTIONS[(i + index) % len(INSTITUTIONS)]
        person = (i * 3 + index) % len(PEOPLE)
        name = PEOPLE[person]
        # the coordinator set the title form of most people (PEOPLE alternate women and men);
        # observers keep the neutral default
        data = {"full_name": name, "title_form": "" if role == "observer" else "fm"[person % 2],
                "email": f"{name.translate(ASCII).lower()}.{index}@example.org",
                "institution": institution.format(operator=tenant.operator_name,
                                                  city_gen=genitive(cities[i % len(cities)]),
                                                   city_loc=locative(cities[i % len(cities)])), "category": category,
                "role": role, "date_from": start}
        if role == "member" and demo_member is not None and not any(m.user_id for m in members):
            data = dict(data, user_id=demo_member.id, full_name=None, email=None, category="owes", title_form="")
        members.append(group_services.add_member(group, data, actor=coordinator))
    # one membership that ended (history)
    group_services.end_member(members[-2], start + timedelta(days=400), actor=coordinator)
    agenda = [{"title": "Otwarcie posiedzenia i przyjęcie porządku obrad", "presenter": members[0].full_name,
               "duration_minutes": 10},
              {"title": TOPICS[index % len(TOPICS)], "presenter": members[2].full_name, "duration_minutes": 45},
              {"title": TOPICS[(index + 1) % len(TOPICS)], "presenter": members[3].full_name, "duration_minutes": 30},
              {"title": "Sprawy różne i wolne wnioski", "duration_minutes": 15}]
    place = PLACES[slug]
    days = [meeting_day(-d, index) for d in (640, 520, 400, 280, 160, 45)]
    start_at, end_at, planned_end = HOURS[index % len(HOURS)]
    past = []
    for n, day in enumerate(days):
        meeting = meeting_services.create_meeting(
            group, {"title": "Posiedzenie Komitetu" if group.kind == "committee" else "Posiedzenie grupy roboczej",
                    "day": day,
                    "start_time": start_at, "end_time": end_at, "mode": "hybrid" if n % 2 else "in_person",
                    "place": place, "online_url": "https://spotkania.example.org/es" if n % 2 else None,
                    "chair_id": members[0].id, "minute_taker_id": members[2].id}, agenda, actor=coordinator)[0]
        on_day = meeting_services.members_on(meeting)
        rows = {m.id: ("present", None) for m in on_day}
        for j, m in enumerate(m for m in on_day if m.voting):
            if (j + n) % 5 == 0:
                rows[m.id] = ("excused", None)
            elif (j + n) % 7 == 0:
                rows[m.id] = ("substitute", "Zastępca z tej samej instytucji")
        meeting_services.record_attendance(meeting, rows, actor=coordinator)
        present = attendance_quorum(meeting, group).present
        if group.kind == "committee" or n % 2 == 0:
            records.add_resolution(meeting, group, {
                "subject": f"przyjęcia stanowiska w sprawie: {lower_first(TOPICS[(index + n) % len(TOPICS)])}",
                "votes_for": present - 2, "votes_against": 1 if n % 3 == 0 else 0, "votes_abstain": 1},
                actor=coordinator)
        owner = members[3 + n % 5]
        action = records.add_action(group, meeting, {
            "description": f"Przygotować materiał: {lower_first(TOPICS[(index + n + 2) % len(TOPICS)])}",
            "owner_id": owner.id, "due_date": working_deadline(day, 30)}, actor=coordinator)
        if n < len(days) - 2:
            records.update_action(action, group, {"status": "done", "note": "Wykonane."}, actor=coordinator, full=False)
        past.append(meeting)
    for prev, nxt in zip(past, past[1:], strict=False):
        minutes = minutes_services.create_draft(prev, group, actor=coordinator)
        minutes_services.adopt(minutes, prev, "meeting", None, nxt.id, actor=coordinator)
    last = past[-1]
    minutes = minutes_services.create_draft(last, group, actor=coordinator)
    if index == 0:
        # queued like in the product: the scheduler sends the draft (DOCX and PDF attached) with
        # a personal link to each attendee without an account (the demo mail sink shows them)
        minutes_services.send_for_comments(minutes, last, group, minutes_services.default_comment_deadline(),
                                           actor=coordinator)
        section = next(s for s in sections(minutes.body) if s.endswith(agenda[1]["title"]))
        if members[4].user_id:
            minutes_services.add_comment(minutes, section, "Proszę dopisać termin przekazania informacji przez OWES.",
                                         author=db.session.get(User, members[4].user_id))
        else:  # a contact without an account, as through the personal link
            minutes_services.add_comment(minutes, section, "Proszę dopisać termin przekazania informacji przez OWES.",
                                         member=members[4])
    if demo_member is not None:
        mine = next(m for m in members if m.user_id == demo_member.id)
        records.add_action(group, last, {"description": "Zebrać propozycje tematów na kolejne posiedzenie",
                                         "owner_id": mine.id, "due_date": _overdue_day()},
                           actor=coordinator)
        records.add_action(group, last, {"description": "Przesłać dane do sprawozdania rocznego",
                                         "owner_id": mine.id, "due_date": working_deadline(clock.today(), 20)},
                           actor=coordinator)
    if index == 1:
        # a meeting that took place on the last working day: its attendance is still to be
        # recorded (the register is offered on its page)
        meeting_services.create_meeting(
            group, {"title": "Posiedzenie robocze", "day": _last_working_day(), "start_time": start_at,
                    "end_time": end_at, "mode": "in_person", "place": place, "chair_id": members[0].id,
                    "minute_taker_id": members[2].id}, agenda, actor=coordinator)
    meeting_services.create_meeting(
        group, {"title": "Posiedzenie planowe", "day": meeting_day(21 + 5 * index, index),
                "start_time": start_at, "end_time": planned_end, "mode": "online",
                "online_url": "https://spotkania.example.org/es", "chair_id": members[0].id,
                "minute_taker_id": members[2].id}, agenda, actor=coordinator)


def _last_working_day() -> date:
    """The last working day before today (outside the year-end break)."""
    day = previous_working_day(clock.today() - timedelta(days=1))
    while _year_end_break(day):
        day = previous_working_day(day - timedelta(days=1))
    return day


def _overdue_day() -> date:
    """A working day about a week ago (a due date that has passed)."""
    day = next_working_day(clock.today() - timedelta(days=8))
    return day if day < clock.today() else clock.today() - timedelta(days=8)


def _topic_item(meeting: Meeting | None) -> AgendaItem | None:
    """The meeting's first agenda item after the opening (the topic discussed)."""
    if meeting is None:
        return None
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, ~AgendaItem.follow_up)
                               .order_by(AgendaItem.position)).all()
    return items[1] if len(items) > 1 else None


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    from coordination.exports.pdf import html_to_pdf

    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return html_to_pdf(f'<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>{escape(title)}</title>'
                       f"<style>body {{ font-family: 'DejaVu Sans', sans-serif; font-size: 11pt; }}</style>"
                       f"</head><body><h1>{escape(title)}</h1>{body}</body></html>")


def _seed_documents(group: Group, index: int, coordinator: User) -> None:
    """A DOCX on the topic of the latest held meeting and (first two groups) a PDF work plan in
    two versions on the next planned meeting; skipped when the group already has documents."""
    from coordination.exports.docx import markdown_docx

    if db.session.scalar(select(MeetingDocument.id).where(MeetingDocument.group_id == group.id)):
        return
    held = db.session.scalar(select(Meeting).where(Meeting.group_id == group.id, Meeting.status == "held")
                             .order_by(Meeting.day.desc()))
    planned = db.session.scalar(select(Meeting).where(Meeting.group_id == group.id, Meeting.status == "planned")
                                .order_by(Meeting.day))
    item = _topic_item(held)
    if item is not None:
        text = (f"# Materiał do punktu: {item.title}\n\n{group.name}, posiedzenie {held.label}.\n\n"
                "## Propozycje\n\n- zebrać informacje od OWES z subregionów,\n"
                "- uzgodnić wspólne stanowisko grupy,\n- przedstawić je Regionalnemu Komitetowi.\n")
        document_services.upload_document(held, group, item.id, f"Materiał: {item.title}",
                                          "material-do-punktu.docx", markdown_docx(text, title=item.title),
                                          actor=coordinator)
    item = _topic_item(planned)
    if index < 2 and item is not None:
        title = f"Projekt planu pracy – {group.name}"
        lines = ["Projekt do dyskusji na posiedzeniu; uwagi prosimy zgłaszać sekretarzowi grupy.",
                 "1. Spotkania co kwartał, w trybie hybrydowym.",
                 "2. Wspólna kampania promocyjna podmiotów ekonomii społecznej (żółta karta zakupów prospołecznych)."]
        document = document_services.upload_document(planned, group, item.id, title, "projekt-planu-pracy.pdf",
                                                     _pdf(title, lines), actor=coordinator)
        document_services.add_version(document, "projekt-planu-pracy-v2.pdf",
                                      _pdf(title + " (wersja 2)", [*lines, "3. Uwzględniono uwagi OWES."]),
                                      actor=coordinator)
