"""The one clock: naive UTC "now", replaceable in tests (no sleeps, time travel).

Code that compares with stored timestamps calls :func:`utcnow` instead of ``datetime.now``.
Tests install a clock with ``app.config["CLOCK"] = lambda: datetime(...)`` (see
``tests/notifications/conftest.py``); a configured clock may return naive UTC or aware times.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, has_app_context


def to_naive_utc(value: datetime) -> datetime:
    """An aware datetime converted to naive UTC; naive datetimes are taken as UTC already."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def utcnow() -> datetime:
    """Current time as naive UTC (the storage convention), from the configured clock if any."""
    fake = current_app.config.get("CLOCK") if has_app_context() else None
    return to_naive_utc(fake() if fake is not None else datetime.now(UTC))
