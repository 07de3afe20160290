"""Evaluation studies, their documents (stored in the database, versioned), consultation
rounds with the comment matrix, and the recommendations table with yearly updates."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from coordination import audit, clock
from coordination.clock import utcnow
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.uploads import stored_document
from owes.models import (
    ANSWERS,
    CRITERIA,
    DOCUMENT_KINDS,
    PARTICIPANTS,
    PRIORITIES,
    RECOMMENDATION_STATUSES,
    STUDY_KINDS,
    ConsultationComment,
    ConsultationRound,
    Recommendation,
    RecommendationUpdate,
    Study,
    StudyDocument,
)
from owes.services import notifications as notices
from owes.services import save_audited

STUDY_FIELDS = ("owes_id", "title", "kind", "evaluator", "period_start", "period_end", "criteria",
                "description")


def save_study(study: Study | None, data: dict, *, actor) -> Study:
    """Create or update a study; a system-wide study has no OWES, the others need one."""
    fields = {k: data.get(k) for k in STUDY_FIELDS if k in data}
    if fields.get("kind") not in STUDY_KINDS:
        raise DomainError(_("Unknown kind of study."))
    if fields["kind"] == "system":
        fields["owes_id"] = None
    elif not fields.get("owes_id"):
        raise DomainError(_("Choose the evaluated OWES (or make it a system-wide study)."))
    fields["criteria"] = [c for c in CRITERIA if c in (fields.get("criteria") or [])]
    if fields.get("period_start") and fields.get("period_end") and \
            fields["period_end"] < fields["period_start"]:
        raise DomainError(_("The evaluated period cannot end before it starts."))
    return save_audited(study, Study, fields, actor=actor, action="owes.study",
                        created={"title": fields.get("title")})


def add_document(study: Study, kind: str, filename: str, data: bytes, *, actor) -> StudyDocument:
    """Store a new version of a study document (draft report, final report, other)."""
    if kind not in DOCUMENT_KINDS:
        raise DomainError(_("Unknown kind of document."))
    stored = stored_document(filename, data)
    version = (db.session.scalar(select(func.max(StudyDocument.version)).where(
        StudyDocument.study_id == study.id, StudyDocument.kind == kind)) or 0) + 1
    doc = StudyDocument(study_id=study.id, kind=kind, version=version, uploaded_by_id=actor.id, **stored)
    db.session.add(doc)
    db.session.flush()
    audit.record("owes.document_add", actor=actor, obj=doc,
                 summary={"study": study.id, "kind": kind, "version": version, "file": doc.filename})
    db.session.commit()
    return doc


def open_round(study: Study, data: dict, *, actor) -> ConsultationRound:
    """Open a consultation round on the study's draft (dates, participants, invited)."""
    if data["closes_on"] < data["opens_on"]:
        raise DomainError(_("The consultation cannot close before it opens."))
    participants = [p for p in PARTICIPANTS if p in (data.get("participants") or [])]
    if not participants:
        raise DomainError(_("Choose at least one group of participants."))
    document_id = data.get("document_id") or None
    if document_id is not None:
        doc = db.session.get(StudyDocument, document_id)
        if doc is None or doc.study_id != study.id:
            raise DomainError(_("Choose a document of this study."))
    rnd = ConsultationRound(study_id=study.id, document_id=document_id, opens_on=data["opens_on"],
                            closes_on=data["closes_on"], participants=participants,
                            invited=(data.get("invited") or "").strip() or None, status="open")
    db.session.add(rnd)
    db.session.flush()
    notified = notices.schedule_round(rnd, study)
    audit.record("owes.round_open", actor=actor, obj=rnd,
                 summary={"study": study.id, "opens_on": rnd.opens_on, "closes_on": rnd.closes_on,
                          "notified": notified})
    db.session.commit()
    return rnd


def accepting_comments(rnd: ConsultationRound, today: date | None = None) -> bool:
    """Open, and today is within its dates."""
    today = today or clock.today()
    return rnd.status == "open" and rnd.opens_on <= today <= rnd.closes_on


