"""Diagnosis versions: start (baseline or update), rate items, sign off, discard a draft.

Rules enforced here (and by the flush guard at the bottom, so no code path can bypass them):

* a region has at most one draft at a time;
* the first version is the baseline; an update starts from the last *signed* version, copies its
  ratings and needs a reason;
* a draft becomes final only when a national consultant **and** the region's coordinator (two
  different people) have signed it off; any later change to a rating withdraws earlier sign-offs;
* a signed version is an immutable snapshot: its row and its ratings never change again.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, event, func, inspect, select

from coordination import audit
from coordination.auth.models import Membership
from coordination.clock import utcnow
from coordination.db import TenantSession
from coordination.errors import DomainError
from coordination.extensions import db
from national.models import (
    NEED_RANGE,
    PRIORITIES,
    STATE_RANGE,
    SUPPORT_FORMS,
    TARGET_GROUPS,
    Diagnosis,
    DiagnosisItem,
    DiagnosisRating,
)
from national.services import DiagnosisLocked

#: fields of a rating the region and the consultant edit together.
SHARED_FIELDS = ("state", "need", "priority", "evidence", "support_forms", "target_groups",
                 "actions", "notes")
#: fields only a national consultant may edit (and, until released, see).
CONSULTANT_FIELDS = ("consultant_notes", "consultant_notes_released")
SIGN_ROLES = ("consultant", "coordinator")


def open_draft() -> Diagnosis | None:
    """The current region's draft version, if there is one."""
    return db.session.scalar(select(Diagnosis).where(Diagnosis.status == "draft"))


def latest_signed() -> Diagnosis | None:
    """The current region's newest signed version."""
    return db.session.scalar(select(Diagnosis).where(Diagnosis.status == "signed")
                             .order_by(Diagnosis.version.desc()).limit(1))


def _copy(rating: DiagnosisRating | None) -> dict:
    if rating is None:
        return {"support_forms": [], "target_groups": []}
    out = {f: getattr(rating, f) for f in SHARED_FIELDS + CONSULTANT_FIELDS}
    out["support_forms"] = list(rating.support_forms or [])
    out["target_groups"] = list(rating.target_groups or [])
    return out


def start_diagnosis(*, actor, reason: str | None = None, now: datetime | None = None) -> Diagnosis:
    """Start the baseline, or an update from the last signed version (``reason`` required)."""
    if open_draft() is not None:
        raise DomainError(_l("This region already has a draft diagnosis. Finish or discard it first."))
    base = latest_signed()
    reason = (reason or "").strip() or None
    if base is not None and not reason:
        raise DomainError(_l("Give the reason for the update."), field="reason")
    version = (db.session.scalar(select(func.max(Diagnosis.version))) or 0) + 1
    diagnosis = Diagnosis(
        version=version, kind="update" if base else "baseline", status="draft",
        based_on_id=base.id if base else None, reason=reason,
        created_by_id=getattr(actor, "id", None), created_at=(now or utcnow()),
    )
    db.session.add(diagnosis)
    db.session.flush()
    previous = {}
    if base is not None:
        previous = {r.item_id: r for r in db.session.scalars(
            select(DiagnosisRating).where(DiagnosisRating.diagnosis_id == base.id))}
    items = db.session.scalars(select(DiagnosisItem.id).where(DiagnosisItem.active.is_(True))).all()
    for item_id in items:
        db.session.add(DiagnosisRating(diagnosis_id=diagnosis.id, item_id=item_id,
                                       **_copy(previous.get(item_id))))
    audit.record("diagnosis.start", actor=actor, obj=diagnosis,
                 summary={"version": version, "kind": diagnosis.kind, "reason": reason})
    db.session.commit()
    return diagnosis


def _ensure_draft(diagnosis: Diagnosis) -> None:
    if diagnosis.status != "draft":
        raise DiagnosisLocked(_l("Version %(version)d is signed and can no longer be changed. "
                                 "Start an update instead.", version=diagnosis.version))


