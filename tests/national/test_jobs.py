"""The periodic "diagnosis older than 12 months" job, with the injectable clock and real SMTP."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from coordination.extensions import db
from coordination.notifications import services as notify
from coordination.notifications.models import Notification
from coordination.tenancy import tenant_context
from national import jobs
from national.models import Diagnosis

from .conftest import make_signed


@pytest.fixture
def clock(pinned_clock):
    """The shared clock at Monday 2 March 2026, 05:30 UTC (06:30 in Warsaw)."""
    pinned_clock.set(datetime(2026, 3, 2, 5, 30))
    return pinned_clock


def test_outdated_diagnosis_reaches_the_regions_coordinators_once(app, ctx, tenants, people, template, smtp, clock):
    make_signed(tenants["wielkopolskie"], 1, {}, datetime(2025, 3, 1, 12, 0), item_ids=list(template.values())[:1])
    make_signed(tenants["lodzkie"], 1, {}, datetime(2025, 6, 1, 12, 0), item_ids=list(template.values())[:1])
    assert jobs.scan_outdated_diagnoses() == 1
    assert jobs.scan_outdated_diagnoses() == 1  # scheduling again changes nothing
    assert notify.send_due() == {"sent": 1}
    assert [m["to"] for m in smtp.messages] == [["koord@example.org"]]
    assert "12" in smtp.bodies()[0] and "/wielkopolskie/diagnoza/" in smtp.bodies()[0]
    clock.advance(days=1)
    jobs.scan_outdated_diagnoses()
    assert notify.send_due() == {} and len(smtp.messages) == 1  # exactly once per signed version

    # Łódź: outdated in June, but an update is in progress -> no message
    clock.now = datetime(2026, 6, 2, 5, 30)
    with tenant_context(tenants["lodzkie"]):
        db.session.add(Diagnosis(version=2, kind="update", status="draft", reason="Aktualizacja"))
        db.session.commit()
    assert jobs.scan_outdated_diagnoses() == 1  # only Wielkopolska, whose message exists already
    assert db.session.scalar(select(Notification.id).where(Notification.recipient == "koord.lodz@example.org")) is None


def test_job_is_registered_with_the_scheduler(app):
    from coordination.scheduler import registered_jobs

    paths = {spec.path for spec in registered_jobs(app)}
    assert "national.jobs.scan_outdated_diagnoses" in paths