def add_comment(rnd: ConsultationRound, data: dict, *, actor, today: date | None = None) -> ConsultationComment:
    """Add a row to the comment matrix while the round accepts comments."""
    if not accepting_comments(rnd, today):
        raise DomainError(_("This consultation does not accept comments now."))
    comment = ConsultationComment(
        round_id=rnd.id, author_id=actor.id,
        author_name=(data.get("author_name") or actor.full_name).strip()[:300],
        section=data["section"].strip(), page=(data.get("page") or "").strip() or None,
        comment=data["comment"].strip(),
        justification=(data.get("justification") or "").strip() or None,
        proposal=(data.get("proposal") or "").strip() or None)
    db.session.add(comment)
    db.session.flush()
    audit.record("owes.comment_add", actor=actor, obj=comment,
                 summary={"round": rnd.id, "section": comment.section})
    db.session.commit()
    return comment


def answer_comment(comment: ConsultationComment, rnd: ConsultationRound, answer: str, reason: str,
                   *, actor) -> None:
    """Record the evaluator's answer: accepted / partly / rejected with the reason."""
    if rnd.status != "open":
        raise DomainError(_("The consultation is closed; answers cannot change."))
    if answer not in ANSWERS:
        raise DomainError(_("Choose an answer."))
    if answer != "accepted" and not (reason or "").strip():
        raise DomainError(_("Give the reason when a comment is not fully accepted."))
    diff = audit.changes(comment, {"answer": answer, "answer_reason": (reason or "").strip() or None})
    if diff:
        comment.answered_by_id, comment.answered_at = actor.id, utcnow()
        audit.record("owes.comment_answer", actor=actor, obj=comment, summary=diff)
        db.session.commit()


def close_round(rnd: ConsultationRound, study: Study, *, actor) -> int:
    """Close the round (every comment must be answered) and queue the outcome to each commenter.

    Returns the number of commenters who will get the outcome.
    """
    if rnd.status != "open":
        raise DomainError(_("The consultation is already closed."))
    comments = db.session.scalars(select(ConsultationComment).where(
        ConsultationComment.round_id == rnd.id)).all()
    open_ones = [c for c in comments if c.answer is None]
    if open_ones:
        raise DomainError(_("Answer every comment before closing (%(n)d without an answer).",
                          n=len(open_ones)))
    rnd.status, rnd.closed_at = "closed", utcnow()
    notified = notices.schedule_outcome(rnd, study)
    audit.record("owes.round_close", actor=actor, obj=rnd,
                 summary={"comments": len(comments), "notified": notified})
    db.session.commit()
    return notified


REC_FIELDS = ("finding", "recommendation", "addressee", "how", "deadline", "priority")


def save_recommendation(study: Study, rec: Recommendation | None, data: dict, *, actor) -> Recommendation:
    """Create or edit a row of the recommendations table."""
    fields = {k: data.get(k) for k in REC_FIELDS if k in data}
    if fields.get("priority") not in PRIORITIES:
        raise DomainError(_("Unknown priority."))
    parents = {"study_id": study.id, "status": "planned"} if rec is None else {}
    return save_audited(rec, Recommendation, fields, actor=actor, action="owes.recommendation",
                        created={"study": study.id}, **parents)


def update_recommendation_status(rec: Recommendation, year: int, status: str, note: str | None,
                                 *, actor) -> RecommendationUpdate:
    """The yearly update: one per year (a second one for the same year replaces it)."""
    if status not in RECOMMENDATION_STATUSES:
        raise DomainError(_("Unknown status."))
    if not 2000 <= year <= 2100:
        raise DomainError(_("Years must be between %(a)d and %(b)d.", a=2000, b=2100))
    upd = db.session.scalar(select(RecommendationUpdate).where(
        RecommendationUpdate.recommendation_id == rec.id, RecommendationUpdate.year == year))
    if upd is None:
        upd = RecommendationUpdate(recommendation_id=rec.id, year=year, status=status,
                                   note=(note or "").strip() or None, author_id=actor.id)
        db.session.add(upd)
    else:
        upd.status, upd.note, upd.author_id = status, (note or "").strip() or None, actor.id
    latest = db.session.scalar(select(func.max(RecommendationUpdate.year)).where(
        RecommendationUpdate.recommendation_id == rec.id))
    if latest is None or year >= latest:
        rec.status = status
    db.session.flush()
    audit.record("owes.recommendation_status", actor=actor, obj=rec,
                 summary={"year": year, "status": status})
    db.session.commit()
    return upd