def _clean_rating(data: dict, consultant: bool) -> dict:
    def _int(name, lo, hi):
        value = data.get(name)
        if value in (None, ""):
            return None
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = None
        if value is None or not lo <= value <= hi:
            raise DomainError(_l("Choose a value from %(lo)d to %(hi)d.", lo=lo, hi=hi), field=name)
        return value

    priority = data.get("priority") or None
    if priority is not None and priority not in PRIORITIES:
        raise DomainError(_l("Choose high, medium or low."), field="priority")
    forms = list(data.get("support_forms") or [])
    groups = list(data.get("target_groups") or [])
    if set(forms) - set(SUPPORT_FORMS):
        raise DomainError(_l("Unknown form of support."), field="support_forms")
    if set(groups) - set(TARGET_GROUPS):
        raise DomainError(_l("Unknown target group."), field="target_groups")

    def _text(name):
        return (data.get(name) or "").strip() or None

    clean = {
        "state": _int("state", *STATE_RANGE), "need": _int("need", *NEED_RANGE),
        "priority": priority, "evidence": _text("evidence"),
        "support_forms": [f for f in SUPPORT_FORMS if f in forms],
        "target_groups": [g for g in TARGET_GROUPS if g in groups],
        "actions": _text("actions"), "notes": _text("notes"),
    }
    if consultant:
        clean["consultant_notes"] = _text("consultant_notes")
        clean["consultant_notes_released"] = bool(data.get("consultant_notes_released"))
    return clean


def rating_for(diagnosis: Diagnosis, item_id: int) -> DiagnosisRating:
    """The rating of ``item_id`` in ``diagnosis``; created for items added to the template later."""
    rating = db.session.scalar(select(DiagnosisRating).where(
        DiagnosisRating.diagnosis_id == diagnosis.id, DiagnosisRating.item_id == item_id))
    if rating is None:
        _ensure_draft(diagnosis)
        rating = DiagnosisRating(diagnosis_id=diagnosis.id, item_id=item_id,
                                 support_forms=[], target_groups=[])
        db.session.add(rating)
        db.session.flush()
    return rating


def save_rating(diagnosis: Diagnosis, item_id: int, data: dict, *, actor, consultant: bool) -> dict:
    """Save one item's rating in a draft. Consultant-only fields change only if ``consultant``.

    A real change withdraws the sign-offs given so far (they approved other content).
    Returns the diff.
    """
    _ensure_draft(diagnosis)
    clean = _clean_rating(data, consultant)
    rating = rating_for(diagnosis, item_id)
    diff = audit.changes(rating, clean)
    if not diff:
        return diff
    withdrawn = [role for role in SIGN_ROLES if getattr(diagnosis, f"{role}_signed_by_id")]
    for role in withdrawn:
        setattr(diagnosis, f"{role}_signed_by_id", None)
        setattr(diagnosis, f"{role}_signed_at", None)
    summary = {"item_id": item_id, **{k: v for k, v in diff.items() if k not in CONSULTANT_FIELDS}}
    if set(diff) & set(CONSULTANT_FIELDS):
        summary["consultant_notes"] = "changed"
    if withdrawn:
        summary["sign_offs_withdrawn"] = withdrawn
    audit.record("diagnosis.rating", actor=actor, obj=diagnosis, summary=summary)
    db.session.commit()
    return diff


def incomplete_items(diagnosis: Diagnosis) -> list[str]:
    """Codes of items whose state, need or priority is still empty."""
    return list(db.session.scalars(
        select(DiagnosisItem.code).join(DiagnosisRating, DiagnosisRating.item_id == DiagnosisItem.id)
        .where(DiagnosisRating.diagnosis_id == diagnosis.id,
               (DiagnosisRating.state.is_(None)) | (DiagnosisRating.need.is_(None))
               | (DiagnosisRating.priority.is_(None)))
        .order_by(DiagnosisItem.id)))


