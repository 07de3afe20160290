"""Polish working days: the one place that knows the statutory public holidays (the
``holidays`` library, Poland) — used for prefilled deadlines and plausible demo calendars."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

import holidays

#: the library's language code of each UI locale.
_LANGUAGES = {"pl": "pl", "en": "en_US"}
#: a "<holiday> (<which> dzień)" name as it reads inside a Polish sentence: "drugi dzień Bożego
#: Narodzenia" (the library's names are list entries: "Boże Narodzenie (drugi dzień)").
_POLISH_GENITIVE = {"Boże Narodzenie": "Bożego Narodzenia"}
_LIST_NAME = re.compile(r"^(?P<name>.+) \((?P<which>\w+ dzień)\)$")


@lru_cache(maxsize=64)
def _holidays_of(year: int, language: str = "pl") -> dict[date, str]:
    return dict(holidays.country_holidays("PL", years=year, language=language))


def holiday_name(day: date) -> str | None:
    """The Polish name of the public holiday on ``day`` ("Boże Narodzenie (pierwszy dzień)"),
    or None on an ordinary day."""
    return _holidays_of(day.year).get(day)


def holiday_in_sentence(day: date, locale: str = "pl") -> str | None:
    """The name of the public holiday on ``day`` in ``locale`` ("pl" or "en") as it reads
    inside a sentence ("drugi dzień Bożego Narodzenia", "Second Day of Christmas"), or None."""
    name = _holidays_of(day.year, _LANGUAGES.get(locale, "pl")).get(day)
    if name and locale == "pl":
        found = _LIST_NAME.match(name)
        if found and found["name"] in _POLISH_GENITIVE:
            name = f"{found['which']} {_POLISH_GENITIVE[found['name']]}"
    return name


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
