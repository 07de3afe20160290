"""The one clock. Every "now" and "today" in the product comes from here.

* :func:`now` — the current instant, aware, in UTC;
* :func:`utcnow` — the same instant as naive UTC (the storage convention of every column);
* :func:`local_now` — the current instant in Europe/Warsaw (or another zone);
* :func:`today` — today's date in Europe/Warsaw (meeting days, deadlines, campaign dates).

The clock can be replaced, so tests never sleep and never depend on the calendar:

* ``app.config["CLOCK"] = callable`` — per application (tests that travel in time);
* :func:`pin` / :func:`pinned` — process-wide, also outside an application context (the test
  suite pins every test to one instant by default; ``SIECES_TEST_NOW`` chooses another);
* setting ``CLOCK_START`` (ISO 8601, e.g. ``SIECES_CLOCK_START=2026-12-31T22:30:00+00:00``) —
  a clock that starts at that instant and then runs (:func:`running_from`): the processes the
  tests start (scheduler, sender) live at the test's moment too.

A replacement may return a naive (taken as UTC) or an aware datetime. Direct reads of the
system clock elsewhere are refused by ruff's ``DTZ`` rules and by ``tests/test_clock_usage.py``
(which also sees aliases and the database's clock). Model timestamps take ``default=utcnow``; a
``server_default=func.now()`` beside it is only a fallback for rows inserted by plain SQL.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

#: the product's civil time zone.
WARSAW = ZoneInfo("Europe/Warsaw")

_pinned: Callable[[], datetime] | None = None


def to_naive_utc(value: datetime) -> datetime:
    """An aware datetime converted to naive UTC; naive datetimes are taken as UTC already."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def _as_aware_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _source() -> Callable[[], datetime] | None:
    configured = current_app.config.get("CLOCK") if has_app_context() else None
    return configured or _pinned


def now() -> datetime:
    """The current instant, aware UTC."""
    source = _source()
    return _as_aware_utc(source()) if source is not None else datetime.now(UTC)


def utcnow() -> datetime:
    """The current instant as naive UTC (how timestamps are stored)."""
    return now().replace(tzinfo=None)


def local_now(zone: tzinfo | str = WARSAW) -> datetime:
    """The current instant in ``zone`` (Europe/Warsaw unless told)."""
    return now().astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone)


def wall_now(zone: tzinfo | str = WARSAW) -> datetime:
    """The machine's real time, never pinned: only for timers that wait in real time
    (APScheduler's first run). Anything stored, shown or compared uses :func:`now`."""
    return datetime.now(ZoneInfo(zone) if isinstance(zone, str) else zone)


def today() -> date:
    """Today's date in Europe/Warsaw."""
    return local_now().date()


def running_from(instant: datetime) -> Callable[[], datetime]:
    """A clock that shows ``instant`` now and then runs at the real pace (monotonic)."""
    started = time.monotonic()
    return lambda: instant + timedelta(seconds=time.monotonic() - started)


def pin(instant: datetime | Callable[[], datetime] | None) -> None:
    """Replace the process-wide clock (``None`` restores the system clock)."""
    global _pinned
    if instant is None or callable(instant):
        _pinned = instant
    else:
        _pinned = lambda: instant  # noqa: E731 - a constant clock


@contextmanager
def pinned(instant: datetime | Callable[[], datetime]) -> Iterator[None]:
    """``with pinned(datetime(2026, 12, 31, 22, 30, tzinfo=UTC)):`` — the clock stands there."""
    global _pinned
    previous = _pinned
    pin(instant)
    try:
        yield
    finally:
        _pinned = previous
