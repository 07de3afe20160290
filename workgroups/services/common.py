"""Shared pieces of the working-group services."""

from __future__ import annotations

from datetime import UTC, date, datetime

from workgroups.models import WARSAW


class ServiceError(ValueError):
    """A rule of the domain refused the change; ``field`` names the form field to blame."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def today() -> date:
    """Today in Europe/Warsaw."""
    return datetime.now(WARSAW).date()


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
