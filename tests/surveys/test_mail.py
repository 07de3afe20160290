"""Invitations and reminders over real SMTP: reminders only to non-respondents."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from coordination.errors import DomainError
from coordination.extensions import db
from coordination.notifications import services as notify
from coordination.tenancy import tenant_context
from surveys import queries, services
from surveys.models import Campaign, Respondent
from tests.surveys.conftest import full_draft


@pytest.fixture
def ctx(app):
    """Mails are sent from views: links are built with url_for, which needs a request."""
    with app.test_request_context():
        yield
        db.session.remove()


LINK = re.compile(r"https://sieci\.example\.org/ankieta/([A-Za-z0-9_\-]+)")


def _recipients(smtp):
    return sorted(r for m in smtp.messages for r in m["to"])


def test_invitations_then_reminders_only_to_non_respondents(app, ctx, tenants, smtp, make_campaign):
    cid = make_campaign()
    with tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, cid)
        for name, email in (("Ala", "ala@example.org"), ("Bartek", "bartek@example.org"),
                            ("Celina", "celina@example.org")):
            services.add_respondent(campaign, name, email)
        assert services.send_invitations(campaign) == 3
        assert services.send_invitations(campaign) == 0  # nobody invited twice
        assert smtp.messages == []  # queued; the scheduler sends them
        assert notify.send_due() == {"sent": 3} and notify.send_due() == {}
        assert _recipients(smtp) == ["ala@example.org", "bartek@example.org", "celina@example.org"]
        bodies = smtp.bodies()
        assert all("Ocena działań koordynacyjnych" in b for b in bodies)
        tokens = {m["to"][0]: LINK.search(b).group(1) for m, b in zip(smtp.messages, bodies, strict=True)}
        ala = services.find_by_token(tokens["ala@example.org"])
        assert ala.email == "ala@example.org"
        questions = queries.flat_questions(queries.sections_and_questions(cid))
        services.submit(ala, campaign, questions, full_draft(questions))
        bartek = db.session.scalar(select(Respondent).where(Respondent.email == "bartek@example.org"))
        services.revoke_respondent(bartek)
        smtp.messages.clear()
        assert services.send_reminders(campaign) == 1
        assert notify.send_due() == {"sent": 1}
        assert _recipients(smtp) == ["celina@example.org"]
        new_token = LINK.search(smtp.bodies()[0]).group(1)
        assert new_token != tokens["celina@example.org"]
        assert services.find_by_token(tokens["celina@example.org"]) is None  # old link replaced
        assert services.find_by_token(new_token).email == "celina@example.org"
        assert services.find_by_token(tokens["bartek@example.org"]) is None  # revoked
        celina = db.session.scalar(select(Respondent).where(Respondent.email == "celina@example.org"))
        assert celina.reminders == 1 and celina.reminded_at is not None


def test_no_mail_once_closed(app, ctx, tenants, smtp, make_campaign):
    cid = make_campaign(state="closed")
    with tenant_context(tenants["wielkopolskie"]):
        campaign = db.session.get(Campaign, cid)
        services.add_respondent(campaign, "Ala", "ala@example.org")
        try:
            services.send_invitations(campaign)
        except DomainError:
            pass
        else:
            raise AssertionError("closed campaign sent invitations")
    notify.send_due()
    assert smtp.messages == []
