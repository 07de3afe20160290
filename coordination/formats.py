"""One format for dates, times, numbers and sizes, through Babel in the active locale
(DESIGN.md: "one Babel format for dates and numbers").

Polish UI: dates "4 grudnia 2026", date-times "4 grudnia 2026, 10:00", ranges
"20 listopada – 25 grudnia 2026" / "3–5 grudnia 2026", decimal commas ("3,75"), sizes
"36,9 kB". Python code calls the functions; templates use the filters :func:`register_filters`
installs (``dateformat``, ``datetimeformat`` and ``timeformat`` replace Flask-Babel's so that a
bare ``|dateformat`` gives the one long form; ``filesizeformat`` replaces Jinja's, which prints
"36.9 kB" and "Bytes"):

``{{ d|dateformat }}``, ``{{ dt|datetimeformat }}``, ``{{ t|timeformat }}``,
``{{ a|daterange(b) }}``, ``{{ n|decimalformat }}``, ``{{ x|percentformat }}``, ``{{ p|share }}``,
``{{ size|filesizeformat }}``.

Machine values (``<time datetime="...">``, file names, CSV cells) keep ISO form; nothing shown
to a person does.

Speed (docs/bench.md): a table formats hundreds of dates. Babel rebuilds the pattern and the
month names for every call, so the text of a calendar day is kept per (day, pattern, locale) —
a pure function of immutable values, the same in every worker (not a page cache) — and the
24-hour clock is written from the local time directly.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache

import flask_babel
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_interval
from babel.numbers import NumberPattern, parse_pattern

#: the named Babel formats (and ``None``) all mean the one product format; ``full`` adds the
#: weekday ("piątek, 4 grudnia 2026").
_ONE_FORMAT = (None, "short", "medium", "long")


def _locale():
    return flask_babel.get_locale() or "pl"


@lru_cache(maxsize=8192)
def _day_text(day: date, pattern: str, locale: str) -> str:
    return babel_format_date(day, pattern, locale=locale)


def format_day(value: date | datetime | None, format: str | None = None) -> str:  # noqa: A002
    """"4 grudnia 2026" (``format="full"``: "piątek, 4 grudnia 2026"; an explicit Babel pattern
    is used as given). A ``datetime`` is the day in the user's time zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):  # a date kept in JSON (audit details, proposal payloads)
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = flask_babel.to_user_timezone(value).date()
    return _day_text(value, "long" if format in _ONE_FORMAT else format, str(_locale()))


def _hh_mm(value: time | datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def format_clock(value: time | datetime | None, format: str | None = None) -> str:  # noqa: A002
    """"10:00" (a ``datetime`` is shown in the user's time zone)."""
    if value is None:
        return ""
    if format not in _ONE_FORMAT:
        if isinstance(value, time) and not isinstance(value, datetime):
            return flask_babel.format_time(datetime.combine(date(2000, 1, 1), value), format,
                                           rebase=False)
        return flask_babel.format_time(value, format)
    if isinstance(value, datetime):
        value = flask_babel.to_user_timezone(value)
    return _hh_mm(value)


def format_moment(value: datetime | None, format: str | None = None) -> str:  # noqa: A002
    """"4 grudnia 2026, 10:00" in the user's time zone (Europe/Warsaw)."""
    if value is None:
        return ""
    if format not in _ONE_FORMAT:
        return flask_babel.format_datetime(value, format)
    local = flask_babel.to_user_timezone(value)
    return f"{_day_text(local.date(), 'long', str(_locale()))}, {_hh_mm(local)}"


def format_range(start: date | None, end: date | None) -> str:
    """"20 listopada – 25 grudnia 2026", "3–5 grudnia 2026", one day: "4 grudnia 2026"."""
    if start is None or end is None:
        return format_day(start or end)
    if isinstance(start, datetime):
        start, end = start.date(), end.date()
    if start == end:
        return format_day(start)
    # CLDR puts thin spaces around the dash; the product writes plain ones ("20 listopada – …")
    return format_interval(start, end, "yMMMMd", locale=_locale()).replace("\u2009", " ")


def format_number(value, digits: int = 2, fixed: bool = False) -> str:
    """A number with the locale's decimal sign and at most ``digits`` decimals ("3,75"; with
    ``fixed``, exactly ``digits``: "3,50")."""
    if value is None:
        return ""
    locale = str(_locale())
    if type(value) is int:  # counts: no rounding, no Decimal
        text = f"{value:,}" + ("." + "0" * digits if fixed and digits else "")
        return text.translate(_symbols(locale))
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        if not number.is_finite():
            raise InvalidOperation
        text = f"{number.quantize(_STEPS[digits], rounding=ROUND_HALF_EVEN):,f}"
    except (InvalidOperation, KeyError, ValueError):  # beyond 28 digits, NaN, odd input: Babel
        return _number_pattern(digits, fixed).apply(value, _babel_locale(locale), numbering_system="latn")
    if digits and not fixed:
        text = text.rstrip("0").rstrip(".")
    return text.translate(_symbols(locale))


#: the rounding steps of 0–6 decimals (``Decimal("0.01")`` for 2).
_STEPS = {digits: Decimal(1).scaleb(-digits) for digits in range(7)}


@lru_cache(maxsize=8)
def _symbols(tag: str) -> dict[int, str]:
    """``str.translate`` table from Python's "1,234.5" to the locale's group, decimal and minus
    signs (Polish: "1 234,5" with a no-break space). :func:`format_number` gives Babel's output
    of the pattern "#,##0.##" (ROUND_HALF_EVEN on the decimal value, as Babel rounds) without
    Babel's per-call pattern work, the largest share of rendering a table of numbers;
    ``tests/test_places_formats.py`` compares the two over many values."""
    symbols = _babel_locale(tag).number_symbols["latn"]
    return str.maketrans({",": symbols["group"], ".": symbols["decimal"], "-": symbols["minusSign"]})


@lru_cache(maxsize=64)
def _number_pattern(digits: int, fixed: bool) -> NumberPattern:
    """The parsed Babel pattern ("#,##0.##"), for what :func:`format_number` leaves to Babel."""
    return parse_pattern("#,##0" + ("." + ("0" if fixed else "#") * digits if digits else ""))


@lru_cache(maxsize=8)
def _babel_locale(tag: str) -> Locale:
    return Locale.parse(tag)


def format_size(size: int | None) -> str:
    """A file size in decimal units: "512 B", "36,9 kB", "1,2 MB"."""
    size = int(size or 0)
    if size < 1000:
        return f"{size} B"
    value = float(size)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 1000 or unit == "TB":
            return f"{format_number(value, 1)} {unit}"
    raise AssertionError("unreachable")


def format_share(value, digits: int = 2) -> str:
    """A percentage already multiplied by 100: "12,5 %" with a no-break space, so the sign never
    wraps to a line of its own; "–" when there is none (a table cell)."""
    return "–" if value is None else f"{format_number(value, digits)}\u00a0%"


def register_filters(app) -> None:
    """Install the filters (after Flask-Babel, whose date filters they replace)."""
    app.jinja_env.filters.update(
        dateformat=format_day, datetimeformat=format_moment, timeformat=format_clock,
        daterange=format_range, filesizeformat=format_size,
        decimalformat=lambda value, digits=2, fixed=False: format_number(value, digits, fixed),
        share=format_share,
    )
