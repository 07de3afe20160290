"""Background exports: request, claim, write with progress, expire (the only code that changes
:class:`~coordination.exports.models.ExportJob` rows).

Claiming is a conditional UPDATE (``status`` still ``pending``), so two schedulers never write
the same job. A job left ``running`` by a crashed process is taken again after
:data:`STALE_AFTER`, at most :data:`MAX_ATTEMPTS` times, then marked failed. Progress is written
on a separate connection every :data:`PROGRESS_EVERY` rows so the requester sees it while the
export's own reading transaction is still open.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, or_, select, update

from coordination.clock import utcnow
from coordination.exports.models import ExportJob
from coordination.exports.registry import spec
from coordination.exports.xlsx import XLSX_MIMETYPE, Sheet, write_xlsx
from coordination.extensions import db
from coordination.tenancy import all_tenants, tenant_context

log = logging.getLogger("sieci.exports")

#: a running job older than this is considered abandoned by a crashed process.
STALE_AFTER = timedelta(minutes=30)
#: runs of one job before it is given up.
MAX_ATTEMPTS = 3
#: rows between two progress updates.
PROGRESS_EVERY = 2000


def request_export(kind: str, *, user, tenant_id: int | None, params: dict | None = None,
                   total: int | None = None) -> ExportJob:
    """Queue export ``kind`` for ``user`` (the caller has checked the permission)."""
    export = spec(kind)
    params = params or {}
    if total is None:
        total = export.count(tenant_id, params)
    job = ExportJob(user_id=user.id, tenant_id=tenant_id, kind=kind, params=params,
                    total_rows=total, filename=export.filename(tenant_id, params),
                    content_type=export.content_type or XLSX_MIMETYPE, status="pending")
    db.session.add(job)
    db.session.commit()
    return job


def _claimable():
    stale = utcnow() - STALE_AFTER
    return or_(ExportJob.status == "pending",
               (ExportJob.status == "running") & (ExportJob.started_at < stale))


def claim(job_id: int) -> bool:
    """Take job ``job_id`` for this process; False when another process has it."""
    result = db.session.execute(
        update(ExportJob).where(ExportJob.id == job_id, _claimable())
        .values(status="running", started_at=utcnow(), attempts=ExportJob.attempts + 1))
    db.session.commit()
    return result.rowcount == 1


def _set_progress(job_id: int, done: int) -> None:
    with db.engine.begin() as conn:
        conn.execute(update(ExportJob.__table__).where(ExportJob.__table__.c.id == job_id)
                     .values(done_rows=done))


def _counting(rows: Iterable, on_progress: Callable[[int], None], start: list[int]) -> Iterator:
    for row in rows:
        yield row
        start[0] += 1
        if start[0] % PROGRESS_EVERY == 0:
            on_progress(start[0])


def _with_progress(sheets: Iterable[Sheet], on_progress: Callable[[int], None]) -> Iterator[Sheet]:
    written = [0]
    for sheet in sheets:
        yield Sheet(sheet.title, sheet.header, _counting(sheet.rows, on_progress, written),
                    sheet.widths)


def run(job: ExportJob) -> None:
    """Write the claimed ``job``'s file (in its region's context); mark it done or failed."""
    export = spec(job.kind)
    scope = tenant_context(job.tenant_id) if job.tenant_id is not None else all_tenants()
    job_id = job.id
    try:
        with scope, tempfile.TemporaryFile() as spool:
            if export.write is not None:
                written = export.write(spool, job.tenant_id, job.params,
                                       lambda n: _set_progress(job_id, n))
            else:
                written = write_xlsx(spool, _with_progress(
                    export.sheets(job.tenant_id, job.params), lambda n: _set_progress(job_id, n)))
            spool.seek(0)
            data = spool.read()
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the job
        db.session.rollback()
        log.exception("export %s (%s) failed", job_id, job.kind)
        job = db.session.get(ExportJob, job_id)
        job.status, job.error, job.finished_at = "failed", type(exc).__name__, utcnow()
        db.session.commit()
        return
    db.session.rollback()  # end the reading transaction before writing the result
    job = db.session.get(ExportJob, job_id)
    job.data, job.size, job.done_rows = data, len(data), written
    job.total_rows = max(job.total_rows, written)
    job.status, job.finished_at, job.error = "done", utcnow(), None
    db.session.commit()
    log.info("export %s (%s): %d rows, %d bytes", job_id, job.kind, written, len(data))


def run_pending(limit: int = 5, stop: Callable[[], bool] = lambda: False) -> int:
    """Claim and write up to ``limit`` waiting jobs; give up jobs that crashed too often."""
    db.session.execute(
        update(ExportJob).where(ExportJob.status == "running",
                                ExportJob.started_at < utcnow() - STALE_AFTER,
                                ExportJob.attempts >= MAX_ATTEMPTS)
        .values(status="failed", error="abandoned", finished_at=utcnow()))
    db.session.commit()
    ids = db.session.scalars(select(ExportJob.id).where(_claimable())
                             .order_by(ExportJob.created_at, ExportJob.id).limit(limit)).all()
    done = 0
    for job_id in ids:
        if stop():
            break
        if claim(job_id):
            run(db.session.get(ExportJob, job_id))
            done += 1
    return done


def expire_old() -> int:
    """Delete jobs finished more than ``EXPORT_KEEP_DAYS`` ago (their files with them)."""
    cutoff = utcnow() - timedelta(days=current_app.config["EXPORT_KEEP_DAYS"])
    result = db.session.execute(delete(ExportJob).where(ExportJob.finished_at < cutoff))
    db.session.commit()
    return result.rowcount
