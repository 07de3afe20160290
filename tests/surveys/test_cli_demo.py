"""The seed-core command and the demo data (idempotent, marked as demo, enough to compare)."""

from __future__ import annotations

from sqlalchemy import func, select

from coordination.extensions import db
from coordination.tenancy import all_tenants
from surveys import demo, queries
from surveys.models import Campaign, Response, SurveyTemplate, campaign_status
from tenants.models import Tenant


def test_seed_core_command_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["surveys", "seed-core"])
    second = runner.invoke(args=["surveys", "seed-core"])
    assert first.exit_code == 0 and "created" in first.output
    assert second.exit_code == 0 and "already present" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count(SurveyTemplate.id))) == 1


def _counts():
    with all_tenants():
        return (db.session.scalar(select(func.count(Campaign.id))),
                db.session.scalar(select(func.count(Response.id))),
                db.session.scalar(select(func.count(Response.id)).where(Response.is_demo.is_(False))))


def test_demo_seed(app, ctx):
    tenants = {t.slug: t for t in db.session.scalars(select(Tenant))}
    demo.seed(tenants)
    first = _counts()
    demo.seed(tenants)
    assert _counts() == first
    campaigns, responses, real = first
    assert campaigns == 11 and responses == 129 and real == 0
    scores = queries.region_dimension_scores(demo.comparison_year())
    lubuskie, wlkp = tenants["lubuskie"].id, tenants["wielkopolskie"].id
    assert set(scores[lubuskie].values()) == {None}  # 3 responses: suppressed
    assert all(v is not None for v in scores[tenants["mazowieckie"].id].values())
    assert all(v is not None for v in scores[wlkp].values())  # last year's campaign has closed
    # this year's campaigns are still open: no figures until they close
    assert queries.region_dimension_scores(demo.open_year()) == {}
    with all_tenants():
        open_now = db.session.scalars(select(Campaign).where(Campaign.year == demo.open_year())).all()
    assert {c.tenant_id for c in open_now} == {wlkp, tenants["lodzkie"].id}
    assert {campaign_status(c) for c in open_now} == {"open"}
