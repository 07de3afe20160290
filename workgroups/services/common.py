"""Shared pieces of the working-group services."""

from __future__ import annotations


class ServiceError(ValueError):
    """A rule of the domain refused the change; ``field`` names the form field to blame."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


