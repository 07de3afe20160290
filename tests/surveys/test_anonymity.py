"""Anonymity holds under inspection of the schema, the rows and the exports."""

from __future__ import annotations

import io

from python_calamine import CalamineWorkbook
from sqlalchemy import inspect, select

from coordination.extensions import db
from coordination.tenancy import tenant_context
from surveys import exports, queries, services
from surveys.models import Answer, Campaign, Respondent, Response
from tests.surveys.conftest import campaign_and_questions, closed, full_draft

IDENTIFYING = ("token", "respondent_id", "user_id", "ip", "email", "created_at", "submitted_at",
               "updated_at", "completed_at", "at")


def test_schema_has_no_link_from_answers_to_people(app):
    with app.app_context():
        insp = inspect(db.engine)
        for table in ("survey_response", "survey_answer"):
            columns = {c["name"] for c in insp.get_columns(table)}
            assert not columns & set(IDENTIFYING), table
            assert not any("time" in str(c["type"]).lower() for c in insp.get_columns(table)), table
            referred = {fk["referred_table"] for fk in insp.get_foreign_keys(table)}
            assert referred <= {"tenant", "survey_campaign", "survey_response", "survey_question"}, referred
        assert {c["name"] for c in insp.get_columns("survey_respondent")} >= {"token_hash", "completed"}


def test_tables_after_a_submit(app, ctx, tenants, make_campaign, make_respondent):
    cid = make_campaign()
    _rid, token = make_respondent(cid, "ala@example.org", name="Ala Kowalska")
    with tenant_context(tenants["wielkopolskie"]):
        campaign, questions = campaign_and_questions(cid)
        person = services.find_by_token(token)
        services.save_draft(person, full_draft(questions, text="Moja opinia"), [q.code for q in questions])
        assert db.session.get(Respondent, person.id).draft  # identifiable only until submitted
        services.submit(person, campaign, questions, db.session.get(Respondent, person.id).draft)
        db.session.expire_all()
        person = db.session.get(Respondent, person.id)
        assert person.completed and person.draft is None and person.completed_on is not None
        response = db.session.scalar(select(Response))
        row = {c.key: getattr(response, c.key) for c in inspect(Response).mapper.column_attrs}
        assert row["respondent_name"] is None and row["year"] == campaign.year and row["anonymous"] is True
        assert len(row["id"]) == 32 and not row["id"].isdigit()  # random, not a sequence
        assert set(row) == {"id", "tenant_id", "campaign_id", "year", "anonymous", "respondent_name", "is_demo"}
        values = " ".join(str(v) for v in row.values())
        for secret in (token, services.respondents.hash_token(token), "ala@example.org", "Ala"):
            assert secret not in values
        answers = db.session.scalars(select(Answer)).all()
        assert answers and {a.response_id for a in answers} == {response.id}
        dumped = " ".join(f"{a.item} {a.num} {a.choice} {a.text}" for a in answers)
        assert "ala@example.org" not in dumped and token not in dumped


def test_export_holds_no_ids_names_or_tokens(app, ctx, tenants, make_campaign, make_respondent, add_responses):
    cid = make_campaign()
    _rid, token = make_respondent(cid, "ala@example.org", name="Ala Kowalska")
    add_responses(cid, 4)
    with tenant_context(tenants["wielkopolskie"]):
        campaign, questions = campaign_and_questions(cid)
        services.submit(services.find_by_token(token), campaign, questions, full_draft(questions, text="Moja opinia"))
        services.close_campaign(campaign)
        ids = set(db.session.scalars(select(Response.id)))
        data = exports.responses_xlsx(campaign)
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    flat = " ".join(str(c) for i in range(2) for r in book.get_sheet_by_index(i).to_python() for c in r)
    for secret in (token, "ala@example.org", "Ala Kowalska", *ids):
        assert secret not in flat
    assert "Moja opinia" in flat


def test_small_groups_are_hidden(app, ctx, tenants, make_campaign, add_responses):
    cid = make_campaign()
    add_responses(cid, 4)
    with tenant_context(tenants["wielkopolskie"]):
        r = queries.results(db.session.get(Campaign, cid))
        assert r["total"] == 4 and not r["enough"] and r["questions"] == [] and r["dimensions"] == {}
    add_responses(cid, 3, categories=("PES",))
    add_responses(cid, 2, categories=("OWES",))
    with tenant_context(tenants["wielkopolskie"]):
        r = queries.results(db.session.get(Campaign, cid))
        assert r["enough"]
        groups = {g["code"]: g for g in r["categories"]["groups"]}
        assert groups["OWES"]["n"] == 6 and groups["OWES"]["scores"]
        assert groups["PES"]["n"] == 3 and groups["PES"]["scores"] is None
    # while the campaign is open it is in no national comparison (each new answer would show)
    assert tenants["wielkopolskie"] not in queries.region_dimension_scores(2025)
    with closed(app, tenants["wielkopolskie"], [cid]):
        scores = queries.region_dimension_scores(2025)
    # 9 responses, one of which answered only "hard to say": 8 rated the dimension
    assert scores[tenants["wielkopolskie"]]["KOM"][1] == 8


def test_region_with_few_responses_is_none_nationally(app, ctx, tenants, make_campaign, add_responses):
    lodz = make_campaign("lodzkie")
    cid = make_campaign("wielkopolskie")
    add_responses(cid, 5, ratings=("5",))
    with closed(app, tenants["lodzkie"], [lodz]), closed(app, tenants["wielkopolskie"], [cid]):
        scores = queries.region_dimension_scores()
    assert scores[tenants["wielkopolskie"]]["OGOL"] == (5.0, 5)
    assert set(scores[tenants["lodzkie"]].values()) == {None}
