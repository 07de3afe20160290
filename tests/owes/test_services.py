"""Service-level tests: aggregation rules, schedule flags, value workflow, registry rules,
the national query."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from coordination.audit import AuditLog
from coordination.auth.models import User
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import all_tenants, tenant_context
from owes import queries
from owes.models import ActionPlan, Indicator, Owes
from owes.queries import progress
from owes.services import plans, registry, values


@pytest.fixture
def svc(app, world):
    """App + tenant context of the world's region; yields (world, coordinator, owes user)."""
    with app.test_request_context(), tenant_context(world.tenant_id):
        coord = db.session.get(User, world.users["coordinator"])
        owes_user = db.session.get(User, world.users["owes"])
        yield world, coord, owes_user
        db.session.remove()


def _ind(code):
    return db.session.scalar(select(Indicator).where(Indicator.code == code))


def _obj(world):
    return db.session.get(Owes, world.owes_id), db.session.get(ActionPlan, world.plan_id)


def _verified(owes, plan, code, period, value, actor):
    row = values.save_value(owes, plan, _ind(code), period, Decimal(value), actor=actor)
    values.submit([row], actor=actor)
    values.verify(row, actor=actor)
    return row


def _rows(plan, as_of=date(2021, 12, 31)):
    targets, inds, vals = progress.load([plan])
    return {r.indicator.code: r for r in progress.plan_rows(plan, targets[plan.id], inds, vals, as_of)}


def test_sum_rule_adds_periods_and_counts_only_verified(svc):
    world, coord, _ = svc
    owes, plan = _obj(world)
    plans.set_target(plan, _ind("RES-01"), "absolute", Decimal(114), actor=coord)
    _verified(owes, plan, "RES-01", "2018", 30, coord)
    _verified(owes, plan, "RES-01", "2019-H1", 10, coord)
    draft = values.save_value(owes, plan, _ind("RES-01"), "2019-H2", Decimal(7), actor=coord)
    values.submit([draft], actor=coord)  # submitted, not verified
    row = _rows(plan)["RES-01"]
    assert row.actual == 40.0
    assert row.pending == 7.0
    assert row.achieved == round(40 / 114 * 100, 1)


def test_unique_rule_takes_latest_period(svc):
    world, coord, _ = svc
    owes, plan = _obj(world)
    plans.set_target(plan, _ind("RES-02"), "absolute", Decimal(130), actor=coord)
    _verified(owes, plan, "RES-02", "2018", 50, coord)
    _verified(owes, plan, "RES-02", "2019", 65, coord)  # running total, not 115
    assert _rows(plan)["RES-02"].actual == 65.0
    assert _rows(plan)["RES-02"].achieved == 50.0


def test_percent_of_target_uses_base_indicator_actual(svc):
    world, coord, _ = svc
    owes, plan = _obj(world)
    plans.set_target(plan, _ind("AL-04"), "absolute", Decimal(20), actor=coord)
    plans.set_target(plan, _ind("AL-05"), "percent", Decimal(30), actor=coord)
    rows = _rows(plan)
    assert rows["AL-05"].achieved is None  # no communities supported yet: no base
    _verified(owes, plan, "AL-04", "2018", 20, coord)
    _verified(owes, plan, "AL-05", "2018", 3, coord)
    row = _rows(plan)["AL-05"]
    assert row.base_code == "AL-04"
    assert row.effective_target == pytest.approx(6.0)  # 30 % of 20
    assert row.achieved == 50.0  # 3 of 6


def test_percent_target_must_be_0_to_100_and_have_a_base(svc):
    world, coord, _ = svc
    _owes, plan = _obj(world)
    with pytest.raises(DomainError):
        plans.set_target(plan, _ind("AL-05"), "percent", Decimal(130), actor=coord)
    with pytest.raises(DomainError):
        plans.set_target(plan, _ind("RES-01"), "percent", Decimal(10), actor=coord)  # no base
    with pytest.raises(DomainError):
        plans.set_target(plan, _ind("RES-01"), "absolute", Decimal(-1), actor=coord)


@pytest.mark.parametrize("as_of, expected", [
    (date(2017, 6, 1), 0.0), (date(2022, 1, 1), 100.0)])
def test_expected_share_is_clamped(as_of, expected):
    assert progress.expected_share(2018, 2021, as_of) == expected


def test_behind_schedule_flag_follows_linear_expectation(svc):
    world, coord, _ = svc
    owes, plan = _obj(world)
    plans.set_target(plan, _ind("RES-01"), "absolute", Decimal(100), actor=coord)
    plans.set_target(plan, _ind("SZK-01"), "absolute", Decimal(10), actor=coord)
    _verified(owes, plan, "RES-01", "2018", 20, coord)   # 20 %
    _verified(owes, plan, "SZK-01", "2018", 5, coord)    # 50 %
    mid = date(2019, 12, 31)  # half of the plan: expectation ~50 %
    rows = _rows(plan, mid)
    assert 49 < rows["RES-01"].expected < 51
    assert rows["RES-01"].behind is True
    assert rows["SZK-01"].behind is False
    assert _rows(plan, date(2018, 1, 2))["RES-01"].behind is False  # at the start nobody is behind


