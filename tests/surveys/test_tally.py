"""Answer tallies: kept exact on submission, rebuilt identically, and the results read from them
equal a recount of every answer."""

from __future__ import annotations

import math
import random

import pytest

from coordination import clock
from coordination.extensions import db
from coordination.tenancy import tenant_context
from surveys import queries, services
from surveys.models import DONT_KNOW, OTHER, AnswerTally, Campaign, Respondent
from tests.surveys.conftest import campaign_and_questions, closed
from tests.surveys.tally_helpers import answer_recount, recounted_rows, region_recount, tally_rows

TEXTS = ("Żółw", "ananas", "Ala", "zebra", "Ósemka", "bez uwag", "Ala")


def _varied_draft(rng: random.Random, questions) -> dict:
    """Random valid answers: ratings with "don't know", matrices, choices with "other",
    multiple choices, numbers, texts (some left out), a random category."""
    draft: dict = {}
    for q in questions:
        codes = [o["code"] for o in q.options or ()]
        if q.kind == "single":
            choice = rng.choice(codes + ([OTHER] if q.allow_other else []))
            draft[q.code] = {"choice": choice, "other": rng.choice(TEXTS) if choice == OTHER else ""}
        elif q.kind == "multi":
            chosen = rng.sample(codes + [OTHER], rng.randint(1, len(codes) + 1))
            draft[q.code] = {"choices": chosen, "other": rng.choice(TEXTS) if OTHER in chosen else ""}
        elif q.kind == "likert":
            draft[q.code] = rng.choice(["1", "2", "3", "4", "5", DONT_KNOW])
        elif q.kind == "matrix":
            draft[q.code] = {i["code"]: rng.choice(["1", "3", "4", "5", DONT_KNOW]) for i in q.items}
        elif q.kind == "number":
            draft[q.code] = rng.choice(["0", "2.5", "7", "12"])
        elif rng.random() < 0.7:
            draft[q.code] = rng.choice(TEXTS)
    return draft


def _fill(app, tenants, campaign_id, n, seed, tenant="wielkopolskie"):
    rng = random.Random(seed)
    with app.app_context(), tenant_context(tenants[tenant]):
        campaign, questions = campaign_and_questions(campaign_id)
        for i in range(n):
            person = Respondent(campaign_id=campaign_id, full_name=f"Osoba {i}", email=f"o{seed}.{i}@example.org")
            db.session.add(person)
            db.session.flush()
            services.submit(person, campaign, questions, _varied_draft(rng, questions))
        db.session.remove()


def _own_questions(app, tenants, campaign_id, tenant="wielkopolskie"):
    with app.app_context(), tenant_context(tenants[tenant]):
        campaign = db.session.get(Campaign, campaign_id)
        services.add_regional_question(campaign, code="R-WL-MAT", kind="matrix", text="Oceń",
                                       options_text="Strona\nBiuletyn\nSpotkania")
        services.add_regional_question(campaign, code="R-WL-MULTI", kind="multi", text="Co?",
                                       options_text="A\nB\nC", allow_other=True)
        services.add_regional_question(campaign, code="R-WL-NUM", kind="number", text="Ile?")
        services.add_regional_question(campaign, code="R-WL-TXT", kind="short_text", text="Uwagi")
        db.session.remove()


@pytest.fixture
def varied(app, tenants, make_campaign):
    """Two years in Wielkopolska (own matrix, multiple choice, number, text questions) and one
    campaign in Mazowsze, all with random varied answers."""
    cids = {"now": make_campaign(year=2025), "before": make_campaign(year=2024, state="open"),
            "other": make_campaign(tenant="mazowieckie", year=2025)}
    _own_questions(app, tenants, cids["now"])
    _fill(app, tenants, cids["now"], 40, 1)
    _fill(app, tenants, cids["before"], 12, 2)
    _fill(app, tenants, cids["other"], 9, 3, tenant="mazowieckie")
    # closed, as results are read only then (year-over-year and national figures skip open ones)
    with (closed(app, tenants["wielkopolskie"], [cids["now"], cids["before"]]),
          closed(app, tenants["mazowieckie"], [cids["other"]])):
        yield cids


def _close(a, b):
    return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, abs_tol=1e-9))


def test_tallies_equal_a_recount_and_a_rebuild(app, ctx, varied):
    assert tally_rows() == recounted_rows()
    assert tally_rows()
    before = tally_rows()
    services.rebuild_tallies()
    db.session.commit()
    assert tally_rows() == before
    services.rebuild_tallies([varied["now"]])  # one campaign: the others untouched
    db.session.commit()
    assert tally_rows() == before


