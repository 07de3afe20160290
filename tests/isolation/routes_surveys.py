"""Route classification and isolation objects of the surveys module."""

from __future__ import annotations

from datetime import timedelta

from coordination import clock
from coordination.extensions import db
from surveys import services
from surveys.models import Respondent, TemplateQuestion
from surveys.services.respondents import new_token
from tests.isolation.levels import NATIONAL, TENANT_MANAGE, TENANT_VIEW, TOKEN

_MANAGE = ("campaign_new", "campaign_detail", "campaign_edit", "campaign_anonymity", "campaign_close",
           "send_invitations", "send_reminders", "questions", "question_remove", "respondents",
           "respondents_import", "respondents_committee", "respondent_revoke", "respondent_remove",
           "export_responses")
_VIEW = ("campaign_list", "results", "export_results", "export_pdf")

ROUTES = {
    **{f"tenant.surveys.{name}": TENANT_MANAGE for name in _MANAGE},
    **{f"tenant.surveys.{name}": TENANT_VIEW for name in _VIEW},
    "survey.fill": TOKEN,
    "survey.national_comparison": NATIONAL,
    "survey.core_template": NATIONAL,
    "survey.core_question_edit": NATIONAL,
}


def build_objects(slug: str, marker: str, users: dict) -> dict:
    """An open campaign with an own question and a respondent holding a valid token.

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
    db.session.commit()
    return {
        "campaign_id": campaign.id,
        "survey_question_id": question.id,
        "respondent_id": person.id,
        "survey_token": token,
        "template_question_id": db.session.scalar(
            db.select(TemplateQuestion.id).order_by(TemplateQuestion.id)),
    }
