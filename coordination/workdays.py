"""Polish working days: the one place that knows the statutory public holidays (the
``holidays`` library, Poland) — used for prefilled deadlines and plausible demo calendars."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("PL", years=year, language="pl"))


def holiday_name(day: date) -> str | None:
    """The Polish name of the public holiday on ``day`` ("Boże Narodzenie (pierwszy dzień)"),
    or None on an ordinary day."""
    return _holidays_of(day.year).get(day)


def is_public_holiday(day: date) -> bool:
    return holiday_name(day) is not None


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a public holiday (Saturdays and Sundays are days off)."""
    return day.weekday() < 5 and not is_public_holiday(day)


def next_working_day(day: date) -> date:
    """``day`` itself when it is a working day, otherwise the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    """``day`` itself when it is a working day, otherwise the last working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_deadline(start: date, days: int) -> date:
    """``days`` calendar days after ``start``, moved forward to a working day (a deadline that
    falls on a weekend or a holiday ends on the next working day, as in the Civil Code)."""
    return next_working_day(start + timedelta(days=days))
