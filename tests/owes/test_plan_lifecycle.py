"""Plans that end and periods that continue (issue 16, items 3, 4 and 14): a closed plan shows
its final achievement (or "no data reported"), never a delay; reporting periods are calendar
half-years generated as time passes, within the plan's dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from coordination.auth.models import User
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import tenant_context
from owes.models import ActionPlan, Indicator, Owes
from owes.queries import progress
from owes.services import plans, values

HX = {"HX-Request": "true"}


@pytest.fixture
def svc(app, world):
    with app.test_request_context(), tenant_context(world.tenant_id):
        yield world, db.session.get(User, world.users["coordinator"])
        db.session.remove()


def _ind(code):
    return db.session.scalar(select(Indicator).where(Indicator.code == code))


def _rows(plan, as_of):
    targets, inds, vals = progress.load([plan])
    return {r.indicator.code: r for r in progress.plan_rows(plan, targets[plan.id], inds, vals, as_of)}


@pytest.mark.parametrize("as_of, state", [
    (date(2017, 12, 31), "not_started"), (date(2018, 1, 1), "running"),
    (date(2021, 12, 31), "running"), (date(2022, 1, 1), "closed"), (date(2026, 12, 4), "closed")])
def test_plan_state_follows_its_years(as_of, state):
    assert progress.plan_state(2018, 2021, as_of) == state


def test_closed_plan_shows_final_result_or_no_data_never_a_delay(svc, pinned_clock):
    world, coord = svc
    pinned_clock.set(datetime(2021, 11, 1, 9, 0, tzinfo=UTC))
    owes, plan = db.session.get(Owes, world.owes_id), db.session.get(ActionPlan, world.plan_id)
    plans.set_target(plan, _ind("RES-01"), "absolute", Decimal(114), actor=coord)
    plans.set_target(plan, _ind("SZK-01"), "absolute", Decimal(34), actor=coord)
    row = values.save_value(owes, plan, _ind("RES-01"), "2019", Decimal(57), actor=coord)
    values.submit([row], actor=coord)
    values.verify(row, actor=coord)
    running = _rows(plan, date(2021, 6, 30))
    assert running["SZK-01"].behind is True and running["SZK-01"].state == "running"
    closed = _rows(plan, date(2026, 12, 4))
    assert closed["RES-01"].state == "closed" and closed["RES-01"].achieved == 50.0
    assert closed["RES-01"].behind is False and closed["RES-01"].expected is None
    # nothing reported: no achievement at all (the page says "no data reported"), not 0 %
    assert closed["SZK-01"].reported is False and closed["SZK-01"].achieved is None
    assert closed["SZK-01"].behind is False


def test_running_plan_prefers_the_plan_covering_today(svc):
    world, coord = svc
    owes = db.session.get(Owes, world.owes_id)
    old = db.session.get(ActionPlan, world.plan_id)
    new = plans.save_plan(owes, None, {"title": "Plan 2024–2027", "start_year": 2024,
                                       "end_year": 2027}, actor=coord)
    assert progress.running_plan([old, new], date(2026, 12, 4)).id == new.id
    assert progress.running_plan([old], date(2026, 12, 4)) is None
    assert progress.running_plan([old, new], date(2023, 5, 1)) is None


@pytest.mark.parametrize("as_of, last", [
    (date(2026, 6, 30), "2026-H1"), (date(2026, 7, 1), "2026-H2"),
    (date(2026, 12, 31), "2026-H2"), (date(2027, 1, 1), "2027-H1")])
def test_half_years_are_generated_as_time_passes(as_of, last):
    periods = values.half_years(2024, 2030, as_of)
    assert periods[0] == "2024-H1" and periods[-1] == last
    assert values.current_period(as_of) == last
    assert len(periods) == len(set(periods))


def test_plan_periods_follow_the_plan_dates_and_the_calendar():
    plan = ActionPlan(title="P", start_year=2025, end_year=2027)
    assert values.plan_periods(plan, date(2024, 12, 31)) == []  # not started yet
    assert values.plan_periods(plan, date(2025, 6, 30)) == ["2025", "2025-H1"]
    assert values.plan_periods(plan, date(2026, 7, 1))[-3:] == ["2026", "2026-H1", "2026-H2"]
    assert values.plan_periods(plan, date(2027, 1, 1))[-1] == "2027-H1"
    closed = values.plan_periods(plan, date(2031, 1, 1))  # a closed plan keeps its own periods
    assert closed[-1] == "2027-H2" and len(closed) == 9
    old = ActionPlan(title="P", start_year=2018, end_year=2021)
    assert values.plan_periods(old, date(2026, 12, 4))[-1] == "2021-H2"


def test_a_period_that_has_not_begun_cannot_be_reported(svc, pinned_clock):
    world, coord = svc
    owes = db.session.get(Owes, world.owes_id)
    plan = plans.save_plan(owes, None, {"title": "Plan 2025–2028", "start_year": 2025,
                                        "end_year": 2028}, actor=coord)
    pinned_clock.set(datetime(2026, 6, 30, 12, 0, tzinfo=UTC))
    with pytest.raises(DomainError):
        values.save_value(owes, plan, _ind("RES-01"), "2026-H2", Decimal(3), actor=coord)
    values.save_value(owes, plan, _ind("RES-01"), "2026-H1", Decimal(3), actor=coord)
    pinned_clock.set(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    assert values.save_value(owes, plan, _ind("RES-01"), "2026-H2", Decimal(4), actor=coord).period == "2026-H2"


def test_value_form_offers_the_current_half_year(app, world, login, pinned_clock):
    with app.app_context(), tenant_context(world.tenant_id):
        owes = db.session.get(Owes, world.owes_id)
        plan = plans.save_plan(owes, None, {"title": "Plan 2025–2028", "start_year": 2025,
                                            "end_year": 2028}, actor=None)
        plan_id = plan.id
        db.session.remove()
    pinned_clock.set(datetime(2026, 12, 4, 13, 0, tzinfo=UTC))
    client = login(app.test_client(), world.users["owes"])
    body = client.get(f"/wielkopolskie/owes/{world.owes_id}/plany/{plan_id}/wartosci/nowa").get_data(as_text=True)
    assert 'value="2026-H2"' in body and 'value="2027-H1"' not in body


def test_closed_plan_page_says_closed_and_no_data(app, world, login, pinned_clock):
    with app.app_context(), tenant_context(world.tenant_id):
        plan = db.session.get(ActionPlan, world.plan_id)
        plans.set_target(plan, _ind("SZK-01"), "absolute", Decimal(34), actor=None)
        db.session.remove()
    pinned_clock.set(datetime(2026, 12, 4, 13, 0, tzinfo=UTC))
    client = login(app.test_client(), world.users["coordinator"])
    url = f"/wielkopolskie/owes/{world.owes_id}/plany/{world.plan_id}"
    for headers in ({}, HX):
        resp = client.get(url, headers=headers)
        body = resp.get_data(as_text=True)
        assert resp.status_code == 200 and ("<html" in body) is (not headers)
        assert "brak przekazanych danych" in body, body[body.find("<main"):][:3000]
        assert "zamknięty" in body
        assert "opóźnienie" not in body.lower() and "0 %" not in body and "0\u00a0%" not in body
