"""Fixtures of the privacy tests: a person with rows in several modules, the register file."""

from __future__ import annotations

from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest

from coordination import audit, clock
from coordination.auth.models import User
from coordination.extensions import db
from coordination.notifications.models import Notification
from coordination.tenancy import tenant_context
from surveys.models import Campaign, Respondent, Response
from workgroups.models import Attendance, GroupMember, Meeting, MinutesComment, MinutesVersion
from workgroups.services import minutes as minutes_services
from workgroups.services.groups import ensure_group


@pytest.fixture(autouse=True)
def register_file(app, tmp_path):
    """Each test has its own erasure register file (never the instance folder)."""
    path = str(tmp_path / "rejestr.jsonl")
    app.config["PRIVACY_REGISTER_PATH"] = path
    yield path
    app.config.pop("PRIVACY_REGISTER_PATH", None)


@pytest.fixture
def world(app, tenants, make_user):
    """Anna (an account, member of a group in Wielkopolska) and Bogdan (a contact without an
    account), with attendance, a comment, adopted minutes naming Anna, a survey invitation and
    an anonymous response, a message and an audit entry."""
    anna = make_user("anna.nowak@example.org", "member", name="Anna Nowak")
    coordinator = make_user("koordynator@example.org", "coordinator", name="Koordynatorka")
    admin = make_user("admin@example.org", admin=True, name="Administrator")
    foreign = make_user("obca@example.org", "coordinator", "lodzkie", name="Obca Koordynatorka")
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        group = ensure_group("Grupa robocza ds. promocji", "promotion")
        m_anna = GroupMember(group_id=group.id, user_id=anna, full_name="Anna Nowak",
                             email="anna.nowak@example.org", institution="OWES Poznań",
                             date_from=date(2024, 1, 1))
        m_bogdan = GroupMember(group_id=group.id, full_name="Bogdan Wiśniewski",
                               email="bogdan@example.org", institution="PUP Kalisz",
                               date_from=date(2024, 1, 1))
        db.session.add_all([m_anna, m_bogdan])
        db.session.flush()
        meeting = Meeting(group_id=group.id, year=2026, number=1, title="Posiedzenie nr 1/2026",
                          day=clock.today() - timedelta(days=3), start_time=time(10),
                          end_time=time(12), mode="in_person", place="Poznań", status="held",
                          ical_uid="privacy-1@sieci-es")
        db.session.add(meeting)
        db.session.flush()
        db.session.add_all([Attendance(meeting_id=meeting.id, member_id=m_anna.id, status="present"),
                            Attendance(meeting_id=meeting.id, member_id=m_bogdan.id, status="absent")])
        minutes = minutes_services.create_draft(meeting, group, actor=None)
        db.session.add(MinutesComment(minutes_id=minutes.id, section="Ad. 1", body="Uwaga Anny",
                                      author_id=anna, author_name="Anna Nowak"))
        db.session.add(MinutesVersion(minutes_id=minutes.id, number=1, reason="przyjęty",
                                      body="Obecni: Anna Nowak, Bogdan Wiśniewski"))
        campaign = Campaign(year=2026, title="Ocena koordynacji 2026", opens_on=clock.today(),
                            closes_on=clock.today() + timedelta(days=14))
        db.session.add(campaign)
        db.session.flush()
        # Anna answered, after a reminder, and had saved a draft: none of it may reach the export
        db.session.add(Respondent(campaign_id=campaign.id, full_name="Anna Nowak",
                                  email="anna.nowak@example.org", token_hash="a" * 64, completed=True,
                                  completed_on=clock.today(), reminders=1, reminded_at=clock.utcnow(),
                                  draft={"REG-01": 4}))
        db.session.add(Notification(kind="survey_reminder", recipient="anna.nowak@example.org",
                                    tenant_id=tenants["wielkopolskie"], context={"name": "Anna"},
                                    due_at=clock.utcnow(), next_attempt_at=clock.utcnow(), status="sent"))
        db.session.add(Response(campaign_id=campaign.id, year=2026, anonymous=True))
        now = clock.utcnow()
        db.session.add(Notification(kind="meeting_invitation", recipient="bogdan@example.org",
                                    tenant_id=tenants["wielkopolskie"], context={"name": "Bogdan"},
                                    due_at=now, next_attempt_at=now, status="sent"))
        audit.record("test.change", actor=db.session.get(User, anna), obj=m_anna,
                     summary={"email": "anna.nowak@example.org"})
        db.session.commit()
        ids = SimpleNamespace(anna=anna, coordinator=coordinator, admin=admin, foreign=foreign,
                              m_anna=m_anna.id, m_bogdan=m_bogdan.id, group=group.id,
                              meeting=meeting.id, campaign=campaign.id,
                              tenant=tenants["wielkopolskie"])
        db.session.remove()
    return ids
