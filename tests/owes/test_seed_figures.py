"""The demo carries the figures of the seed documents exactly: one table (document, OWES,
indicator, period, value, components) in ``seed_figures.csv`` is the expectation, so a later
change to the demo cannot drift from the documents unnoticed (issue 16, items 6–9)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from coordination.extensions import db
from coordination.tenancy import tenant_context
from owes.models import ActionPlan, Indicator, Owes, PlanStaff, PlanTarget, ReportedValue

TABLE = Path(__file__).with_name("seed_figures.csv")


def _expected() -> list[dict]:
    with TABLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def rows():
    return _expected()


def _seeded(app, tenants) -> dict:
    """What the demo holds: {(region, owes, kind, key, period): (value, components)}."""
    found = {}
    for slug in ("lodzkie", "lubuskie"):
        with app.app_context(), tenant_context(tenants[slug]):
            names = dict(db.session.execute(select(Owes.id, Owes.name)).all())
            for v, code in db.session.execute(select(ReportedValue, Indicator.code).join(
                    Indicator, Indicator.id == ReportedValue.indicator_id)):
                parts = tuple(sorted((v.breakdown or {}).get("components", {}).values()))
                found[(slug, names[v.owes_id], "value", code, v.period)] = (v.value, parts, v.status)
            for t, plan, code in db.session.execute(select(PlanTarget, ActionPlan, Indicator.code)
                                                    .join(ActionPlan, ActionPlan.id == PlanTarget.plan_id)
                                                    .join(Indicator, Indicator.id == PlanTarget.indicator_id)):
                key = (slug, names[plan.owes_id], "target", code, f"{plan.start_year}–{plan.end_year}")
                found[key] = (t.value, (), "plan")
            for s, plan in db.session.execute(select(PlanStaff, ActionPlan).join(
                    ActionPlan, ActionPlan.id == PlanStaff.plan_id)):
                key = (slug, names[plan.owes_id], "staff", s.role, f"{plan.start_year}–{plan.end_year}")
                found[key] = (s.fte, (), "plan")
            db.session.remove()
    return found


def test_demo_matches_the_seed_figures_table(app, tenants, rows):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    seeded = _seeded(app, tenants)
    problems = []
    for row in rows:
        key = (row["region"], row["owes"], row["kind"], row["indicator"], row["period"])
        if key not in seeded:
            problems.append(f"missing: {row['document']} {key}")
            continue
        value, parts, status = seeded[key]
        want = tuple(sorted(float(p) for p in row["components"].split("|") if p))
        if value != Decimal(row["value"]) or parts != want:
            problems.append(f"{row['document']} {key}: demo {value} {parts}, document {row['value']} {want}")
        if row["kind"] == "value" and status != "verified":
            problems.append(f"{key}: not verified")
    assert not problems, "\n".join(problems)
    # nothing seeded that the table does not list (values and targets: the documents' figures)
    listed = {(r["region"], r["owes"], r["kind"], r["indicator"], r["period"]) for r in rows}
    extra = [k for k in seeded if k not in listed]
    assert not extra, extra
    # the two Łódzkie OWES of seed 001 stay two (never "Łódź + 7 powiatów")
    with app.app_context(), tenant_context(tenants["lodzkie"]):
        owes = {o.name: o for o in db.session.scalars(select(Owes))}
        assert set(owes) == {"OWES – wsparcie ekonomii społecznej",
                             "Łódzki Ośrodek Wsparcia Ekonomii Społecznej"}
        assert owes["Łódzki Ośrodek Wsparcia Ekonomii Społecznej"].subregion == ["Łódź"]
        assert "Łódź" not in owes["OWES – wsparcie ekonomii społecznej"].subregion
        assert "m. Skierniewice" in owes["OWES – wsparcie ekonomii społecznej"].subregion
        db.session.remove()


def test_table_components_add_up(rows):
    for row in rows:
        parts = [Decimal(p) for p in row["components"].split("|") if p]
        assert not parts or sum(parts) == Decimal(row["value"]), row
