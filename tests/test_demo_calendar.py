"""The demo calendar is plausible on any date: seeded with the clock at several moments (in the
week after Christmas, on New Year's Day, on 29 February), every meeting —
past or planned — falls on a working day outside the Christmas–New Year week, no two groups of
a region start in the same hour of the same day, and every survey campaign runs within the year
it evaluates, the current year's being open."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from coordination.clock import WARSAW
from coordination.extensions import db
from coordination.tenancy import all_tenants
from coordination.workdays import is_working_day
from surveys import demo as survey_demo
from surveys.models import Campaign, campaign_status
from workgroups.models import Meeting

# Three seedings (each ≈ 1 min of CPU per lane): the Christmas week, New Year's Day, 29 February.
# The other demo tests seed at the suite's pinned date.
DATES = (date(2026, 12, 28), date(2027, 1, 1), date(2028, 2, 29))


@pytest.mark.parametrize("today", DATES, ids=str)
def test_demo_calendar_is_plausible(app, pinned_clock, today):
    pinned_clock.set(datetime.combine(today, time(9), tzinfo=WARSAW))
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context(), all_tenants():
        meetings = db.session.scalars(select(Meeting)).all()
        campaigns = db.session.scalars(select(Campaign)).all()
        assert len(meetings) > 40 and len(campaigns) == 11
        off = [m.day for m in meetings if not is_working_day(m.day) or (m.day.month, m.day.day) >= (12, 24)]
        assert off == []
        assert any(m.day < today for m in meetings) and any(m.day > today for m in meetings)
        slots = Counter((m.tenant_id, m.day, m.start_time.hour) for m in meetings)
        shared = [(slot, n) for slot, n in slots.items() if n > 1]
        assert shared == []
        groups_per_slot = Counter((m.tenant_id, m.day, m.start_time.hour, m.group_id) for m in meetings)
        assert len(groups_per_slot) == len(slots)
        assert all(c.opens_on.year == c.closes_on.year == c.year and c.opens_on <= c.closes_on for c in campaigns), \
            [(c.year, c.opens_on, c.closes_on) for c in campaigns]
        current = [c for c in campaigns if c.year == today.year]
        assert len(current) == 2 and {campaign_status(c, today) for c in current} == {"open"}
        assert all(campaign_status(c, today) == "closed" for c in campaigns if c.year < today.year)
        # the closed campaigns ran at the year's end and closed before Christmas Eve
        assert all(c.opens_on.month == 11 and c.closes_on < date(c.year, 12, 24)
                   for c in campaigns if c.year < today.year)
    assert survey_demo.open_year() == today.year
