"""Optional references between rows of one region are real composite foreign keys.

``meeting.chair_id`` / ``minute_taker_id`` -> ``group_member``, ``minutes.adopted_at_meeting_id``
-> ``meeting`` and ``membership.owes_id`` -> ``owes`` are ``(tenant_id, x_id)`` keys with
ON DELETE NO ACTION (see ``TenantScoped``): the database refuses a reference to another
region's row, and the product's delete paths clear a reference before deleting its target.
"""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from coordination.auth.models import Membership, User
from coordination.auth.services import remove_membership
from coordination.extensions import db
from coordination.tenancy import tenant_context
from owes.models import Owes
from owes.services.registry import bind_user, delete_owes
from workgroups.models import Group, GroupMember, Meeting, Minutes

REFERENCES = [
    ("meeting", "chair_id", "group_member"),
    ("meeting", "minute_taker_id", "group_member"),
    ("minutes", "adopted_at_meeting_id", "meeting"),
    ("membership", "owes_id", "owes"),
]


@pytest.mark.parametrize(("table", "column", "parent"), REFERENCES)
def test_reference_is_a_composite_foreign_key_without_cascade(ctx, table, column, parent):
    keys = inspect(db.engine).get_foreign_keys(table)
    match = [k for k in keys if k["constrained_columns"] == ["tenant_id", column]]
    assert len(match) == 1, keys
    key = match[0]
    assert key["referred_table"] == parent
    assert key["referred_columns"] == ["tenant_id", "id"]
    # NO ACTION: reflected as no option (SQLite may report it spelled out)
    assert (key.get("options", {}).get("ondelete") or "NO ACTION").upper() == "NO ACTION"


def _group_with_member(name: str) -> tuple[Group, GroupMember]:
    group = Group(name=name, kind="promotion")
    db.session.add(group)
    db.session.flush()
    member = GroupMember(group_id=group.id, full_name="Zofia Żółkiewska", date_from=date(2025, 1, 1))
    db.session.add(member)
    db.session.flush()
    return group, member


def _meeting(group: Group, number: int, **extra) -> Meeting:
    meeting = Meeting(group_id=group.id, year=2026, number=number, title="Posiedzenie grupy",
                      day=date(2026, 3, number), start_time=time(10), end_time=time(12),
                      ical_uid=f"ref-{group.id}-{number}@test", **extra)
    db.session.add(meeting)
    db.session.flush()
    return meeting


@pytest.fixture
def regions(app, tenants):
    """A group with a member and a meeting in each of two regions; returns their ids."""
    out = {}
    for slug in ("wielkopolskie", "lodzkie"):
        with app.app_context(), tenant_context(tenants[slug]):
            group, member = _group_with_member(f"Grupa {slug}")
            meeting = _meeting(group, 1, chair_id=member.id, minute_taker_id=member.id)
            owes = Owes(name=f"OWES {slug}", subregion=[])
            db.session.add(owes)
            db.session.commit()
            out[slug] = {"tenant": tenants[slug], "group": group.id, "member": member.id,
                         "meeting": meeting.id, "owes": owes.id}
            db.session.remove()
    return out


@pytest.mark.parametrize("column", ["chair_id", "minute_taker_id"])
def test_meeting_cannot_name_another_regions_member(app, regions, column):
    own, foreign = regions["wielkopolskie"], regions["lodzkie"]
    with app.app_context(), tenant_context(own["tenant"]):
        group = db.session.get(Group, own["group"])
        with pytest.raises(IntegrityError):
            _meeting(group, 2, **{column: foreign["member"]})
        db.session.rollback()
        db.session.remove()


def test_minutes_cannot_be_adopted_at_another_regions_meeting(app, regions):
    own, foreign = regions["wielkopolskie"], regions["lodzkie"]
    with app.app_context(), tenant_context(own["tenant"]):
        db.session.add(Minutes(meeting_id=own["meeting"], group_id=own["group"], body="",
                               adopted_on=date(2026, 4, 1), adoption_mode="meeting",
                               adopted_at_meeting_id=foreign["meeting"]))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        # the own region's meeting is accepted
        group = db.session.get(Group, own["group"])
        later = _meeting(group, 2)
        db.session.add(Minutes(meeting_id=own["meeting"], group_id=own["group"], body="",
                               adopted_on=date(2026, 4, 1), adoption_mode="meeting",
                               adopted_at_meeting_id=later.id))
        db.session.commit()
        db.session.remove()


def test_membership_cannot_be_bound_to_another_regions_owes(app, regions, make_user):
    own, foreign = regions["wielkopolskie"], regions["lodzkie"]
    uid = make_user("owes@example.org", "owes", "wielkopolskie")
    with app.app_context(), tenant_context(own["tenant"]):
        membership = db.session.scalar(select(Membership).where(Membership.user_id == uid))
        membership.owes_id = foreign["owes"]
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        db.session.remove()


def test_a_member_named_on_a_meeting_cannot_be_deleted(app, regions):
    """Group members are never deleted by the product (an ended membership keeps its row);
    the database backs that up instead of silently orphaning the meeting's chair."""
    own = regions["wielkopolskie"]
    with app.app_context(), tenant_context(own["tenant"]):
        db.session.delete(db.session.get(GroupMember, own["member"]))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        assert db.session.get(Meeting, own["meeting"]).chair_id == own["member"]
        db.session.remove()


def test_deleting_an_owes_unbinds_its_representatives(app, regions, make_user):
    own = regions["wielkopolskie"]
    admin = make_user("admin@example.org", admin=True)
    uid = make_user("owes@example.org", "owes", "wielkopolskie")
    with app.test_request_context(), tenant_context(own["tenant"]):
        actor = db.session.get(User, admin)
        membership = db.session.scalar(select(Membership).where(Membership.user_id == uid))
        bind_user(membership, db.session.get(Owes, own["owes"]), actor=actor)
        assert membership.owes_id == own["owes"]
        delete_owes(db.session.get(Owes, own["owes"]), actor=actor)
        db.session.expire_all()
        assert db.session.get(Owes, own["owes"]) is None
        membership = db.session.scalar(select(Membership).where(Membership.user_id == uid))
        assert membership.owes_id is None
        # and the unbound membership can then be removed
        remove_membership(membership, actor=actor)
        assert db.session.scalar(select(Membership).where(Membership.user_id == uid)) is None
        db.session.remove()


def test_removing_a_bound_membership_keeps_the_owes(app, regions, make_user):
    own = regions["wielkopolskie"]
    admin = make_user("admin@example.org", admin=True)
    uid = make_user("owes@example.org", "owes", "wielkopolskie")
    with app.test_request_context(), tenant_context(own["tenant"]):
        actor = db.session.get(User, admin)
        membership = db.session.scalar(select(Membership).where(Membership.user_id == uid))
        bind_user(membership, db.session.get(Owes, own["owes"]), actor=actor)
        remove_membership(membership, actor=actor)
        assert db.session.get(Owes, own["owes"]) is not None
        db.session.remove()
