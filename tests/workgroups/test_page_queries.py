"""Reads shaped for the group and meeting pages: the windowed meeting lists, the page total
read with the rows, and the user's group roles read with the page's own query."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from coordination import clock
from coordination.extensions import db
from coordination.pagination import paged, paged_with_total
from coordination.tenancy import tenant_context
from tests.conftest import count_statements
from workgroups.models import Group, GroupMember, Meeting
from workgroups.queries.groups import (
    GROUP_PAGE_LIMIT,
    HOME_LIMIT,
    group_meetings,
    groups_and_next_meetings,
)
from workgroups.services import groups as group_services
from workgroups.services import minutes as minutes_services

from .conftest import REGION, actor, group_of, held_meeting

BASE = f"/{REGION}/grupy"
LIMIT = 8


def _add_meetings(world, days: list[int], status: str) -> None:
    for n, offset in enumerate(days, start=1):
        day = clock.today() + timedelta(days=offset)
        db.session.add(Meeting(group_id=world.group_id, year=day.year, number=1000 + offset + 500 * (status == "cancelled"),
                               title=f"{status} {offset}", day=day, start_time=time(10, n % 50), end_time=time(12),
                               status=status, ical_uid=f"pq-{status}-{offset}@sieci-es"))
    db.session.flush()


def test_group_meetings_split_upcoming_and_past_with_limits(region):
    _add_meetings(region, list(range(1, 15)), "planned")           # 14 upcoming
    _add_meetings(region, list(range(-20, -6)), "held")             # 14 past
    _add_meetings(region, [3], "cancelled")                          # future but not planned: "past" list
    upcoming, past = group_meetings(region.group_id, clock.today())
    assert [m.title for m in upcoming] == [f"planned {d}" for d in range(1, 1 + GROUP_PAGE_LIMIT)]
    assert past[0].title == "cancelled 3"
    assert [m.title for m in past[1:]] == [f"held {d}" for d in range(-7, -7 - GROUP_PAGE_LIMIT + 1, -1)]
    assert len(past) == GROUP_PAGE_LIMIT


def test_paged_with_total_matches_paged(region):
    stmt = select(GroupMember).order_by(GroupMember.full_name)
    for page in (1, 2, 3, 9):
        assert paged_with_total(stmt, page, 2) == paged(stmt, page, 2), page
    rows = select(GroupMember.full_name, GroupMember.role).order_by(GroupMember.full_name)
    items, total = paged_with_total(rows, 1, 3, scalars=False)
    assert total == 5 and items == [tuple(r) for r in paged(rows, 1, 3, scalars=False)[0]]
    assert paged_with_total(stmt.where(GroupMember.id < 0), 1, 2) == ([], 0)


def _get(app, client, url):
    with count_statements(app) as log:
        response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True), log.count


def test_group_officer_rights_come_with_the_page_query(app, world, login, make_user):
    """A chair with an account manages their group's meetings, a plain member does not; the
    roles are read by the page's own query, so officers stay within the statement limit."""
    chair = make_user("przewodniczaca@example.org", "member", REGION, name="Przewodnicząca")
    with app.test_request_context(), tenant_context(world.tenant_id):
        group_services.add_member(group_of(world), {"user_id": chair, "role": "chair", "category": "owes",
                                                    "date_from": clock.today()}, actor=actor(world))
        meeting = held_meeting(world)
        minutes_services.create_draft(meeting, group_of(world), actor=actor(world))
        meeting_id = meeting.id
        db.session.commit()
        db.session.remove()
    urls = [f"{BASE}/{world.group_id}", f"{BASE}/posiedzenia/{meeting_id}",
            f"{BASE}/posiedzenia/{meeting_id}/protokol"]
    new_meeting = f"{BASE}/{world.group_id}/posiedzenia/nowe"
    officer = login(app.test_client(), chair)
    for url in urls:
        _body, count = _get(app, officer, url)
        assert count <= LIMIT, (url, count)
    assert new_meeting in _get(app, officer, urls[0])[0]
    assert f"posiedzenia/{meeting_id}/obecnosc\"" in _get(app, officer, urls[1])[0]
    plain = login(app.test_client(), world.member_user_id)  # "member" role in the group
    for url in urls:
        _body, count = _get(app, plain, url)
        assert count <= LIMIT, (url, count)
    assert new_meeting not in _get(app, plain, urls[0])[0]
    assert f"posiedzenia/{meeting_id}/obecnosc\"" not in _get(app, plain, urls[1])[0]
    assert plain.get(new_meeting).status_code == 403 and officer.get(new_meeting).status_code == 200


def test_home_panel_groups_and_next_meetings(region):
    """One query gives what the separate reads give: the first active groups in order and the
    next planned meetings, also of groups outside the listed ones."""
    for i in range(12):
        db.session.add(Group(name=f"Grupa {chr(ord('A') + i)}", kind="custom", status="active"))
    closed = Group(name="Zamknięta", kind="custom", status="closed")
    db.session.add(closed)
    db.session.flush()
    _add_meetings(region, [1, 2, 30], "planned")
    _add_meetings(region, [-3], "held")
    db.session.add(Meeting(group_id=closed.id, year=clock.today().year, number=1, title="closed group", day=clock.today(),
                           start_time=time(8), end_time=time(9), status="planned", ical_uid="pq-closed@sieci-es"))
    db.session.flush()
    groups, meetings = groups_and_next_meetings(clock.today(), groups=10, meetings=HOME_LIMIT)
    expected_groups = db.session.scalars(select(Group).where(Group.status == "active")
                                         .order_by(Group.kind != "committee", Group.name).limit(10)).all()
    expected_meetings = db.session.execute(
        select(Meeting, Group.name).join(Group, Group.id == Meeting.group_id)
        .where(Meeting.day >= clock.today(), Meeting.status == "planned")
        .order_by(Meeting.day, Meeting.start_time).limit(HOME_LIMIT)).all()
    assert groups == list(expected_groups) and len(groups) == 10
    assert meetings == [tuple(r) for r in expected_meetings]
    assert meetings[0][1] == "Zamknięta" and len(meetings) == 4
