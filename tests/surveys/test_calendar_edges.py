"""Survey campaigns at the calendar edges: a campaign closing on 31 December takes answers until
midnight in Warsaw (not in UTC), and the automatic reminders keep their Warsaw time of day
across the DST changes. Every test sets the clock itself (``pinned_clock``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from coordination.clock import WARSAW
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.notifications.models import Notification
from coordination.tenancy import tenant_context
from surveys import queries, services
from surveys.models import Campaign, Response, campaign_status
from tests.surveys.conftest import full_draft

REGION = "wielkopolskie"


def _campaign(opens_on: date, closes_on: date, year: int, reminders: tuple[int, int] = (2, 7)) -> Campaign:
    template, _ = services.ensure_core_template()
    return services.create_campaign(template, year, opens_on, closes_on, reminders=reminders)


def _answer(campaign: Campaign, email: str) -> str:
    person = services.add_respondent(campaign, email.split("@")[0].title(), email)
    questions = queries.flat_questions(queries.sections_and_questions(campaign.id))
    return services.submit(person, campaign, questions, full_draft(questions))


def test_campaign_closing_on_31_december_takes_answers_until_midnight_in_warsaw(app, tenants, pinned_clock):
    with app.test_request_context(), tenant_context(tenants[REGION]):
        pinned_clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
        campaign = _campaign(date(2026, 12, 1), date(2026, 12, 31), 2026)
        # 31 December, 23:59:59 in Warsaw (22:59:59 UTC): the last day, still open
        pinned_clock.set(datetime(2026, 12, 31, 22, 59, 59, tzinfo=UTC))
        assert campaign_status(campaign) == "open"
        assert _answer(campaign, "ostatnia@example.org")
        # midnight in Warsaw is 23:00 UTC, still 31 December there: the campaign is closed
        pinned_clock.set(datetime(2026, 12, 31, 23, 0, tzinfo=UTC))
        assert campaign_status(campaign) == "closed"
        with pytest.raises(DomainError):
            _answer(campaign, "spozniona@example.org")
        assert db.session.scalar(select(func.count(Response.id)).where(Response.campaign_id == campaign.id)) == 1


@pytest.mark.parametrize("now, opens_on, expected", [
    # summer time starts on 29 March 2026: 08:00 CET is 07:00 UTC, 08:00 CEST is 06:00 UTC
    (datetime(2026, 3, 2, 9, 0), date(2026, 3, 20), [datetime(2026, 3, 27, 7, 0), datetime(2026, 4, 3, 6, 0)]),
    # summer time ends on 25 October 2026: 08:00 CEST is 06:00 UTC, 08:00 CET is 07:00 UTC
    (datetime(2026, 10, 1, 9, 0), date(2026, 10, 20), [datetime(2026, 10, 27, 7, 0), datetime(2026, 11, 3, 7, 0)]),
], ids=["march", "october"])
def test_survey_reminders_keep_the_warsaw_time_of_day_across_dst(app, tenants, pinned_clock, now, opens_on,
                                                                 expected):
    pinned_clock.set(now.replace(tzinfo=UTC))
    with app.test_request_context(), tenant_context(tenants[REGION]):
        campaign = _campaign(opens_on, date(opens_on.year, opens_on.month + 1, 28), opens_on.year)
        services.add_respondent(campaign, "Ala", "ala@example.org")
        assert services.send_invitations(campaign) == 1
        reminders = db.session.scalars(select(Notification.due_at).where(
            Notification.kind == "survey_reminder", Notification.status == "pending")
            .order_by(Notification.due_at)).all()
        assert reminders == expected
        assert {r.replace(tzinfo=UTC).astimezone(WARSAW).time() for r in reminders} == {time(8, 0)}
