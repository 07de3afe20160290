"""Periodic job and send-time hooks of the OWES notifications (run by the scheduler process).

``scan_expiring_accreditations`` (daily, 6:40 Warsaw time) queues the "accreditation expires
soon" notices (:func:`owes.services.notifications.queue_expiring_accreditations`).
The hooks check each message right before it leaves: nothing about a round that was closed
meanwhile (except its outcome) or an accreditation that was renewed; the outcome lists the
recipient's own comments with the answers as they are then.
"""

from __future__ import annotations

from sqlalchemy import select

from coordination import clock
from coordination.extensions import db
from coordination.notifications.kinds import before_send
from coordination.notifications.rendering import from_json
from coordination.tenancy import tenant_context
from owes.labels import LABELS
from owes.models import ConsultationComment, ConsultationRound, Owes
from owes.services import notifications

SCHEDULE = (
    ("owes.jobs.scan_expiring_accreditations", "cron",
     {"hour": 6, "minute": 40, "timezone": "Europe/Warsaw"}),
)


def scan_expiring_accreditations() -> int:
    """Queue the accreditation notices that are due (idempotent)."""
    return notifications.queue_expiring_accreditations()


def _open_round(row) -> ConsultationRound | None:
    rnd = db.session.get(ConsultationRound, row.object_id)
    if rnd is None or rnd.status != "open" or rnd.closes_on < clock.today():
        return None
    return rnd


@before_send("consultation_opened")
@before_send("consultation_closing")
def round_notice_values(row) -> dict | None:
    """The round is still open (the dates as they are now), else skip."""
    with tenant_context(row.tenant_id):
        rnd = _open_round(row)
        if rnd is None:
            return None
        return {**(row.context or {}), "opens_on": rnd.opens_on.isoformat(),
                "closes_on": rnd.closes_on.isoformat()}


@before_send("consultation_outcome")
def outcome_values(row) -> dict | None:
    """The recipient's comments with the evaluator's answers (skip if the round is gone)."""
    with tenant_context(row.tenant_id):
        rnd = db.session.get(ConsultationRound, row.object_id)
        if rnd is None or rnd.status != "closed":
            return None
        comments = db.session.scalars(select(ConsultationComment).where(
            ConsultationComment.round_id == rnd.id, ConsultationComment.author_id == row.user_id)
            .order_by(ConsultationComment.id)).all()
        if not comments:
            return None
        return {**(row.context or {}), "comments": [
            {"section": c.section, "page": c.page, "comment": c.comment,
             "answer": LABELS["answer"].get(c.answer, ""), "reason": c.answer_reason}
            for c in comments]}


@before_send("accreditation_expiring")
def accreditation_values(row) -> dict | None:
    """Skip when the OWES is gone or its accreditation end changed (renewed) or passed."""
    with tenant_context(row.tenant_id):
        owes = db.session.get(Owes, row.object_id)
        expires = from_json(row.context).get("expires_on")
        if owes is None or owes.accredited_to != expires or expires < clock.today():
            return None
        return row.context
