"""The background path of large exports, measured on the largest scale's database.

Queues the platform audit-log export (every region's log) as an administrator would, lets
:func:`coordination.exports.services.run_pending` — what the scheduler runs — write it, and
reports rows, seconds, file size and how many progress updates the requester could have seen.
"""

from __future__ import annotations

import time

from sqlalchemy import select


def run(db_url: str) -> dict:
    from coordination import create_app
    from coordination.auth.models import User
    from coordination.exports import services
    from coordination.exports.models import ExportJob
    from coordination.extensions import db

    app = create_app({"DATABASE_URL": db_url, "SECRET_KEY": "bench-export-job"})
    seen: list[int] = []
    real = services._set_progress

    def observed(job_id: int, done: int) -> None:
        real(job_id, done)
        with db.engine.connect() as conn:  # what the requester's progress page reads
            seen.append(conn.execute(select(ExportJob.__table__.c.done_rows)
                                     .where(ExportJob.__table__.c.id == job_id)).scalar())

    services._set_progress = observed
    try:
        with app.app_context():
            admin = db.session.scalar(select(User).where(User.is_admin).order_by(User.id))
            job = services.request_export("platform_audit_log", user=admin, tenant_id=None)
            job_id, total = job.id, job.total_rows
            started = time.perf_counter()
            services.run_pending()
            seconds = time.perf_counter() - started
            job = db.session.get(ExportJob, job_id)
            out = {"status": job.status, "rows": job.done_rows, "expected_rows": total,
                   "seconds": seconds, "bytes": job.size or 0, "progress_updates": len(seen),
                   "progress_monotonic": seen == sorted(seen) and bool(seen)}
            db.session.delete(job)
            db.session.commit()
    finally:
        services._set_progress = real
    return out
