"""Functions the scheduler runs by dotted path, each inside ``app.app_context()``.

``SCHEDULE`` lists ``(dotted path, APScheduler trigger, trigger arguments)``; the scheduler
collects it from every module's ``jobs`` (see :mod:`coordination.scheduler`).
"""

from __future__ import annotations

from coordination.notifications import services

SCHEDULE = (
    ("coordination.notifications.jobs.send_due", "interval", {"seconds": 30}),
    ("coordination.notifications.jobs.compose_digests", "interval", {"minutes": 10}),
)


def send_due() -> dict:
    """Send every due notification (stops between messages when the scheduler shuts down)."""
    from coordination.scheduler import stopping

    return services.send_due(stop=stopping)


def compose_digests() -> int:
    """Create the daily/weekly digests whose time has come."""
    return services.compose_digests()
