"""Isolation-test objects of the working-group module (its routes are classified in its manifest)."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from coordination import clock
from coordination.extensions import db
from workgroups.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    GroupMember,
    Meeting,
    MeetingDocument,
    MeetingDocumentVersion,
    MinutesComment,
    MinutesLink,
    Resolution,
)
from workgroups.services import mail
from workgroups.services import meetings as meeting_services
from workgroups.services import minutes as minutes_services
from workgroups.services.groups import ensure_group


def build_objects(slug: str, marker: str, users: dict) -> dict:
    """A group with a member (a contact, not one of the test accounts), a held meeting with
    attendance and a document on its agenda, draft minutes under consultation with a comment and
    a personal link, an action item, an RSVP link and a feed."""
    from coordination.auth.models import User

    prefix = f"{marker} " if marker else ""
    group = ensure_group(f"{prefix}Grupa testowa {slug}", "promotion")
    member = GroupMember(group_id=group.id, full_name=f"{prefix}Osoba Kontaktowa", email=f"kontakt-{slug}@example.org",
                         institution=f"{prefix}OWES", category="owes", role="chair", date_from=date(2020, 1, 1))
    db.session.add(member)
    db.session.flush()
    meeting = Meeting(group_id=group.id, year=2025, number=1, title=f"{prefix}Posiedzenie testowe",
                      day=clock.today() - timedelta(days=2), start_time=time(10), end_time=time(12),
                      mode="in_person", place=f"{prefix}Sala 1", status="held", ical_uid=f"iso-{slug}@sieci-es",
                      chair_id=member.id)
    db.session.add(meeting)
    db.session.flush()
    db.session.add(Attendance(meeting_id=meeting.id, member_id=member.id, status="present"))
    item = AgendaItem(meeting_id=meeting.id, position=1, title=f"{prefix}Punkt 1")
    db.session.add(item)
    db.session.flush()
    document = MeetingDocument(group_id=group.id, meeting_id=meeting.id, agenda_item_id=item.id,
                               title=f"{prefix}Dokument testowy", current_version=1)
    db.session.add(document)
    db.session.flush()
    db.session.add(MeetingDocumentVersion(document_id=document.id, number=1, filename="plan.pdf",
                                          content_type="application/pdf", size=13, data=b"%PDF-1.4 test"))
    db.session.flush()
    minutes = minutes_services.create_draft(meeting, group, actor=None)
    # under consultation, so that the attendee's personal link to the draft opens
    minutes.status, minutes.comment_deadline = "consultation", clock.today() + timedelta(days=7)
    minutes_token = mail.minutes_token(minutes, member)
    comment = MinutesComment(minutes_id=minutes.id, section="Ad. 1", body=f"{prefix}Uwaga", author_name=f"{prefix}Autor")
    action = ActionItem(group_id=group.id, meeting_id=meeting.id, owner_id=member.id,
                        description=f"{prefix}Zadanie testowe", status="open")
    resolution = Resolution(meeting_id=meeting.id, group_id=group.id, year=2025, number=1,
                            subject=f"{prefix}przyjęcia planu", votes_for=1, outcome="adopted")
    db.session.add_all([comment, action, resolution])
    db.session.flush()
    feed_token = meeting_services.new_feed_token(
        db.session.get(User, users["member"] if not marker else users["foreign_coordinator"]))
    return {
        "group_id": group.id,
        "member_id": member.id,
        "meeting_id": meeting.id,
        "comment_id": comment.id,
        "action_id": action.id,
        "rsvp_token": mail.rsvp_token(meeting, member),
        "minutes_token": minutes_token,
        "link_id": db.session.scalar(select(MinutesLink.id).where(MinutesLink.minutes_id == minutes.id)),
        "feed_token": feed_token,
        "meeting_document_id": document.id,
        "version_number": 1,
        "resolution_id": resolution.id,
    }