def test_results_from_tallies_equal_a_recount_of_answers(app, ctx, tenants, varied):
    with tenant_context(tenants["wielkopolskie"]):
        campaign, questions = campaign_and_questions(varied["now"])
        r = queries.results(campaign, questions)
        oracle = answer_recount(campaign.id)
        assert r["enough"] and r["total"] == 40
        seen = 0
        for res in r["questions"]:
            expected = oracle["questions"].get((res.question.id, res.item))
            if expected is None:
                assert res.n == 0 and not res.counts and not res.texts
                continue
            seen += 1
            assert res.n == expected["n"], res.question.code
            assert res.counts == expected["counts"], res.question.code
            assert _close(res.mean, expected["mean"]) and _close(res.median, expected["median"])
            # in the database's collation order (as before the tallies): compare as sets of texts
            assert sorted(res.texts) == expected["texts"] and res.text_count == len(expected["texts"])
        kinds = {res.question.kind for res in r["questions"] if res.n}
        assert {"likert", "matrix", "single", "multi", "number", "short_text"} <= kinds
        assert seen > 30
        groups = {g["code"]: g for g in r["categories"]["groups"]}
        assert groups
        for code, group in groups.items():
            if group["scores"] is None:
                continue
            assert set(group["scores"]) == set(oracle["categories"][code])
            for dim, mean in group["scores"].items():
                assert _close(mean, oracle["categories"][code][dim])
        regions = region_recount(2025)
        own = regions[tenants["wielkopolskie"]]
        for dim, value in r["dimensions"].items():
            if value is not None:
                assert _close(value[0], own[dim][0]) and value[1] == own[dim][1]
        assert any(v is not None for v in r["dimensions"].values())
        yoy = r["yoy"]
        assert yoy["years"] == [2024, 2025] and yoy["sizes"] == {2024: 12, 2025: 40}
        # limited open answers: the first ones alphabetically, all of them for the expanded one
        short = queries.results(campaign, questions, texts_shown=2)
        full = {(x.question.id, x.item): x for x in r["questions"]}
        for res in short["questions"]:
            assert res.texts == full[(res.question.id, res.item)].texts[:2]
            assert res.text_count == full[(res.question.id, res.item)].text_count
        expanded = queries.results(campaign, questions, texts_shown=2, expanded="R-WL-TXT")
        txt = next(x for x in expanded["questions"] if x.question.code == "R-WL-TXT")
        assert len(txt.texts) == txt.text_count > 2
    scores = queries.region_dimension_scores()
    for tid, dims in region_recount(2025).items():
        for dim, (mean, n) in dims.items():
            assert scores[tid][dim] is None if n < queries.MIN_GROUP else (
                _close(scores[tid][dim][0], mean) and scores[tid][dim][1] == n)


def test_rebuild_cli_is_idempotent(app, ctx, varied):
    expected = recounted_rows()
    with db.engine.begin() as conn:  # damage the tallies behind the services' back
        conn.execute(AnswerTally.__table__.update().values(answers=AnswerTally.__table__.c.answers + 1))
    db.session.remove()
    assert tally_rows() != expected
    for _ in range(2):
        result = app.test_cli_runner().invoke(args=["surveys", "rebuild-tallies"])
        assert result.exit_code == 0, result.output
        assert str(len(expected)) in result.output
        db.session.remove()
        assert tally_rows() == expected


def test_stored_dimension_scores_equal_the_sums_of_the_tallies(app, ctx, tenants, varied):
    """Closed campaigns' dimension scores are stored (daily job) and read instead of summing the
    tallies; without stored rows the same figures come from the tallies; a response to a
    campaign reopened after its scores were stored deletes them (never stale)."""
    from sqlalchemy import delete, func, select

    from coordination.tenancy import all_tenants
    from surveys.catalogue import DIMENSIONS
    from surveys.jobs import store_closed_scores
    from surveys.models import DimensionScore

    def stored_rows(cid=None):
        with all_tenants():
            stmt = select(func.count(DimensionScore.id))
            return db.session.scalar(stmt if cid is None else stmt.where(DimensionScore.campaign_id == cid))

    stored = queries.region_dimension_scores(2025)
    assert stored_rows() == 3 * len(DIMENSIONS)  # every dimension of the three closed campaigns
    assert any(v is not None for v in stored[tenants["wielkopolskie"]].values())
    with all_tenants():
        db.session.execute(delete(DimensionScore))
    db.session.commit()
    assert queries.region_dimension_scores(2025) == stored  # summed from the tallies
    assert store_closed_scores() == 3 and store_closed_scores() == 0
    assert queries.region_dimension_scores(2025) == stored
    # Mazowsze's campaign reopened (not possible in the UI) and answered: its rows are gone
    with tenant_context(tenants["mazowieckie"]):
        db.session.get(Campaign, varied["other"]).closed_early_on = None
        db.session.commit()
    _fill(app, tenants, varied["other"], 1, 4, tenant="mazowieckie")
    assert stored_rows(varied["other"]) == 0 and stored_rows() == 2 * len(DIMENSIONS)
    with tenant_context(tenants["mazowieckie"]):
        db.session.get(Campaign, varied["other"]).closed_early_on = clock.today()
        db.session.commit()
    assert store_closed_scores() == 1  # the ten responses now
    scores = queries.region_dimension_scores(2025)[tenants["mazowieckie"]]
    for dim, (mean, n) in region_recount(2025)[tenants["mazowieckie"]].items():
        assert scores[dim] is None if n < queries.MIN_GROUP else (
            _close(scores[dim][0], mean) and scores[dim][1] == n == 10)
