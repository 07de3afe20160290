"""Isolation-test objects of background exports."""

from __future__ import annotations

from coordination.exports import services
from coordination.extensions import db
from coordination.tenancy import current_tenant_id


def build_objects(slug: str, marker: str, users: dict) -> dict:
    """A finished audit-log export of the region's coordinator (marker in its file name)."""
    from coordination.auth.models import User

    owner = db.session.get(User, users["foreign_coordinator" if marker else "coordinator"])
    job = services.request_export("audit_log", user=owner, tenant_id=current_tenant_id.get())
    job.filename = f"{marker}-dziennik.xlsx" if marker else "dziennik.xlsx"
    job.status, job.data, job.size = "done", b"PK\x03\x04", 4
    return {"export_job_id": job.id}