def test_rates_are_not_cumulative_but_due_every_year(svc):
    """PS-02 "+5 % turnover a year" (seed 000): the latest yearly rate must reach the target."""
    world, coord, _ = svc
    owes, plan = _obj(world)
    plans.set_target(plan, _ind("PS-02"), "absolute", Decimal(5), actor=coord)
    assert _rows(plan, date(2018, 6, 30))["PS-02"].behind is False  # no yearly figure yet
    assert _rows(plan, date(2019, 2, 1))["PS-02"].expected == 100.0
    assert _rows(plan, date(2019, 2, 1))["PS-02"].behind is True  # 2018 not reported
    _verified(owes, plan, "PS-02", "2018", 3, coord)   # +3 %: below the yearly target
    assert _rows(plan, date(2019, 2, 1))["PS-02"].behind is True
    _verified(owes, plan, "PS-02", "2019", 5.5, coord)
    row = _rows(plan, date(2020, 2, 1))["PS-02"]
    assert row.actual == 5.5 and row.achieved == 110.0 and row.behind is False


def test_value_workflow_and_audit(svc):
    world, coord, owes_user = svc
    owes, plan = _obj(world)
    row = values.save_value(owes, plan, _ind("AL-09"), "2018", Decimal(12), actor=owes_user,
                            evidence="listy obecności")
    assert row.status == "draft"
    values.submit([row], actor=owes_user)
    assert row.status == "submitted"
    with pytest.raises(DomainError):
        values.return_value(row, "  ", actor=coord)  # a comment is required
    values.return_value(row, "Brakuje listy z marca", actor=coord)
    assert (row.status, row.review_comment) == ("returned", "Brakuje listy z marca")
    values.save_value(owes, plan, _ind("AL-09"), "2018", Decimal(13), actor=owes_user, existing=row)
    assert row.status == "draft"
    values.submit([row], actor=owes_user)
    values.verify(row, actor=coord)
    assert row.status == "verified" and row.verified_by_id == coord.id
    with pytest.raises(DomainError, match="locked|zablokowana"):
        values.save_value(owes, plan, _ind("AL-09"), "2018", Decimal(14), actor=owes_user)
    with pytest.raises(DomainError):
        values.verify(row, actor=coord)  # only submitted values
    values.reopen(row, "Korekta po kontroli", actor=coord)
    assert row.status == "returned" and row.verified_at is None
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "ReportedValue")
                                 .order_by(AuditLog.id)).all()
    assert actions == ["owes.value_create", "owes.value_submit", "owes.value_return",
                       "owes.value_update", "owes.value_submit", "owes.value_verify",
                       "owes.value_reopen"]


def test_value_rules(svc):
    world, coord, _ = svc
    owes, plan = _obj(world)
    with pytest.raises(DomainError):
        values.save_value(owes, plan, _ind("AL-09"), "2017", Decimal(1), actor=coord)  # outside plan
    with pytest.raises(DomainError):
        values.save_value(owes, plan, _ind("AL-09"), "2018", Decimal(-1), actor=coord)
    with pytest.raises(DomainError):
        values.save_value(owes, plan, _ind("PS-02"), "2018", Decimal(120), actor=coord)  # % > 100
    values.save_value(owes, plan, _ind("AL-09"), "2019-H1", Decimal(1), actor=coord)
    with pytest.raises(DomainError):  # whole year after a half-year: would count twice
        values.save_value(owes, plan, _ind("AL-09"), "2019", Decimal(1), actor=coord)


def test_breakdown_must_add_up(svc):
    world, coord, _ = svc
    owes, plan = _obj(world)
    ind = _ind("RES-01")
    with pytest.raises(DomainError):
        values.save_value(owes, plan, ind, "2018", Decimal(10), actor=coord,
                          breakdown={"women": Decimal(3), "men": Decimal(3)})
    with pytest.raises(DomainError):  # AL-09 has no breakdown by sex
        values.save_value(owes, plan, _ind("AL-09"), "2018", Decimal(10), actor=coord,
                          breakdown={"women": Decimal(5), "men": Decimal(5)})
    row = values.save_value(owes, plan, ind, "2018", Decimal(10), actor=coord, breakdown={
        "women": Decimal(6), "men": Decimal(4), "disability": Decimal(2),
        "powiat": {"gnieźnieński": Decimal(10)}})
    assert row.breakdown == {"women": 6.0, "men": 4.0, "disability": 2.0,
                             "powiat": {"gnieźnieński": 10.0}}


