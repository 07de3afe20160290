"""Audit completeness of the services of personal data and decisions (groups, attendance,
comments, erasure, keeping times); the demo seeding is checked in test_backup.py."""

from __future__ import annotations

from coordination.auth.models import User
from coordination.clock import today
from coordination.extensions import db
from coordination.tenancy import tenant_context
from privacy import queries, services
from tests.audit_guard import assert_audited, guard
from workgroups.models import Group, GroupMember, Meeting, Minutes
from workgroups.services import groups, meetings, minutes


def test_personal_data_services_write_audit_entries(app, world):
    with app.app_context(), tenant_context(world.tenant):
        db.session.scalar(db.select(Minutes)).status = "consultation"  # open for comments
        db.session.commit()
    with app.app_context(), tenant_context(world.tenant), guard() as unaudited:
        coordinator = db.session.get(User, world.coordinator)
        group = db.session.get(Group, world.group)
        data = {"full_name": "Celina Zielińska", "email": "celina@example.org", "institution": "LGD",
                "category": "other", "role": "member", "date_from": today(), "locale": "pl"}
        member = groups.add_member(group, data, actor=coordinator)
        groups.update_member(member, group, {**data, "institution": "LGD Wielkopolska"},
                             actor=coordinator)
        meeting = db.session.get(Meeting, world.meeting)
        meetings.record_attendance(meeting, {world.m_bogdan: ("present", None)}, actor=coordinator)
        draft = db.session.scalar(db.select(Minutes))
        minutes.add_comment(draft, "Ad. 1 Otwarcie posiedzenia i stwierdzenie kworum", "Uwaga koordynatorki", author=coordinator)
        groups.end_member(db.session.get(GroupMember, member.id), today(), actor=coordinator)
        services.erase(queries.person_for_member(world.m_bogdan, world.tenant), reason="Wniosek",
                       actor=coordinator)
        services.set_retention({"rsvp_links": 90}, actor=coordinator, confirmed=True)
    assert_audited(unaudited)


def test_the_guard_catches_an_unaudited_write(app, world):
    with app.app_context(), tenant_context(world.tenant), guard() as unaudited:
        db.session.get(GroupMember, world.m_bogdan).institution = "bez wpisu w dzienniku"
        db.session.commit()
    assert [tables for _who, tables in unaudited] == [frozenset({"group_member"})]
