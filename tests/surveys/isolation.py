"""Isolation-test objects of the surveys module (its routes are classified in its manifest)."""

from __future__ import annotations

from datetime import timedelta

from coordination import clock
from coordination.extensions import db
from surveys import queries, services
from surveys.models import Respondent, TemplateQuestion
from surveys.services.respondents import new_token
from tests.surveys.conftest import full_draft


def build_objects(slug: str, marker: str, users: dict) -> dict:
    """A campaign with an own question, a respondent holding a valid token and five
    submitted responses, closed: so the individual-responses export (closed, at least 5
    responses) answers its file as for any closed campaign.

    No committee group here: the perf guard seeds one per region after this world (one
    committee per region); the committee preview's region filter is tested in
    tests/surveys/test_committee.py (another region's committee member never shows)."""
    template, _created = services.ensure_core_template()
    today = clock.today()
    campaign = services.create_campaign(template, 2025, today - timedelta(days=1), today + timedelta(days=10),
                                        title=f"{marker} Ankieta {slug}".strip())
    question = services.add_regional_question(campaign, code="REG-X1", kind="likert",
                                              text=f"{marker} Pytanie regionu {slug}".strip())
    person = Respondent(campaign_id=campaign.id, full_name=f"{marker} Respondent".strip(),
                        email=f"respondent.{slug}@example.org")
    db.session.add(person)
    token = new_token(person)
    questions = queries.flat_questions(queries.sections_and_questions(campaign.id))
    for i in range(queries.MIN_GROUP):
        answered = Respondent(campaign_id=campaign.id, full_name=f"Osoba {i}", email=f"osoba{i}.{slug}@example.org")
        db.session.add(answered)
        db.session.flush()
        services.submit(answered, campaign, questions, full_draft(questions))
    services.close_campaign(campaign)
    db.session.commit()
    return {
        "campaign_id": campaign.id,
        "results_part": "pytania",
        "survey_question_id": question.id,
        "respondent_id": person.id,
        "survey_token": token,
        "template_question_id": db.session.scalar(
            db.select(TemplateQuestion.id).order_by(TemplateQuestion.id)),
    }
