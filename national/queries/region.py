"""Reads for one region's diagnosis and support log (run inside the region's tenant context)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from coordination.auth.models import User
from coordination.extensions import db
from coordination.pagination import paged, paged_with_total
from national.models import (
    TARGET_GROUPS,
    TARGETS,
    Diagnosis,
    DiagnosisArea,
    DiagnosisItem,
    DiagnosisRating,
    SupportEntry,
    SupportEntryItem,
    SupportParticipant,
)


def template_tree(active_only: bool = False) -> list[dict]:
    """Areas in order, each with its items in order (two queries)."""
    areas = db.session.scalars(select(DiagnosisArea).order_by(DiagnosisArea.position)).all()
    stmt = select(DiagnosisItem).order_by(DiagnosisItem.position, DiagnosisItem.id)
    if active_only:
        stmt = stmt.where(DiagnosisItem.active.is_(True))
    by_area = defaultdict(list)
    for item in db.session.scalars(stmt):
        by_area[item.area_id].append(item)
    return [{"area": a, "items": by_area.get(a.id, [])} for a in areas]


def items_by_id() -> dict[int, DiagnosisItem]:
    return {i.id: i for i in db.session.scalars(select(DiagnosisItem))}


def item_choices() -> list[tuple[int, str]]:
    """(id, "code title") of active items, for forms."""
    rows = db.session.execute(
        select(DiagnosisItem.id, DiagnosisItem.code, DiagnosisItem.title)
        .join(DiagnosisArea, DiagnosisArea.id == DiagnosisItem.area_id)
        .where(DiagnosisItem.active.is_(True))
        .order_by(DiagnosisArea.position, DiagnosisItem.position)).all()
    return [(i, f"{code} {title}") for i, code, title in rows]


def versions_page(page: int, per_page: int):
    """The region's diagnosis versions, newest first."""
    return paged(select(Diagnosis).order_by(Diagnosis.version.desc()), page, per_page)