def test_parse_period():
    assert values.parse_period("2019") == ("2019", 2019)
    assert values.parse_period(2019) == ("2019", 2019)
    assert values.parse_period("2019 H2") == ("2019-H2", 2019)
    assert values.parse_period("2019/1") == ("2019-H1", 2019)
    assert values.parse_period("2019-H3") is None
    assert values.parse_period("rok 2019") is None


def test_accreditation_expiry_flag_and_dates(svc):
    world, coord, _ = svc
    owes = db.session.get(Owes, world.owes_id)
    today = date(2025, 1, 1)
    owes.accredited_to = today + timedelta(days=90)
    assert registry.accreditation_expiring(owes, today)
    owes.accredited_to = today + timedelta(days=91)
    assert not registry.accreditation_expiring(owes, today)
    with pytest.raises(DomainError):
        registry.save_owes(owes, {"accredited_from": date(2025, 1, 1), "accredited_to": date(2024, 1, 1)},
                           actor=coord)
    assert registry.parse_powiaty("zgierski, łęczycki\nzgierski;kutnowski") == [
        "zgierski", "łęczycki", "kutnowski"]


def test_plan_period_rules(svc):
    world, coord, _ = svc
    owes, _plan = _obj(world)
    with pytest.raises(DomainError):
        plans.save_plan(owes, None, {"title": "x", "start_year": 2022, "end_year": 2020}, actor=coord)
    with pytest.raises(DomainError):  # the same period twice
        plans.save_plan(owes, None, {"title": "x", "start_year": 2018, "end_year": 2021}, actor=coord)


def test_region_indicator_achievement_reads_all_tenants(app, world, tenants, catalogue):
    with app.test_request_context(), tenant_context(world.tenant_id):
        coord = db.session.get(User, world.users["coordinator"])
        owes, plan = _obj(world)
        plans.set_target(plan, _ind("RES-01"), "absolute", Decimal(100), actor=coord)
        _verified(owes, plan, "RES-01", "2018", 25, coord)
        submitted = values.save_value(owes, plan, _ind("RES-01"), "2019", Decimal(50), actor=coord)
        values.submit([submitted], actor=coord)  # not verified: does not count
        db.session.remove()
    with app.app_context(), tenant_context(tenants["lodzkie"]):
        other = registry.save_owes(None, {"name": "OWES łódzki"}, actor=None)
        p2 = plans.save_plan(other, None, {"title": "P", "start_year": 2018, "end_year": 2021}, actor=None)
        plans.set_target(p2, _ind("RES-01"), "absolute", Decimal(50), actor=None)
        db.session.remove()
    with app.app_context():
        result = queries.region_indicator_achievement(date(2021, 12, 31))
    assert set(result) == set(tenants.values())
    assert result[world.tenant_id]["RES-01"] == 25.0
    # a running plan with a target but nothing reported: "not reported", never 0 %
    assert result[tenants["lodzkie"]]["RES-01"] == queries.NOT_REPORTED
    assert result[world.tenant_id].get("SZK-01") is None
    assert result[tenants["mazowieckie"]]["RES-01"] == queries.NO_CURRENT_PLAN
    assert set(result[world.tenant_id]) == {"RES-01"}  # only codes somebody targets
    assert set(result[tenants["mazowieckie"]]) == {"RES-01"}
    with app.app_context():  # December 2026: both plans have ended
        later = queries.region_indicator_achievement(date(2026, 12, 4))
    assert later[world.tenant_id] == later[tenants["lodzkie"]] == {"RES-01": queries.NO_CURRENT_PLAN}
    assert 0.0 not in [v for row in later.values() for v in row.values()]


def test_catalogue_seed_is_idempotent(app, catalogue):
    from owes.catalogue import CATALOGUE, ensure_catalogue

    with app.app_context():
        assert ensure_catalogue() == 0
        with all_tenants():
            n = db.session.scalar(select(db.func.count(Indicator.id)))
        base = db.session.scalar(select(Indicator).where(Indicator.code == "AL-07"))
        assert db.session.get(Indicator, base.base_id).code == "AL-06"
    assert n == len(CATALOGUE)


def test_indicator_catalogue_rules(app, catalogue):
    with app.test_request_context():
        with pytest.raises(DomainError):
            registry.save_indicator(None, {"code": "al-01", "name": "dup", "unit": "count",
                                           "aggregation": "sum"}, actor=None)
        with pytest.raises(DomainError):
            registry.save_indicator(None, {"code": "AL-99", "name": "x", "unit": "count",
                                           "aggregation": "percent_of"}, actor=None)
        ind = registry.save_indicator(None, {"code": "al-90", "name": "Nowy", "unit": "count",
                                             "aggregation": "sum", "disaggregation": ["powiat", "sex"]},
                                      actor=None)
        assert (ind.code, ind.disaggregation) == ("AL-90", "sex,powiat")
        db.session.remove()
