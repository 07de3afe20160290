"""Pages are built from queries shaped for them: the number of SQL statements of the group
page, the meeting page and the group's documents page does not grow with the number of members,
meetings, actions and documents."""

from datetime import date, time, timedelta

from coordination.extensions import db
from coordination.tenancy import tenant_context
from tests.conftest import count_statements
from workgroups.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    GroupMember,
    Meeting,
    MeetingDocument,
    MeetingDocumentVersion,
    Rsvp,
)

from .conftest import REGION


def _grow(app, world, members: int, meetings: int, offset: int):
    """Add members, held meetings with attendance + RSVPs, agenda items with documents (two
    versions each), and action items to the group."""
    with app.app_context(), tenant_context(world.tenant_id):
        people = [GroupMember(group_id=world.group_id, full_name=f"Osoba {offset + i}", email=f"o{offset + i}@example.org",
                              category="pes", role="member", date_from=date(2020, 1, 1)) for i in range(members)]
        db.session.add_all(people)
        db.session.flush()
        ids = [p.id for p in people] + world.member_ids
        for i in range(meetings):
            m = Meeting(group_id=world.group_id, year=2024, number=offset + i + 1, title=f"Posiedzenie {i}",
                        day=date(2024, 1, 1) + timedelta(days=offset + i), start_time=time(10), end_time=time(12),
                        mode="online", online_url="https://meet.example.org/x", status="held",
                        ical_uid=f"qc-{offset}-{i}@sieci-es")
            db.session.add(m)
            db.session.flush()
            db.session.add_all([Attendance(meeting_id=m.id, member_id=mid, status="present") for mid in ids])
            db.session.add_all([Rsvp(meeting_id=m.id, member_id=mid, answer="yes") for mid in ids[:3]])
            db.session.add(ActionItem(group_id=world.group_id, meeting_id=m.id, owner_id=ids[0],
                                      description=f"Zadanie {i}", status="open"))
            items = [AgendaItem(meeting_id=m.id, position=p, title=f"Punkt {p}") for p in (1, 2)]
            db.session.add_all(items)
            db.session.flush()
            for item in items:
                doc = MeetingDocument(group_id=world.group_id, meeting_id=m.id, agenda_item_id=item.id,
                                      title=f"Dokument {item.title}", current_version=2)
                db.session.add(doc)
                db.session.flush()
                db.session.add_all([MeetingDocumentVersion(document_id=doc.id, number=n, filename=f"d{n}.pdf",
                                                           content_type="application/pdf", size=9, data=b"%PDF-1.4 ")
                                    for n in (1, 2)])
        db.session.commit()
        last_meeting = m.id
        db.session.remove()
    return last_meeting


def _measure(app, client, url) -> int:
    with count_statements(app) as log:
        resp = client.get(url)
    assert resp.status_code == 200
    return log.count


def test_group_and_meeting_pages_have_constant_query_counts(app, world, login):
    client = login(app.test_client(), world.coordinator_id)
    base = f"/{REGION}/grupy"
    meeting_small = _grow(app, world, members=3, meetings=2, offset=0)
    group_small = _measure(app, client, f"{base}/{world.group_id}")
    meeting_page_small = _measure(app, client, f"{base}/posiedzenia/{meeting_small}")
    list_small = _measure(app, client, f"{base}/posiedzenia")
    documents_small = _measure(app, client, f"{base}/{world.group_id}/dokumenty")
    meeting_big = _grow(app, world, members=30, meetings=20, offset=100)
    group_big = _measure(app, client, f"{base}/{world.group_id}")
    meeting_page_big = _measure(app, client, f"{base}/posiedzenia/{meeting_big}")
    list_big = _measure(app, client, f"{base}/posiedzenia")
    documents_big = _measure(app, client, f"{base}/{world.group_id}/dokumenty")
    assert documents_big == documents_small, (documents_small, documents_big)
    assert group_big == group_small, (group_small, group_big)
    assert meeting_page_big == meeting_page_small, (meeting_page_small, meeting_page_big)
    assert list_big == list_small
    print(f"queries: group page {group_small}, meeting page {meeting_page_small}, meeting list {list_small}")
    assert group_small <= 20 and meeting_page_small <= 20
