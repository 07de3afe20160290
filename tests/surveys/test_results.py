"""Results: SQL aggregates, constant query count, year over year, regional vs national."""

from __future__ import annotations

import pytest

from coordination.extensions import db
from coordination.tenancy import tenant_context
from surveys import queries
from surveys.models import Campaign
from tests.surveys.conftest import count_queries


def _results_page_queries(app, client, cid):
    with app.app_context(), count_queries(db.engine) as seen:
        r = client.get(f"/wielkopolskie/ankiety/{cid}/wyniki")
        assert r.status_code == 200
    return len(seen), r.get_data(as_text=True)


def test_results_page_query_count_does_not_grow(app, tenants, make_user, login, make_campaign, add_responses):
    client = app.test_client()
    login(client, make_user("k@example.org", "coordinator"))
    small = make_campaign(year=2024, state="open")
    big = make_campaign(year=2025, state="open")
    add_responses(small, 5, text="Uwaga")
    add_responses(big, 200, text="Uwaga")
    n_small, body_small = _results_page_queries(app, client, small)
    n_big, body_big = _results_page_queries(app, client, big)
    assert n_small == n_big, (n_small, n_big)
    assert n_big < 40
    assert "n = 200" in body_big and "n = 5" in body_small


def test_distribution_mean_median(app, ctx, tenants, make_campaign, add_responses):
    cid = make_campaign()
    add_responses(cid, 6, ratings=("1", "2", "5", "5", "5", "dk"))
    with tenant_context(tenants["wielkopolskie"]):
        r = queries.results(db.session.get(Campaign, cid))
    res = next(x for x in r["questions"] if x.question.code == "KOM-01")
    assert res.n == 6 and res.counts == {"1": 1, "2": 1, "5": 3, "dk": 1}
    assert res.mean == pytest.approx(18 / 5) and res.median == 5
    kat = next(x for x in r["questions"] if x.question.code == "PROF-KAT")
    assert kat.counts == {"OWES": 6}


def test_year_over_year_by_code_and_national_median(app, ctx, tenants, make_campaign, add_responses):
    old = make_campaign(year=2024, state="open")
    new = make_campaign(year=2025, state="open")
    tiny = make_campaign(year=2023, state="open")
    add_responses(old, 5, ratings=("2",))
    add_responses(new, 5, ratings=("4",))
    add_responses(tiny, 2, ratings=("5",))
    for slug, rating in (("lodzkie", "3"), ("mazowieckie", "5")):
        cid = make_campaign(slug, year=2025)
        add_responses(cid, 5, tenant=slug, ratings=(rating,))
    with tenant_context(tenants["wielkopolskie"]):
        r = queries.results(db.session.get(Campaign, new))
    yoy = r["yoy"]
    assert yoy["years"] == [2023, 2024, 2025] and yoy["shown"] == {2024, 2025}
    assert yoy["codes"]["KOM-01"] == {2024: (2.0, 5), 2025: (4.0, 5)}
    assert yoy["dimensions"]["OGOL"] == {2024: 2.0, 2025: 4.0}
    assert r["dimensions"]["KOM"] == (4.0, 5)
    assert r["national"]["KOM"] == 4.0  # median of 3, 4, 5
    scores = queries.region_dimension_scores(2025)
    assert set(scores) == {tenants["wielkopolskie"], tenants["lodzkie"], tenants["mazowieckie"]}
    assert scores[tenants["lodzkie"]]["REG"] == (3.0, 5)


def test_region_dimension_scores_empty(app, ctx):
    assert queries.region_dimension_scores() == {}
