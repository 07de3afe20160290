"""The one domain error of the application.

Services raise :class:`DomainError` when a rule of the domain refuses a change. Its message is
translated (a string or a lazy string) and shown to the user; ``field`` names the form field the
message belongs to, when there is one (see :func:`coordination.htmx.attach_error`). Modules may
subclass it only when the subclass adds meaning that callers act on.
"""

from __future__ import annotations


class DomainError(ValueError):
    """A rule of the domain refused the change; ``field`` names the form field to blame."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
