"""Shared pieces of the working-group services."""

from __future__ import annotations

from datetime import UTC, date, datetime

from coordination.clock import utcnow as _clock_utcnow
from workgroups.models import WARSAW


class ServiceError(ValueError):
    """A rule of the domain refused the change; ``field`` names the form field to blame."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def now_warsaw() -> datetime:
    """Now (the application clock, replaceable in tests) in Europe/Warsaw."""
    return _clock_utcnow().replace(tzinfo=UTC).astimezone(WARSAW)


def today() -> date:
    """Today in Europe/Warsaw."""
    return now_warsaw().date()


def utcnow() -> datetime:
    """Now as naive UTC (the application clock)."""
    return _clock_utcnow()