def user_names(ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


def signers(diagnoses) -> dict[int, str]:
    """Names of everyone who started or signed the given versions (one query)."""
    return user_names(
        uid for d in diagnoses
        for uid in (d.created_by_id, d.consultant_signed_by_id, d.coordinator_signed_by_id))


def diagnosis_detail(diagnosis: Diagnosis) -> list[dict]:
    """Areas in order with ``(item, rating)`` rows for one version, in one query: every rated
    item, and for a draft also the active items not rated yet (rating None)."""
    shown = DiagnosisRating.id.is_not(None)
    if diagnosis.status == "draft":
        shown = shown | DiagnosisItem.active.is_(True)
    rows = db.session.execute(
        select(DiagnosisArea, DiagnosisItem, DiagnosisRating)
        .join(DiagnosisItem, DiagnosisItem.area_id == DiagnosisArea.id)
        .outerjoin(DiagnosisRating, (DiagnosisRating.item_id == DiagnosisItem.id)
                   & (DiagnosisRating.diagnosis_id == diagnosis.id))
        .where(shown)
        .order_by(DiagnosisArea.position, DiagnosisArea.id, DiagnosisItem.position, DiagnosisItem.id)).all()
    tree: list[dict] = []
    for area, item, rating in rows:
        if not tree or tree[-1]["area"] is not area:
            tree.append({"area": area, "rows": []})
        tree[-1]["rows"].append((item, rating))
    return tree


def unrated_codes(tree: list[dict]) -> list[str]:
    """Codes of the items of a :func:`diagnosis_detail` tree whose rating still lacks state, need
    or priority (what ``services.diagnosis.incomplete_items`` reads, without another query)."""
    return [item.code for item, rating in sorted(
        ((i, r) for node in tree for i, r in node["rows"] if r is not None), key=lambda pair: pair[0].id)
        if rating.state is None or rating.need is None or rating.priority is None]


def item_history(item_id: int) -> list[tuple[Diagnosis, DiagnosisRating]]:
    """How the region rated one item in every version, oldest first (one query)."""
    return db.session.execute(
        select(Diagnosis, DiagnosisRating)
        .join(DiagnosisRating, DiagnosisRating.diagnosis_id == Diagnosis.id)
        .where(DiagnosisRating.item_id == item_id)
        .order_by(Diagnosis.version)).all()


def entry_item_codes(entry_ids) -> dict[int, list[tuple[int, str]]]:
    """entry id -> [(item id, code)] (one query)."""
    out: dict[int, list] = defaultdict(list)
    if not entry_ids:
        return out
    for entry_id, item_id, code in db.session.execute(
            select(SupportEntryItem.entry_id, DiagnosisItem.id, DiagnosisItem.code)
            .join(DiagnosisItem, DiagnosisItem.id == SupportEntryItem.item_id)
            .where(SupportEntryItem.entry_id.in_(list(entry_ids)))
            .order_by(DiagnosisItem.id)):
        out[entry_id].append((item_id, code))
    return out


def support_page(page: int, per_page: int, item_id: int | None = None):
    """The region's support log, newest first; optionally only entries about one item."""
    stmt = select(SupportEntry).order_by(SupportEntry.held_on.desc(), SupportEntry.id.desc())
    if item_id:
        stmt = stmt.where(SupportEntry.id.in_(
            select(SupportEntryItem.entry_id).where(SupportEntryItem.item_id == item_id)))
    return paged_with_total(stmt, page, per_page)


def support_totals() -> dict:
    """Entries, hours, attendances and distinct persons by target group in the current region
    (two queries): ``{"entries", "hours", <group>: attendances, "persons": {<group>: n}}``."""
    row = db.session.execute(select(
        func.count(SupportEntry.id), func.coalesce(func.sum(SupportEntry.hours), 0),
        *(func.coalesce(func.sum(getattr(SupportEntry, g)), 0) for g in TARGET_GROUPS))).one()
    persons = distinct_persons()
    return {"entries": row[0], "hours": float(row[1]),
            **{g: int(v) for g, v in zip(TARGET_GROUPS, row[2:], strict=True)},
            "persons": next(iter(persons.values()), dict.fromkeys(TARGET_GROUPS, 0))}


def distinct_persons(item_id: int | None = None) -> dict[int, dict[str, int]]:
    """tenant id -> {target group -> distinct persons} over the support entries in scope (the
    current region, or every region inside ``all_tenants()``); with ``item_id`` only entries that
    dealt with that diagnosis item. One query."""
    stmt = (select(SupportParticipant.tenant_id, SupportParticipant.target_group,
                   func.count(func.distinct(SupportParticipant.name_key)))
            .group_by(SupportParticipant.tenant_id, SupportParticipant.target_group))
    if item_id is not None:
        stmt = stmt.where(SupportParticipant.entry_id.in_(
            select(SupportEntryItem.entry_id).where(SupportEntryItem.item_id == item_id)))
    out: dict[int, dict[str, int]] = {}
    for tenant_id, group, n in db.session.execute(stmt):
        out.setdefault(tenant_id, dict.fromkeys(TARGET_GROUPS, 0))[group] = n
    return out


def entry_participants(entry: SupportEntry) -> dict[str, list[str]]:
    """The names on one entry by target group, in the order entered."""
    out: dict[str, list[str]] = {g: [] for g in TARGET_GROUPS}
    for group, name in db.session.execute(
            select(SupportParticipant.target_group, SupportParticipant.name)
            .where(SupportParticipant.entry_id == entry.id).order_by(SupportParticipant.id)):
        out.setdefault(group, []).append(name)
    return out


def target_progress(persons: dict) -> dict:
    """Distinct persons per target group against the project's national targets."""
    return {g: {"reached": persons[g], "target": TARGETS[g], "percent": round(100 * persons[g] / TARGETS[g])}
            for g in TARGET_GROUPS}


def entry_item_ids(entry: SupportEntry) -> list[int]:
    return list(db.session.scalars(select(SupportEntryItem.item_id)
                                   .where(SupportEntryItem.entry_id == entry.id)))


def status_summary() -> dict:
    """Latest signed version and open draft of the current region (one query)."""
    rows = db.session.scalars(select(Diagnosis).where(
        (Diagnosis.status == "draft") | (Diagnosis.id == select(Diagnosis.id).where(
            Diagnosis.status == "signed").order_by(Diagnosis.version.desc()).limit(1)
            .scalar_subquery()))).all()
    return {"draft": next((d for d in rows if d.status == "draft"), None),
            "signed": next((d for d in rows if d.status == "signed"), None)}


def rating_or_blank(diagnosis: Diagnosis, item_id: int) -> DiagnosisRating:
    """The saved rating, or an unsaved blank one (items added to the template after the start)."""
    rating = db.session.scalar(select(DiagnosisRating).where(
        DiagnosisRating.diagnosis_id == diagnosis.id, DiagnosisRating.item_id == item_id))
    return rating or DiagnosisRating(diagnosis_id=diagnosis.id, item_id=item_id,
                                     support_forms=[], target_groups=[])


def rating_form_data(rating: DiagnosisRating) -> dict:
    """Initial form data of a rating (numbers as the select fields' string values)."""
    def _s(value):
        return "" if value is None else str(value)

    return {"state": _s(rating.state), "need": _s(rating.need), "priority": rating.priority or "",
            "evidence": rating.evidence, "support_forms": list(rating.support_forms or []),
            "target_groups": list(rating.target_groups or []), "actions": rating.actions,
            "notes": rating.notes, "consultant_notes": rating.consultant_notes,
            "consultant_notes_released": bool(rating.consultant_notes_released)}
