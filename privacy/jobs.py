"""Periodic job of the privacy module: delete what is past its keeping time (daily, 3:30)."""

from __future__ import annotations

from privacy import services

SCHEDULE = (
    ("privacy.jobs.purge_expired", "cron", {"hour": 3, "minute": 30}),
)


def purge_expired() -> dict[str, int]:
    """Delete rows past their keeping time (see :data:`privacy.services.KINDS`)."""
    return services.purge_expired()
