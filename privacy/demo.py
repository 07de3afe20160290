"""Demo data of the privacy module: keeping times as a region's data-protection officer would
set them (invitation links kept for half a year, the outbox for two years)."""

from __future__ import annotations

from privacy import services

DEMO_RETENTION = {"rsvp_links": 180, "notifications": 730}


def seed(tenants) -> None:
    """Set the demo keeping times (idempotent: unchanged values write nothing)."""
    current = services.retention_days()
    if any(current[k] != v for k, v in DEMO_RETENTION.items()):
        services.set_retention(DEMO_RETENTION, actor=None, confirmed=True)
