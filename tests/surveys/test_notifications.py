"""Survey e-mails through the queue with the injectable clock: invitation on the opening day,
automatic reminders only to non-respondents, closing notice, language, anonymity of the outbox."""

from __future__ import annotations

import json
import re
from datetime import datetime
from email.header import decode_header, make_header

import pytest
from sqlalchemy import select

from coordination.auth.models import User
from coordination.extensions import db
from coordination.notifications import services as notify
from coordination.notifications.models import Notification
from coordination.tenancy import tenant_context
from surveys import queries, services
from surveys.models import Campaign
from tests.surveys.conftest import full_draft

LINK = re.compile(r"https://sieci\.example\.org/ankieta/([A-Za-z0-9_\-]+)")
PEOPLE = (("Ala", "ala@example.org"), ("Bartek", "bartek@example.org"), ("Celina", "celina@example.org"))


@pytest.fixture
def campaign_id(app, ctx, tenants, clock):
    """A planned campaign: opens Thursday 5 March, closes Tuesday 31 March; 3 reminders a week apart."""
    with app.test_request_context(), tenant_context(tenants["wielkopolskie"]):
        template, _ = services.ensure_core_template()
        campaign = services.create_campaign(template, 2025, datetime(2026, 3, 5).date(), datetime(2026, 3, 31).date(),
                                            reminders=(3, 7))
        for name, email in PEOPLE:
            services.add_respondent(campaign, name, email)
        return campaign.id


def _at(clock, when: datetime, smtp) -> list[tuple[str, str]]:
    smtp.messages.clear()
    clock.now = when
    notify.send_due()
    return sorted((m["message"]["X-Sieci-Notification"], m["to"][0]) for m in smtp.messages)


def test_schedule_reminders_only_non_respondents_closing(app, tenants, smtp, clock, campaign_id, make_user):
    make_user("celina@example.org", "member", name="Celina Konto")
    with app.app_context():
        db.session.scalar(select(User).where(User.email == "celina@example.org")).locale = "en"
        db.session.commit()
    with app.test_request_context(), tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, campaign_id)
        assert services.send_invitations(campaign) == 3
    # planned campaign: invitations wait for the opening day, 8:00 Warsaw (7:00 UTC)
    assert _at(clock, datetime(2026, 3, 5, 6, 59), smtp) == []
    assert _at(clock, datetime(2026, 3, 5, 7, 0), smtp) == [("survey_invitation", e) for _n, e in PEOPLE]
    subjects = {m["to"][0]: str(make_header(decode_header(m["message"]["Subject"]))) for m in smtp.messages}
    assert subjects["celina@example.org"].startswith("Survey: ")  # her account is in English
    assert subjects["ala@example.org"].startswith("Ankieta: ")
    bodies = dict(zip([m["to"][0] for m in smtp.messages], smtp.bodies(), strict=True))
    tokens = {to: LINK.search(body).group(1) for to, body in bodies.items()}

    # Ala answers; Bartek is revoked
    with app.test_request_context(), tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, campaign_id)
        ala = services.find_by_token(tokens["ala@example.org"])
        questions = queries.flat_questions(queries.sections_and_questions(campaign_id))
        services.submit(ala, campaign, questions, full_draft(questions, text="Tajna odpowiedź Ali"))
        bartek = services.find_by_token(tokens["bartek@example.org"])
        services.revoke_respondent(bartek)

    # reminders 12, 19, 26 March 8:00 Warsaw; closing notice 29 March 8:00 (CEST from 29 March: 6:00 UTC)
    assert _at(clock, datetime(2026, 3, 12, 7, 0), smtp) == [("survey_reminder", "celina@example.org")]
    new = LINK.search(smtp.bodies()[0]).group(1)
    assert new != tokens["celina@example.org"]
    with app.app_context():
        assert services.find_by_token(tokens["celina@example.org"]) is None
        assert services.find_by_token(new).email == "celina@example.org"
    assert _at(clock, datetime(2026, 3, 13, 7, 0), smtp) == []  # once
    assert _at(clock, datetime(2026, 3, 19, 7, 0), smtp) == [("survey_reminder", "celina@example.org")]
    # Celina answers: no more reminders, no closing notice
    with app.test_request_context(), tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, campaign_id)
        celina = services.find_by_token(LINK.search(smtp.bodies()[0]).group(1))
        questions = queries.flat_questions(queries.sections_and_questions(campaign_id))
        services.submit(celina, campaign, questions, full_draft(questions))
    assert _at(clock, datetime(2026, 3, 31, 7, 0), smtp) == []
    with app.app_context():
        rows = db.session.scalars(select(Notification).where(Notification.object_type == "campaign")).all()
        sent = sorted((r.kind, r.recipient, r.slot) for r in rows if r.status == "sent")
        assert sent == [("survey_invitation", e, "") for _n, e in PEOPLE] + [
            ("survey_reminder", "celina@example.org", "r1"), ("survey_reminder", "celina@example.org", "r2")]
        # Ala's reminders skipped (answered), Bartek's cancelled (revoked); nothing else went out
        assert {r.status for r in rows if r.recipient == "ala@example.org" and r.kind != "survey_invitation"} == {
            "skipped"}
        assert {r.status for r in rows if r.recipient == "bartek@example.org" and r.kind != "survey_invitation"} == {
            "cancelled"}
        # anonymity: the outbox holds no token and no answer content
        stored = json.dumps([r.context for r in rows])
        assert "Tajna" not in stored and "ankieta/" not in stored
        assert not any(t in stored for t in tokens.values())


def test_closing_notice_to_non_respondents_and_close_cancels(app, tenants, smtp, clock, campaign_id):
    with app.test_request_context(), tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, campaign_id)
        services.update_campaign(campaign, title=campaign.title, intro=None, opens_on=campaign.opens_on,
                                 closes_on=campaign.closes_on, reminders=(0, 7))
        services.send_invitations(campaign)
    assert len(_at(clock, datetime(2026, 3, 5, 7, 0), smtp)) == 3
    assert _at(clock, datetime(2026, 3, 28, 7, 0), smtp) == []  # no reminders configured
    assert _at(clock, datetime(2026, 3, 29, 6, 0), smtp) == [("survey_closing", e) for _n, e in PEOPLE]

    with app.test_request_context(), tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, campaign_id)
        services.update_campaign(campaign, title=campaign.title, intro=None, opens_on=campaign.opens_on,
                                 closes_on=datetime(2026, 4, 30).date(), reminders=(1, 7))
        # the reminder due 12 March is in the past now: only the new closing notice is pending
        pending = db.session.scalars(select(Notification.slot).where(
            Notification.kind.in_(("survey_reminder", "survey_closing")), Notification.status == "pending")).all()
        assert pending == ["closing:2026-04-30"] * 3
        services.close_campaign(campaign)
        assert db.session.scalar(select(Notification.id).where(Notification.status == "pending")) is None
    assert _at(clock, datetime(2026, 4, 28, 6, 0), smtp) == []
