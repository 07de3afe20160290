"""Synthetic working groups for ``seed-synthetic`` (contract: coordination/synthetic.py).

Per region at scale 1: 5 groups (the Regional Committee and the four thematic groups; larger
scales repeat the thematic groups with a number and add task teams instead of a second
committee, since a region has one committee — also when the region already has one) × 12 members — the committee from
``people(tenant, "committee")``, the others from ``people(tenant, "member")`` — and, per group,
6 meetings a year over the synthetic 5 years (numbered per group and year, Warsaw wall-clock
times) with an agenda, attendance, minutes (adopted with a frozen version, a few corrected, the
latest and a few others still drafts), resolutions with votes and action items in every state
(open ones past their due date are overdue).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from coordination.auth.models import User
from coordination.extensions import db
from coordination.synthetic import EPOCH_END, YEARS, bulk_insert, count, first_id, people
from workgroups.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Group,
    GroupMember,
    Meeting,
    Minutes,
    MinutesVersion,
    Resolution,
)
from workgroups.queries.labels import lower_first

GROUPS_PER_TENANT = 5
MEMBERS_PER_GROUP = 12
MEETINGS_PER_YEAR = 6
#: (kind, name stem) in the order groups are written.
KINDS = (
    ("committee", "Regionalny Komitet Rozwoju Ekonomii Społecznej"),
    ("promotion", "Grupa robocza ds. promocji"),
    ("reintegration", "Grupa robocza ds. reintegracji"),
    ("education", "Grupa ds. edukacji i animacji"),
    ("business", "Grupa ds. sieciowania i współpracy z biznesem"),
)
#: the committee slot of later cohorts (a region has exactly one committee).
TASK_TEAM = ("custom", "Zespół zadaniowy ds. ekonomii społecznej")
DESCRIPTIONS = (
    "Wymiana doświadczeń i wypracowywanie wspólnych rozwiązań w regionie.",
    "Planowanie wspólnych przedsięwzięć i komunikatów o ekonomii społecznej.",
    "Sieciowanie specjalistów OWES oraz podmiotów reintegracyjnych (CIS, KIS, WTZ, ZAZ).",
)
#: roles of the 12 members, in order (chair, deputy and secretary manage the group).
ROLES = ("chair", "deputy", "secretary") + ("member",) * 7 + ("observer", "member")
INSTITUTIONS = (
    ("rops", "Regionalny Ośrodek Polityki Społecznej"), ("owes", "Ośrodek Wsparcia Ekonomii Społecznej"),
    ("pes", "Spółdzielnia Socjalna „Razem”"), ("pes", "Zakład Aktywności Zawodowej"),
    ("jst", "Urząd Miasta"), ("labour_office", "Powiatowy Urząd Pracy"),
    ("lgd", "Lokalna Grupa Działania „Dolina”"), ("university", "Uniwersytet – Wydział Nauk Społecznych"),
    ("business", "Izba Gospodarcza"), ("other", "Fundacja Inicjatyw Lokalnych"),
)
TOPICS = ("Plan pracy grupy na bieżący rok", "Informacja o działaniach OWES w subregionach",
          "Promocja znaku „Zakup Prospołeczny”", "Klauzule społeczne w zamówieniach JST",
          "Podsumowanie ankiety oceniającej koordynację ROPS", "Współpraca z biznesem i marka regionalna",
          "Sprawozdanie z realizacji RPRES", "Usługi społeczne świadczone przez PES")
TASKS = ("Przygotować materiał", "Zebrać dane od OWES", "Przesłać propozycję stanowiska",
         "Zorganizować spotkanie robocze", "Opracować harmonogram")
PLACE = "Urząd Marszałkowski, sala konferencyjna"
ONLINE = "https://spotkania.example.org/es"
ATTENDANCE_LABELS = {"present": "obecny", "absent": "nieobecny", "excused": "usprawiedliwiony",
                     "substitute": "zastępstwo"}
FIRST_YEAR = EPOCH_END.year - YEARS + 1
START = date(FIRST_YEAR, 1, 1)


def _groups(tenants, scale, rng) -> list[tuple[object, int, str, str]]:
    """Write the groups; return (tenant, group id, kind, name) in order."""
    rows, owners = [], []
    has_committee = set(db.session.scalars(select(Group.tenant_id).where(Group.kind == "committee")))
    for tenant in tenants.values():
        for i in range(count(GROUPS_PER_TENANT, scale)):
            kind, stem = KINDS[i % len(KINDS)]
            cohort = i // len(KINDS)
            if kind == "committee" and (cohort or tenant.id in has_committee):
                kind, stem = TASK_TEAM
            committee = kind == "committee"
            rows.append({
                "tenant_id": tenant.id,
                "name": stem if cohort == 0 else f"{stem} {cohort + 1}",
                "kind": kind,
                "description": rng.choice(DESCRIPTIONS),
                "status": "closed" if rng.random() < 0.1 else "active",
                "term_start": date(2023, 1, 1) if committee else None,
                "term_end": date(2025, 12, 31) if committee else None,
            })
            owners.append((tenant, kind, rows[-1]["name"]))
    ids = bulk_insert(Group, rows, returning=Group.id)
    return [(tenant, gid, kind, name) for (tenant, kind, name), gid in zip(owners, ids, strict=True)]


def _members(groups, rng) -> dict[int, list[dict]]:
    """12 members per group; return group id -> member rows (with ``id``) in role order."""
    accounts = {uid: (name, address) for uid, name, address in db.session.execute(
        select(User.id, User.full_name, User.email).where(User.email.like("syn.%")))}
    pools: dict[tuple[int, str], list[int]] = {}
    used: dict[tuple[int, str], int] = {}
    rows = []
    for tenant, gid, kind, _name in groups:
        pool_kind = "committee" if kind == "committee" else "member"
        key = (tenant.id, pool_kind)
        if key not in pools:
            pools[key] = people(tenant, pool_kind)
        pool = pools[key]
        start = used.get(key, 0)
        used[key] = start + MEMBERS_PER_GROUP
        for n, role in enumerate(ROLES):
            user_id = pool[(start + n) % len(pool)] if pool else None
            category, institution = rng.choice(INSTITUTIONS)
            rows.append({"tenant_id": tenant.id, "group_id": gid, "user_id": user_id,
                         # a member with an account is written to at the account's address
                         "full_name": accounts.get(user_id, ("Członek grupy",))[0],
                         "email": accounts[user_id][1] if user_id in accounts else None,
                         "institution": institution, "category": category, "role": role,
                         "substitute_for_id": None, "date_from": START, "date_to": None})
    ids = bulk_insert(GroupMember, rows, returning=GroupMember.id)
    out: dict[int, list[dict]] = {}
    for row, mid in zip(rows, ids, strict=True):
        row["id"] = mid
        out.setdefault(row["group_id"], []).append(row)
    return out


def _meeting_day(rng, year: int, n: int) -> date:
    day = date(year, 1 + 2 * n, rng.randint(4, 24))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _meetings(groups, rng) -> list[dict]:
    rows = []
    for tenant, gid, kind, _name in groups:
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
            for n in range(MEETINGS_PER_YEAR):
                day = _meeting_day(rng, year, n)
                mode = rng.choice(("in_person", "in_person", "online", "hybrid"))
                start = time(rng.choice((9, 10, 10, 11, 12)), rng.choice((0, 0, 30)))
                rows.append({
                    "tenant_id": tenant.id, "group_id": gid, "year": year, "number": n + 1,
                    "title": "Posiedzenie Komitetu" if kind == "committee" else "Posiedzenie grupy",
                    "day": day, "start_time": start,
                    "end_time": time(start.hour + rng.choice((2, 3)), start.minute),
                    "mode": mode, "place": None if mode == "online" else PLACE,
                    "online_url": None if mode == "in_person" else ONLINE,
                    "status": "cancelled" if rng.random() < 0.03 else "held",
                    "ical_uid": f"syn-{tenant.id}-{gid}-{year}-{n + 1}@sieci-es", "ical_sequence": 0,
                    "series_key": None, "chair_id": None, "minute_taker_id": None,
                    "invitations_sent_at": datetime.combine(day - timedelta(days=14), time(9, 0)),
                    "reminder_days": "7,1", "created_at": datetime.combine(day - timedelta(days=30), time(9, 0)),
                })
    return rows


def _body(meeting: dict, group_name: str, members: list[dict], present: dict[int, str],
          agenda: list[str], resolutions: list[dict]) -> str:
    lines = [f"# Protokół nr {meeting['number']}/{meeting['year']} z posiedzenia: {group_name}", "",
             f"- **Data:** {meeting['day'].isoformat()}",
             f"- **Godzina:** {meeting['start_time']:%H:%M}–{meeting['end_time']:%H:%M}",
             f"- **Przewodniczący:** {members[0]['full_name']}",
             f"- **Protokolant:** {members[2]['full_name']}", "", "## Lista obecności", ""]
    lines += [f"- {m['full_name']} ({m['institution']}) – {ATTENDANCE_LABELS[present[m['id']]]}"
              for m in members]
    lines += ["", "## Porządek obrad", ""] + [f"{i}. {t}" for i, t in enumerate(agenda, 1)]
    for i, title in enumerate(agenda, 1):
        lines += ["", f"## Ad. {i} {title}", "", "Przedstawiono informację; przeprowadzono dyskusję."]
    if resolutions:
        lines += ["", "## Uchwały", ""] + [
            f"- Uchwała nr {r['number']}/{r['year']} w sprawie {r['subject']} – "
            f"{'przyjęta' if r['outcome'] == 'adopted' else 'odrzucona'} "
            f"(za {r['votes_for']}, przeciw {r['votes_against']}, wstrzymało się {r['votes_abstain']})"
            for r in resolutions]
    return "\n".join(lines) + "\n"


def generate(tenants, scale, rng) -> dict[str, int]:
    """Groups, members, meetings, agenda, attendance, minutes, resolutions and action items."""
    groups = _groups(tenants, scale, rng)
    members = _members(groups, rng)
    kinds = {gid: kind for _t, gid, kind, _n in groups}
    group_names = {gid: name for _t, gid, _k, name in groups}
    meetings = _meetings(groups, rng)
    for m in meetings:
        crew = members[m["group_id"]]
        m["chair_id"], m["minute_taker_id"] = crew[0]["id"], crew[2]["id"]
    for m, mid in zip(meetings, bulk_insert(Meeting, meetings, returning=Meeting.id), strict=True):
        m["id"] = mid
    agenda, attendance, minutes, resolutions, actions = [], [], [], [], []
    frozen: list[list[str]] = []  # per minutes row: the bodies of its frozen versions
    by_group: dict[int, list[dict]] = {}
    for m in meetings:
        by_group.setdefault(m["group_id"], []).append(m)
    for gid, series in by_group.items():
        crew = members[gid]
        held = [m for m in series if m["status"] == "held"]
        resolution_no: dict[int, int] = {}
        for index, m in enumerate(held):
            tid, day = m["tenant_id"], m["day"]
            titles = ["Otwarcie posiedzenia i przyjęcie porządku obrad", rng.choice(TOPICS),
                      rng.choice(TOPICS), "Sprawy różne i wolne wnioski"]
            for pos, title in enumerate(titles, 1):
                agenda.append({"tenant_id": tid, "meeting_id": m["id"], "position": pos, "title": title,
                               "presenter": crew[rng.randrange(3)]["full_name"] if 1 < pos < 4 else None,
                               "duration_minutes": (10, 45, 30, 15)[pos - 1],
                               "follow_up": False})
            present = {}
            for member in crew:
                roll = rng.random()
                status = ("present" if roll < 0.78 else "excused" if roll < 0.9
                          else "absent" if roll < 0.96 else "substitute")
                present[member["id"]] = status
                attendance.append({"tenant_id": tid, "meeting_id": m["id"], "member_id": member["id"],
                                   "status": status,
                                   "substitute_name": "Zastępca z tej samej instytucji"
                                   if status == "substitute" else None})
            voting = sum(1 for member in crew if member["role"] != "observer"
                         and present[member["id"]] in ("present", "substitute"))
            mine = []
            for _ in range(rng.choice((1, 2, 3) if kinds[gid] == "committee" else (0, 0, 1))):
                number = resolution_no[m["year"]] = resolution_no.get(m["year"], 0) + 1
                against, abstain = rng.choice((0, 0, 1, 2)), rng.choice((0, 1, 1, 2))
                votes_for = max(0, voting - against - abstain)
                mine.append({"tenant_id": tid, "meeting_id": m["id"], "group_id": gid, "year": m["year"],
                             "number": number, "subject": f"przyjęcia stanowiska: {lower_first(rng.choice(TOPICS))}",
                             "body": "Komitet przyjmuje stanowisko w brzmieniu załącznika.",
                             "votes_for": votes_for, "votes_against": against, "votes_abstain": abstain,
                             "outcome": "adopted" if votes_for > against + abstain else "rejected",
                             "created_at": datetime.combine(day, time(13, 0))})
            resolutions += mine
            body = _body(m, group_names[gid], crew, present, titles, mine)
            later = held[index + 1] if index + 1 < len(held) else None
            adopted = later is not None and rng.random() >= 0.04
            frozen.append([] if not adopted else [body] if rng.random() >= 0.05
                          else [body, body + "\nKorekta: poprawiono nazwisko na liście obecności.\n"])
            body = frozen[-1][-1] if frozen[-1] else body
            minutes.append({"tenant_id": tid, "meeting_id": m["id"], "group_id": gid,
                            "status": "adopted" if adopted else "draft", "body": body, "lock_version": 1,
                            "comment_deadline": None, "sent_at": None,
                            "adopted_on": later["day"] if adopted else None,
                            "adoption_mode": "meeting" if adopted else None,
                            "adopted_at_meeting_id": later["id"] if adopted else None,
                            "updated_at": datetime.combine(later["day"] if adopted else day, time(14, 0)),
                            "updated_by_id": crew[2]["user_id"]})
            for _ in range(rng.choice((1, 1, 2, 3))):
                owner = rng.choice([c for c in crew if c["role"] != "observer"])
                due = day + timedelta(days=rng.choice((14, 30, 45, 60)))
                closed = due < date(EPOCH_END.year, 1, 1)
                roll = rng.random()
                status = (("done" if roll < 0.8 else "dropped" if roll < 0.88 else "in_progress")
                          if closed else ("open" if roll < 0.45 else "in_progress" if roll < 0.75 else "done"))
                actions.append({"tenant_id": tid, "group_id": gid, "meeting_id": m["id"],
                                "owner_id": owner["id"],
                                "description": f"{rng.choice(TASKS)}: {lower_first(rng.choice(TOPICS))}",
                                "due_date": due, "status": status,
                                "note": "Wykonane." if status == "done" else None,
                                "created_at": datetime.combine(day, time(13, 0)),
                                "updated_at": datetime.combine(min(due, EPOCH_END.date()), time(12, 0))})
    bulk_insert(AgendaItem, agenda)
    bulk_insert(Attendance, attendance)
    bulk_insert(Resolution, resolutions)
    bulk_insert(ActionItem, actions)
    minute_ids = bulk_insert(Minutes, minutes, returning=Minutes.id)
    versions = []
    for row, minutes_id, bodies in zip(minutes, minute_ids, frozen, strict=True):
        for number, text in enumerate(bodies, 1):
            versions.append({"tenant_id": row["tenant_id"], "minutes_id": minutes_id, "number": number,
                             "body": text, "created_by_id": row["updated_by_id"],
                             "reason": "Przyjęty na kolejnym posiedzeniu" if number == 1
                             else "Korekta oczywistej omyłki pisarskiej",
                             "created_at": row["updated_at"] + timedelta(days=number - 1)})
    bulk_insert(MinutesVersion, versions)
    return {"groups": len(groups), "group members": sum(len(c) for c in members.values()),
            "meetings": len(meetings), "agenda items": len(agenda), "attendance rows": len(attendance),
            "minutes": len(minutes), "minutes versions": len(versions), "resolutions": len(resolutions),
            "action items": len(actions)}


def bench_committee(tenant: str) -> dict:
    """URL values of the benchmark's group page: the region's committee."""
    from workgroups.models import Group

    return {"group_id": first_id(Group, tenant, lambda g: g.kind == "committee")}


def bench_meeting_with_minutes(tenant: str) -> dict:
    """URL values of the benchmark's meeting page: the first in-person meeting of the region
    whose minutes are adopted (frozen versions); in-person, so the page links to no
    online-meeting host."""
    from workgroups.models import Meeting, Minutes

    adopted = select(Minutes.meeting_id).where(Minutes.status == "adopted")
    return {"meeting_id": first_id(Meeting, tenant, lambda m: m.mode == "in_person",
                                   lambda m: m.id.in_(adopted))}
