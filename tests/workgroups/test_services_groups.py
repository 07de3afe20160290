"""Groups and memberships: one committee per region, terms, membership history."""

from datetime import date

import pytest
from sqlalchemy import select

from coordination.audit import AuditLog
from coordination.errors import DomainError
from coordination.extensions import db
from workgroups.models import Group, GroupMember
from workgroups.services import groups as services

from .conftest import actor, group_of, member


def test_one_committee_per_region_and_three_year_term(region):
    who = actor(region)
    committee = services.create_group({"name": "RKRES", "kind": "committee", "term_start": date(2023, 1, 1)},
                                      actor=who)
    assert committee.term_end == date(2025, 12, 31)
    with pytest.raises(DomainError) as err:
        services.create_group({"name": "Drugi komitet", "kind": "committee"}, actor=who)
    assert err.value.field == "kind"
    assert "jeden" in err.value.message or "only one" in err.value.message
    assert db.session.scalar(select(Group).where(Group.name == "Drugi komitet")) is None
    # editing the committee itself is fine
    services.update_group(committee, {"name": "RKRES Wielkopolska", "kind": "committee",
                                      "term_start": date(2023, 1, 1), "term_end": date(2025, 12, 31)}, actor=who)
    assert committee.name == "RKRES Wielkopolska"


def test_term_end_before_start_and_duplicate_name_refused(region):
    who = actor(region)
    with pytest.raises(DomainError) as err:
        services.create_group({"name": "X", "kind": "education", "term_start": date(2024, 5, 1),
                               "term_end": date(2024, 1, 1)}, actor=who)
    assert err.value.field == "term_end"
    with pytest.raises(DomainError) as err:
        services.create_group({"name": "Grupa ds. promocji", "kind": "education"}, actor=who)
    assert err.value.field == "name"


def test_member_from_account_copies_name_and_email(region):
    m = member(region.own_member_id)
    assert m.full_name == "Marek Członkowski" and m.email == "czlonek@example.org"
    assert m.user_id == region.member_user_id


def test_overlapping_membership_of_same_account_refused(region):
    with pytest.raises(DomainError) as err:
        services.add_member(group_of(region), {"user_id": region.member_user_id, "role": "member",
                                               "category": "owes", "date_from": date(2024, 1, 1)},
                            actor=actor(region))
    assert err.value.field == "user_id"


def test_account_of_another_region_refused(region, make_user):
    foreign = make_user("obcy@example.org", "member", "lodzkie")
    with pytest.raises(DomainError) as err:
        services.add_member(group_of(region), {"user_id": foreign, "role": "member", "category": "other",
                                               "date_from": date(2024, 1, 1)}, actor=actor(region))
    assert err.value.field == "user_id"


def test_substitute_needs_member_of_same_group(region):
    who, group = actor(region), group_of(region)
    with pytest.raises(DomainError):
        services.add_member(group, {"full_name": "Anna Zastępczyni", "role": "substitute", "category": "owes",
                                    "date_from": date(2024, 1, 1)}, actor=who)
    sub = services.add_member(group, {"full_name": "Anna Zastępczyni", "role": "substitute", "category": "owes",
                                      "substitute_for_id": region.own_member_id, "date_from": date(2024, 1, 1)},
                              actor=who)
    assert sub.substitute_for_id == region.own_member_id and not sub.voting


def test_end_membership_keeps_history_and_audits(region):
    m = member(region.member_ids[3])
    services.end_member(m, date(2024, 6, 30), actor=actor(region))
    assert db.session.get(GroupMember, m.id).date_to == date(2024, 6, 30)
    assert not m.active_on(date(2024, 7, 1)) and m.active_on(date(2024, 6, 30))
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "group.member_end")) is not None
    with pytest.raises(DomainError):
        services.end_member(m, date(2019, 1, 1), actor=actor(region))
