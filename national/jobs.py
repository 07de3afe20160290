"""Periodic jobs of the SIRES module (run by the scheduler process).

``scan_outdated_diagnoses`` (daily, 6:30 Warsaw time): a region whose newest signed diagnosis
was signed more than 12 months ago, and which has no update in progress, gets a
"diagnosis older than 12 months" message to each of its coordinators. The key names the signed
version, so each outdated version is announced once; signing a newer version ends it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from coordination.auth.models import Membership, User
from coordination.clock import utcnow
from coordination.extensions import db
from coordination.notifications import services as notify
from coordination.tenancy import all_tenants
from national.models import Diagnosis

SCHEDULE = (
    ("national.jobs.scan_outdated_diagnoses", "cron",
     {"hour": 6, "minute": 30, "timezone": "Europe/Warsaw"}),
)
#: a diagnosis is outdated this many months after it was signed.
OUTDATED_MONTHS = 12


def _months_ago(today: date, months: int) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, min(today.day, 28))


def scan_outdated_diagnoses() -> int:
    """Queue the outdated-diagnosis message for every region that needs it (idempotent).

    Returns the number of (coordinator, outdated diagnosis) pairs; existing rows are kept.
    """
    from tenants.models import Tenant

    now = utcnow()
    cutoff = _months_ago(now.date(), OUTDATED_MONTHS)
    queued = 0
    with all_tenants():
        newest = (select(Diagnosis.tenant_id, func.max(Diagnosis.version).label("version"))
                  .where(Diagnosis.status == "signed").group_by(Diagnosis.tenant_id).subquery())
        drafting = select(Diagnosis.tenant_id).where(Diagnosis.status == "draft")
        outdated = db.session.execute(
            select(Diagnosis, Tenant.slug, Tenant.name)
            .join(newest, (newest.c.tenant_id == Diagnosis.tenant_id) & (newest.c.version == Diagnosis.version))
            .join(Tenant, Tenant.id == Diagnosis.tenant_id)
            .where(Diagnosis.signed_at < datetime.combine(cutoff + timedelta(days=1), time()),
                   Diagnosis.tenant_id.not_in(drafting))
        ).all()
        tenant_ids = [d.tenant_id for d, _slug, _name in outdated]
        coordinators = db.session.execute(
            select(Membership.tenant_id, User).join(User, User.id == Membership.user_id)
            .where(Membership.tenant_id.in_(tenant_ids), Membership.role == "coordinator",
                   User.active.is_(True))
        ).all() if tenant_ids else []
        for diagnosis, slug, name in outdated:
            context = {"title": f"{name}, v{diagnosis.version}", "updated_on": diagnosis.signed_at.date(),
                       "url": notify.link("tenant.diagnosis.detail", tenant=slug, diagnosis_id=diagnosis.id)}
            for tenant_id, user in coordinators:
                if tenant_id == diagnosis.tenant_id:
                    notify.schedule("diagnosis_outdated", user, object_type="diagnosis",
                                    object_id=diagnosis.id, context=context, tenant_id=tenant_id)
                    queued += 1
    db.session.commit()
    return queued
