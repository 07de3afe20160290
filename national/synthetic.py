"""Synthetic SIRES diagnoses for ``seed-synthetic`` (contract: coordination/synthetic.py).

Per region at scale 1: 3 versions of the advisory-needs diagnosis on the module's template
(created with :func:`~national.services.ensure_template`, as the demo does) — the
baseline and updates, each based on the previous one and signed off by a national consultant
and the region's coordinator; the newest version is still a draft in about a quarter of the
regions — with a rating of every item (need falls and state rises from version to version), and
10 support-log entries linked to 1–2 items each. A region that already has diagnoses keeps
them: the synthetic versions follow its newest one (all signed when it has an open draft).
The national heatmap (``/kraj/porownanie``) reads the newest signed version of every region.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from coordination.auth.models import User
from coordination.extensions import db
from coordination.synthetic import DOMAIN, EPOCH_END, YEARS, bulk_insert, count, people
from national.models import (
    PRIORITIES,
    SUPPORT_FORMS,
    TARGET_GROUPS,
    TARGETS,
    Diagnosis,
    DiagnosisItem,
    DiagnosisRating,
    SupportEntry,
    SupportEntryItem,
    SupportParticipant,
)
from national.services import ensure_template

VERSIONS = 3
SUPPORT_ENTRIES = 10
START = EPOCH_END - timedelta(days=365 * YEARS)
TOPICS = ("Konsultacja zapisów RPRES", "Warsztat: klauzule społeczne w zamówieniach JST",
          "Szkolenie z pracy z grupą dla zespołu ROPS", "Wizyta studyjna: marka regionalna produktów PES",
          "Wymiana doświadczeń z innym regionem: sieć OWES", "Doradztwo: partnerstwa z biznesem")
EVIDENCE = "Przegląd dokumentów regionu i rozmowy z zespołem ROPS (dane syntetyczne)."


def _rating(rng, tid: int, diagnosis_id: int, item_id: int, need: int) -> dict:
    state = max(1, min(5, 5 - need - rng.choice((0, 1))))
    return {"tenant_id": tid, "diagnosis_id": diagnosis_id, "item_id": item_id, "state": state,
            "need": need, "priority": PRIORITIES[min(2, 3 - need)] if need else "L",
            "evidence": EVIDENCE, "support_forms": rng.sample(SUPPORT_FORMS[:5], 2),
            "target_groups": rng.sample(TARGET_GROUPS, 2),
            "actions": "Doradztwo indywidualne i warsztat dla zespołu ROPS." if need >= 2 else None,
            "notes": None, "consultant_notes": "Wrócić do tematu po naborze OWES." if need == 3 else None,
            "consultant_notes_released": False}


def generate(tenants, scale, rng) -> dict[str, int]:
    """Diagnosis versions with ratings, support entries with their items."""
    ensure_template()
    items = list(db.session.scalars(select(DiagnosisItem.id).where(DiagnosisItem.active.is_(True))
                                    .order_by(DiagnosisItem.id)))
    consultants = list(db.session.scalars(select(User.id).where(
        User.is_national.is_(True), User.email.like(f"syn.national.%@{DOMAIN}")).order_by(User.id)))
    versions = count(VERSIONS, scale)
    span = (EPOCH_END - START) / (versions + 1)
    existing = {tid: (version, drafts) for tid, version, drafts in db.session.execute(
        select(Diagnosis.tenant_id, func.max(Diagnosis.version),
               func.count(Diagnosis.id).filter(Diagnosis.status == "draft")).group_by(Diagnosis.tenant_id))}
    latest = {tid: did for tid, did in db.session.execute(
        select(Diagnosis.tenant_id, Diagnosis.id).where(Diagnosis.status == "signed")
        .order_by(Diagnosis.tenant_id, Diagnosis.version))}
    regions = []
    for tenant in tenants.values():
        offset, drafts = existing.get(tenant.id, (0, 0))
        regions.append({"tenant": tenant, "coordinator": people(tenant, "coordinator")[0],
                        "consultant": consultants[len(regions) % len(consultants)] if consultants else None,
                        "draft_last": rng.random() < 0.25 and not drafts, "previous": latest.get(tenant.id),
                        "offset": offset, "need": {i: rng.choice((1, 2, 2, 3, 3)) for i in items}})
    rows_written = {"diagnosis versions": 0, "ratings": 0}
    for v in range(1, versions + 1):
        batch = []
        for region in regions:
            signed = not (v == versions and region["draft_last"])
            at = START + span * v
            batch.append({
                "tenant_id": region["tenant"].id, "version": region["offset"] + v,
                "kind": "update" if region["previous"] else "baseline",
                "status": "signed" if signed else "draft", "based_on_id": region["previous"],
                "reason": "Aktualizacja po zmianie RPRES i nowym naborze OWES." if region["previous"] else None,
                "created_by_id": region["consultant"], "created_at": at - timedelta(days=30),
                "consultant_signed_by_id": region["consultant"] if signed else None,
                "consultant_signed_at": at - timedelta(days=1) if signed else None,
                "coordinator_signed_by_id": region["coordinator"] if signed else None,
                "coordinator_signed_at": at if signed else None,
                "signed_at": at if signed else None})
        ids = bulk_insert(Diagnosis, batch, returning=Diagnosis.id)
        ratings = []
        for region, diagnosis_id, row in zip(regions, ids, batch, strict=True):
            if row["status"] == "signed":
                region["previous"] = diagnosis_id
            for item_id in items:
                if v > 1 and rng.random() < 0.4:
                    region["need"][item_id] = max(0, region["need"][item_id] - 1)  # progress
                ratings.append(_rating(rng, region["tenant"].id, diagnosis_id, item_id,
                                       region["need"][item_id]))
        bulk_insert(DiagnosisRating, ratings)
        rows_written["diagnosis versions"] += len(ids)
        rows_written["ratings"] += len(ratings)
    entries, owners, named = [], [], []
    for region in regions:
        for _ in range(count(SUPPORT_ENTRIES, scale)):
            held = START + timedelta(days=rng.randrange((EPOCH_END - START).days))
            sizes = {"rops_staff": rng.randint(1, 6), "committee_members": rng.randint(0, 8),
                     "planners": rng.randint(0, 3)}
            entries.append({
                "tenant_id": region["tenant"].id, "held_on": held.date(), "form": rng.choice(SUPPORT_FORMS[:5]),
                "topic": rng.choice(TOPICS), "hours": float(rng.choice((2, 4, 5, 6, 8, 12, 16))),
                **sizes, "follow_up": "Materiały przesłane uczestnikom.",
                "created_by_id": region["consultant"], "created_at": datetime.combine(held.date(), held.time())})
            owners.append(region["tenant"].id)
            # people of a region's pool (3 per target place) come back to later sessions
            named.append([(group, f"Uczestnik {group} {n}") for group, k in sizes.items()
                          for n in rng.sample(range(3 * TARGETS[group] // 16 + 3), k)])
    entry_ids = bulk_insert(SupportEntry, entries, returning=SupportEntry.id)
    bulk_insert(SupportParticipant, [
        {"tenant_id": tid, "entry_id": entry_id, "target_group": group, "name": name, "name_key": name.casefold()}
        for tid, entry_id, names in zip(owners, entry_ids, named, strict=True) for group, name in names])
    links = [{"tenant_id": tid, "entry_id": entry_id, "item_id": item_id}
             for tid, entry_id in zip(owners, entry_ids, strict=True)
             for item_id in rng.sample(items, min(len(items), rng.choice((1, 2))))]
    bulk_insert(SupportEntryItem, links)
    return {**rows_written, "support entries": len(entries), "support entry items": len(links)}