def is_region_coordinator(user) -> bool:
    """True when ``user`` is a coordinator of the current region (membership, not admin rights)."""
    return db.session.scalar(select(Membership.id).where(
        Membership.user_id == user.id, Membership.role == "coordinator")) is not None


def sign(diagnosis: Diagnosis, role: str, *, actor, now: datetime | None = None) -> Diagnosis:
    """Sign a complete draft off as ``consultant`` or as the region's ``coordinator``.

    The second sign-off (by a different person) makes the version final and immutable.
    """
    _ensure_draft(diagnosis)
    if role not in SIGN_ROLES:
        raise DomainError(_l("Unknown sign-off role."), field="role")
    if role == "consultant" and not (actor.is_national or actor.is_admin):
        raise DomainError(_l("Only a national consultant can sign off as the consultant."), field="role")
    if role == "coordinator" and not is_region_coordinator(actor):
        raise DomainError(_l("Only the region's coordinator can sign off for the region."), field="role")
    if getattr(diagnosis, f"{role}_signed_by_id"):
        raise DomainError(_l("This version is already signed off in this role."), field="role")
    other = "coordinator" if role == "consultant" else "consultant"
    if getattr(diagnosis, f"{other}_signed_by_id") == actor.id:
        raise DomainError(_l("The two sign-offs must come from two different people."), field="role")
    missing = incomplete_items(diagnosis)
    if missing:
        raise DomainError(_l("Rate state, need and priority of every item first. Missing: %(codes)s.",
                               codes=", ".join(missing)))
    at = (now or utcnow())
    setattr(diagnosis, f"{role}_signed_by_id", actor.id)
    setattr(diagnosis, f"{role}_signed_at", at)
    summary = {"role": role}
    if diagnosis.consultant_signed_by_id and diagnosis.coordinator_signed_by_id:
        diagnosis.status = "signed"
        diagnosis.signed_at = at
        summary["status"] = "signed"
    audit.record("diagnosis.sign", actor=actor, obj=diagnosis, summary=summary)
    db.session.commit()
    return diagnosis


def discard_draft(diagnosis: Diagnosis, *, actor) -> None:
    """Delete a draft version and its ratings (signed versions cannot be discarded)."""
    _ensure_draft(diagnosis)
    audit.record("diagnosis.discard", actor=actor, obj=diagnosis, summary={"version": diagnosis.version})
    db.session.execute(delete(DiagnosisRating).where(DiagnosisRating.diagnosis_id == diagnosis.id))
    db.session.delete(diagnosis)
    db.session.commit()


@event.listens_for(TenantSession, "before_flush")
def _signed_is_immutable(session, _ctx, _instances) -> None:
    """Refuse any flush that would change or delete a signed version or its ratings."""
    touched: set[int] = set()
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, Diagnosis):
            state = inspect(obj)
            hist = state.attrs.status.history
            was = hist.deleted[0] if hist.deleted else obj.status
            if was == "signed" and (obj in session.deleted or session.is_modified(obj)):
                raise DiagnosisLocked(_l("Version %(version)d is signed and can no longer be changed. "
                                         "Start an update instead.", version=obj.version))
        elif isinstance(obj, DiagnosisRating) and (obj in session.deleted or session.is_modified(obj)):
            touched.add(obj.diagnosis_id)
    for obj in session.new:
        if isinstance(obj, DiagnosisRating):
            touched.add(obj.diagnosis_id)
    touched.discard(None)
    if not touched:
        return
    with session.no_autoflush:
        locked = session.execute(
            select(Diagnosis.version).where(Diagnosis.id.in_(touched), Diagnosis.status == "signed")
            .execution_options(all_tenants=True)).scalars().first()
    if locked is not None:
        raise DiagnosisLocked(_l("Version %(version)d is signed and can no longer be changed. "
                                 "Start an update instead.", version=locked))
