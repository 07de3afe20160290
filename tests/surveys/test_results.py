"""Results: SQL aggregates, constant query count, year over year, regional vs national."""

from __future__ import annotations

import pytest

from coordination.extensions import db
from coordination.tenancy import tenant_context
from surveys import queries
from surveys.models import Campaign
from tests.conftest import LANE, count_statements
from tests.surveys.conftest import closed

#: issue 8: SQL statements per request, request overhead (region, user, memberships) included.
LIMIT = 8
#: the issue's "10 vs 1,000 responses". The SQLite lane measures at 200: its planner makes the
#: 40 results requests at 1,000 responses take many minutes on this shared machine (reported;
#: the statement counts are the same, which is what the test asserts).
LARGE = 200 if LANE == "sqlite" else 1000
ROLES = {"coordinator": {"role": "coordinator"}, "member": {"role": "member"}, "owes": {"role": "owes"},
         "national": {"national": True}, "admin": {"admin": True}}
PAGES = {"wyniki": "results", "wyniki/kategorie": "results by category", "wyniki/lata": "year over year",
         "wyniki/pytania": "answers by question", "eksport/wyniki.xlsx": "results XLSX", "eksport/raport.pdf": "PDF",
         "eksport/odpowiedzi.xlsx": "responses XLSX"}
#: the PDF reads what the results XLSX reads (queries.results); rendered for one role (slow).
PDF_ROLES = ("coordinator",)


def _statements(app, clients, cids) -> dict:
    """``(campaign, page, role) -> (status, statements)`` for every results page and export."""
    out = {}
    for role, client in clients.items():
        for cid in cids:
            for page in PAGES:
                if page.endswith(".pdf") and role not in PDF_ROLES:
                    continue
                with count_statements(app) as seen:
                    r = client.get(f"/wielkopolskie/ankiety/{cid}/{page}")
                out[(cid, page, role)] = (r.status_code, seen.statements)
    return out




def test_results_pages_statement_counts(app, tenants, make_user, login, make_campaign, add_responses):
    """Results page and exports, every role: same statements at 10 and 1,000 responses, at most 8."""
    clients = {role: login(app.test_client(), make_user(f"{role}@example.org", **kw))
               for role, kw in ROLES.items()}
    few = make_campaign(year=2023, state="open")
    add_responses(few, 2, text="Uwaga")
    add_responses(make_campaign(year=2024, state="open"), 6, ratings=("2", "3"))
    add_responses(make_campaign("lodzkie", year=2025, state="open"), 5, tenant="lodzkie")
    cid = make_campaign(year=2025, state="open")
    add_responses(cid, 10, text="Uwaga", categories=("OWES", "PES"))
    with closed(app, tenants["wielkopolskie"], (few, cid)):
        small = _statements(app, clients, (few, cid))
    add_responses(cid, LARGE - 10, categories=("OWES", "PES"))  # texts: the 10 first (keeps the PDF quick)
    add_responses(few, 1, text="Uwaga")
    with closed(app, tenants["wielkopolskie"], (few, cid)):
        large = _statements(app, clients, (few, cid))
    with closed(app, tenants["wielkopolskie"], (cid,)):
        body = clients["member"].get(f"/wielkopolskie/ankiety/{cid}/wyniki/pytania").get_data(as_text=True)
    assert f"n = {LARGE}" in body and "Uwaga" in body
    failures = []
    for key, (status, seen) in large.items():
        where = f"{PAGES[key[1]]} of campaign {key[0]} as {key[2]}"
        expected = 200
        if key[1] == "eksport/odpowiedzi.xlsx":  # coordinators only, and only from 5 responses
            expected = 403 if key[2] not in ("coordinator", "admin") else 303 if key[0] == few else 200
        if status != expected or small[key][0] != expected:
            failures.append(f"{where}: status {small[key][0]} / {status}")
        if len(seen) != len(small[key][1]):
            failures.append(f"{where}: {len(small[key][1])} statements at 10 responses, {len(seen)} at {LARGE}")
        if len(seen) > LIMIT:
            failures.append(f"{where}: {len(seen)} statements:\n    " + "\n    ".join(s[:100] for s in seen))
    assert not failures, "\n".join(failures)


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
    others = {}
    for slug, rating in (("lodzkie", "3"), ("mazowieckie", "5")):
        others[slug] = make_campaign(slug, year=2025)
        add_responses(others[slug], 5, tenant=slug, ratings=(rating,))
    # open campaigns are in no year-over-year table nor national figure (each answer would show)
    with tenant_context(tenants["wielkopolskie"]):
        assert queries.results(db.session.get(Campaign, new))["yoy"]["years"] == []
    assert queries.region_dimension_scores(2025) == {}
    with (closed(app, tenants["wielkopolskie"], [old, new, tiny]),
          closed(app, tenants["lodzkie"], [others["lodzkie"]]),
          closed(app, tenants["mazowieckie"], [others["mazowieckie"]])):
        with tenant_context(tenants["wielkopolskie"]):
            r = queries.results(db.session.get(Campaign, new))
        scores = queries.region_dimension_scores(2025)
    yoy = r["yoy"]
    assert yoy["years"] == [2023, 2024, 2025] and yoy["shown"] == {2024, 2025}
    assert yoy["codes"]["KOM-01"] == {2024: (2.0, 5), 2025: (4.0, 5)}
    assert yoy["dimensions"]["OGOL"] == {2024: 2.0, 2025: 4.0}
    assert r["dimensions"]["KOM"] == (4.0, 5)
    assert r["national"]["KOM"] == 4.0  # median of 3, 4, 5
    assert set(scores) == {tenants["wielkopolskie"], tenants["lodzkie"], tenants["mazowieckie"]}
    assert scores[tenants["lodzkie"]]["REG"] == (3.0, 5)


def test_region_dimension_scores_empty(app, ctx):
    assert queries.region_dimension_scores() == {}


def test_response_rate_over_time(app, tenants, make_user, login, make_campaign, add_responses):
    """The results page shows, per day of completion, the cumulative share of invited people."""
    from datetime import datetime

    from sqlalchemy import update

    from surveys.models import Respondent

    cid = make_campaign()
    add_responses(cid, 5)
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        for i in range(5):
            db.session.add(Respondent(campaign_id=cid, full_name=f"Bez odpowiedzi {i}", email=f"nie{i}@example.org"))
        db.session.flush()
        db.session.execute(update(Respondent).values(invited_at=datetime(2025, 1, 1)))
        db.session.commit()
    client = login(app.test_client(), make_user("m@example.org", "member"))
    body = client.get(f"/wielkopolskie/ankiety/{cid}/wyniki").get_data(as_text=True)
    assert "Zwrotność w czasie" in body and "5 z 10 zaproszonych" in body
    assert "<td class=\"num\">5</td><td class=\"num\">50%</td>" in body
