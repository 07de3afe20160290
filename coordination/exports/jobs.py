"""Scheduler jobs of background exports (see :mod:`coordination.exports.services`)."""

from __future__ import annotations

from coordination.exports import services

SCHEDULE = (
    ("coordination.exports.jobs.run_pending", "interval", {"seconds": 5}),
    ("coordination.exports.jobs.expire_old", "interval", {"hours": 6}),
)


def run_pending() -> int:
    """Write the waiting exports."""
    from coordination.scheduler import stopping

    return services.run_pending(stop=stopping)


def expire_old() -> int:
    """Drop finished exports past their keeping time."""
    return services.expire_old()
