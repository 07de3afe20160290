"""Reads of background export jobs: always the requester's own, never anyone else's."""

from __future__ import annotations

from sqlalchemy import select

from coordination.exports.models import ExportJob
from coordination.extensions import db
from coordination.pagination import paged_with_total


def own_job(job_id: int, user_id: int) -> ExportJob | None:
    """Job ``job_id`` when it belongs to ``user_id`` (else None: the view answers 404)."""
    return db.session.scalar(select(ExportJob).where(ExportJob.id == job_id,
                                                     ExportJob.user_id == user_id))


def own_jobs_page(page: int, per_page: int, user_id: int):
    """The user's exports, newest first."""
    stmt = (select(ExportJob).where(ExportJob.user_id == user_id)
            .order_by(ExportJob.created_at.desc(), ExportJob.id.desc()))
    return paged_with_total(stmt, page, per_page)
