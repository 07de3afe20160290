"""Survey fixtures: the core template, campaigns, respondents with their tokens, answers."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest

from coordination import clock
from coordination.extensions import db
from coordination.tenancy import tenant_context
from surveys import queries, services
from surveys.models import DONT_KNOW, Campaign, Respondent
from surveys.services.responses import _store as store_response
from surveys.services.responses import reveal_completions, week_of

#: batches up to this size are stored by real submissions one by one.
REAL_SUBMITS = 200


def campaign_and_questions(campaign_id: int):
    """The campaign and its questions in page order (inside a tenant context)."""
    return db.session.get(Campaign, campaign_id), queries.flat_questions(queries.sections_and_questions(campaign_id))


def full_draft(questions, rating: str = "4", text: str | None = None, category: str = "OWES") -> dict:
    """A complete, valid set of answers for the core questionnaire (plus simple own questions)."""
    draft: dict = {}
    for q in questions:
        if q.code == "PROF-KAT":
            draft[q.code] = {"choice": category, "other": ""}
        elif q.kind == "single":
            draft[q.code] = {"choice": q.options[0]["code"], "other": ""}
        elif q.kind == "multi":
            draft[q.code] = {"choices": [q.options[0]["code"]], "other": ""}
        elif q.kind == "likert":
            draft[q.code] = rating
        elif q.kind == "matrix":
            draft[q.code] = {i["code"]: rating for i in q.items}
        elif q.kind == "number":
            draft[q.code] = "3"
        elif text is not None:
            draft[q.code] = text
    return draft


@pytest.fixture
def make_campaign(app, tenants):
    """make_campaign(tenant="wielkopolskie", year=2025, state="open", anonymous=True) -> id"""

    def _make(tenant="wielkopolskie", year=2025, state="open", anonymous=True):
        today = clock.today()
        opens, closes = {"open": (today - timedelta(days=3), today + timedelta(days=10)),
                         "planned": (today + timedelta(days=3), today + timedelta(days=10)),
                         "closed": (today - timedelta(days=30), today - timedelta(days=1))}[state]
        with app.app_context(), tenant_context(tenants[tenant]):
            template, _ = services.ensure_core_template()
            cid = services.create_campaign(template, year, opens, closes, anonymous=anonymous).id
            db.session.remove()
        return cid

    return _make


@pytest.fixture
def make_respondent(app, tenants):
    """make_respondent(campaign_id, email, tenant=...) -> (respondent id, token)"""

    def _make(campaign_id, email, tenant="wielkopolskie", name=None):
        with app.app_context(), tenant_context(tenants[tenant]):
            campaign = db.session.get(Campaign, campaign_id)
            person = services.add_respondent(campaign, name or email.split("@")[0].title(), email)
            token = services.respondents.new_token(person)
            db.session.commit()
            rid = person.id
            db.session.remove()
        return rid, token

    return _make


@contextlib.contextmanager
def closed(app, tenant_id, cids):
    """The campaigns closed for the block (results and the responses XLSX need a closed
    campaign), then open again so that the test can add responses (test-only: the UI cannot
    reopen them). Their dimension scores are stored, as the daily job does once a campaign
    has closed (a response added after reopening deletes them again)."""
    from surveys.services.tally import store_closed_scores

    def _set(day):
        with app.app_context(), tenant_context(tenant_id):
            for cid in cids:
                db.session.get(Campaign, cid).closed_early_on = day
            db.session.commit()
            if day is not None:
                store_closed_scores()
                db.session.commit()

    _set(clock.today())
    try:
        yield
    finally:
        _set(None)


@pytest.fixture
def add_responses(app, tenants):
    """add_responses(campaign_id, n, tenant=..., ratings=cycle, text=None): n submissions.

    Up to :data:`REAL_SUBMITS` go through :func:`services.submit` one by one (validation, one
    transaction each); larger batches (the 1,000-response query-count test) store the same
    rows through the same writer in one transaction, so the data has the same shape."""

    def _add(campaign_id, n, tenant="wielkopolskie", ratings=("3", "4", "5", DONT_KNOW), text=None,
             categories=("OWES",)):
        with app.app_context(), tenant_context(tenants[tenant]):
            campaign = db.session.get(Campaign, campaign_id)
            questions = queries.flat_questions(queries.sections_and_questions(campaign_id))
            start = len(queries.respondents_page(1, 10_000, campaign_id)[0])
            for i in range(n):
                person = Respondent(campaign_id=campaign_id, full_name=f"Osoba {start + i}",
                                    email=f"osoba{start + i}@example.org")
                db.session.add(person)
                db.session.flush()
                draft = full_draft(questions, rating=ratings[i % len(ratings)], text=text,
                                   category=categories[i % len(categories)])
                if n <= REAL_SUBMITS:
                    services.submit(person, campaign, questions, draft)
                else:
                    person.completed, person.completed_on = True, week_of(clock.today())
                    store_response(campaign, questions, draft, campaign.anonymous, person.full_name)
            reveal_completions(campaign_id)
            db.session.commit()
            db.session.remove()

    return _add


@pytest.fixture
def coordinator(app, make_user, login, csrf_off):
    """A logged-in test client of the Wielkopolska coordinator (CSRF off)."""
    client = app.test_client()
    login(client, make_user("k@example.org", "coordinator"))
    return client
