"""Cross-region comparison for national consultants.

Every function here reads all regions, explicitly with ``all_tenants()``. Query counts do not
depend on the number of regions or versions: each page is built from a fixed set of queries.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import and_, func, select

from coordination.clock import utcnow
from coordination.collation import polish_key, sorted_pl
from coordination.extensions import db
from coordination.modules import submodule
from coordination.tenancy import all_tenants
from national.models import (
    PRIORITIES,
    TARGET_GROUPS,
    Diagnosis,
    DiagnosisArea,
    DiagnosisItem,
    DiagnosisRating,
    SupportEntry,
    SupportEntryItem,
)
from national.queries.region import distinct_persons, target_progress
from tenants.models import Tenant
from tenants.queries import all_regions

#: a signed diagnosis older than this is reported as outdated.
OUTDATED_AFTER = timedelta(days=365)
METRICS = ("need", "state")


def _latest_signed_stmt():
    latest = (select(Diagnosis.tenant_id, func.max(Diagnosis.version).label("version"))
              .where(Diagnosis.status == "signed").group_by(Diagnosis.tenant_id).subquery())
    return select(Diagnosis).join(latest, and_(Diagnosis.tenant_id == latest.c.tenant_id,
                                               Diagnosis.version == latest.c.version))


def latest_signed() -> dict[int, Diagnosis]:
    """tenant id -> its newest signed diagnosis (one query)."""
    with all_tenants():
        return {d.tenant_id: d for d in db.session.scalars(_latest_signed_stmt())}


def _items(area: str | None = None) -> list[tuple[DiagnosisItem, DiagnosisArea]]:
    stmt = (select(DiagnosisItem, DiagnosisArea)
            .join(DiagnosisArea, DiagnosisArea.id == DiagnosisItem.area_id)
            .order_by(DiagnosisArea.position, DiagnosisItem.position, DiagnosisItem.id))
    if area:
        stmt = stmt.where(DiagnosisArea.code == area)
    return db.session.execute(stmt).all()


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def completeness(tenants: list[Tenant], latest: dict[int, Diagnosis], now: datetime | None = None) -> dict:
    """Regions without a signed diagnosis and regions whose latest one is older than 12 months."""
    now = now or utcnow()
    missing = [t for t in tenants if t.id not in latest]
    outdated = [(t, latest[t.id]) for t in tenants
                if t.id in latest and latest[t.id].signed_at < now - OUTDATED_AFTER]
    return {"missing": missing, "outdated": outdated,
            "current": len(tenants) - len(missing) - len(outdated)}


def comparison(area: str | None = None, priority: str | None = None, now: datetime | None = None) -> dict:
    """The regions × items matrix of need and state from each region's latest signed diagnosis.

    ``cells[tenant_id][item_id]`` holds the rating (a row of ``need``, ``state`` and
    ``priority``); with ``priority`` only ratings of that
    priority are kept (items without any are dropped) and ``hidden[tenant_id][item_id]`` holds
    the ratings the filter left out (another priority or none), so that the page tells them
    from a missing rating. ``median[metric][item_id]`` is the national median over all regions
    with a signed rating, whatever the priority filter. An unknown ``area`` or ``priority``
    is ignored (``area`` and ``priority`` in the result are the filters applied). Three queries
    in all (the regions come from the per-request cache).
    """
    if priority not in PRIORITIES:
        priority = None
    with all_tenants():
        tenants = sorted_pl(all_regions(), key=lambda t: t.name)
        every = _items()
        areas = list(dict.fromkeys(a for _i, a in every))
        if area not in {a.code for a in areas}:
            area = None
        items = [(i, a) for i, a in every if not area or a.code == area]
        latest = {d.tenant_id: d for d in db.session.scalars(_latest_signed_stmt())}
        # the columns the matrix shows, not whole ratings (their texts and JSON lists are
        # decoded for nothing: most of this page's time went there)
        ratings = db.session.execute(select(
            DiagnosisRating.tenant_id, DiagnosisRating.item_id, DiagnosisRating.need,
            DiagnosisRating.state, DiagnosisRating.priority).where(
            DiagnosisRating.diagnosis_id.in_(select(_latest_signed_stmt().subquery().c.id)))).all()
    all_cells: dict[int, dict[int, Any]] = defaultdict(dict)
    for r in ratings:
        all_cells[r.tenant_id][r.item_id] = r
    median = {m: {} for m in METRICS}
    for item, _area in items:
        for m in METRICS:
            median[m][item.id] = _median([getattr(all_cells[t][item.id], m) for t in all_cells
                                          if item.id in all_cells[t]
                                          and getattr(all_cells[t][item.id], m) is not None])
    cells = all_cells
    hidden: dict[int, dict[int, Any]] = {}
    if priority:
        cells = defaultdict(dict)
        for tid, row in all_cells.items():
            cells[tid] = {iid: r for iid, r in row.items() if r.priority == priority}
            hidden[tid] = {iid: r for iid, r in row.items() if r.priority != priority}
        shown = {iid for row in cells.values() for iid in row}
        items = [(i, a) for i, a in items if i.id in shown]
    return {
        "tenants": tenants, "areas": areas, "items": items, "latest": latest, "cells": cells,
        "hidden": hidden, "median": median, "completeness": completeness(tenants, latest, now),
        "area": area, "priority": priority,
    }


def item_regions(item_id: int) -> list[dict]:
    """"Which regions lack X": every region's latest signed rating of one item, neediest first,
    with the support already given there on that item (four queries)."""
    with all_tenants():
        tenants = all_regions()
        latest = {d.tenant_id: d for d in db.session.scalars(_latest_signed_stmt())}
        ratings = {r.tenant_id: r for r in db.session.scalars(select(DiagnosisRating).where(
            DiagnosisRating.item_id == item_id,
            DiagnosisRating.diagnosis_id.in_(select(_latest_signed_stmt().subquery().c.id))))}
        support = {row.tenant_id: row for row in db.session.execute(
            select(SupportEntry.tenant_id, func.count(SupportEntry.id).label("entries"),
                   func.coalesce(func.sum(SupportEntry.hours), 0).label("hours"),
                   func.max(SupportEntry.held_on).label("last"))
            .join(SupportEntryItem, and_(SupportEntryItem.entry_id == SupportEntry.id,
                                         SupportEntryItem.tenant_id == SupportEntry.tenant_id))
            .where(SupportEntryItem.item_id == item_id)
            .group_by(SupportEntry.tenant_id))}
    rows = [{"tenant": t, "diagnosis": latest.get(t.id), "rating": ratings.get(t.id),
             "support": support.get(t.id)} for t in tenants]

    def key(row):
        r = row["rating"]
        name = polish_key(row["tenant"].name)  # ties in Polish order (ś after z by code point)
        if r is None or r.need is None:  # signed but unrated first, then no diagnosis at all
            return (1 if row["diagnosis"] else 2, 0, 0, name)
        return (0, -r.need, r.state if r.state is not None else 9, name)

    return sorted(rows, key=key)


def briefing(item_id: int, now: datetime | None = None) -> dict:
    """A briefing for the ministry on one diagnosis item: the regions ranked by need with their
    state, priority and agreed actions, the support each already had on the item (entries,
    hours, distinct persons by target group), the advocacy issues concerning it and the
    completeness of the diagnoses. Same data as the "which regions lack X" page (five queries).
    """
    from national.queries import issues_for_item

    rows = item_regions(item_id)
    with all_tenants():
        persons = distinct_persons(item_id=item_id)
    latest = {row["tenant"].id: row["diagnosis"] for row in rows if row["diagnosis"]}
    zero = dict.fromkeys(TARGET_GROUPS, 0)
    for row in rows:
        row["persons"] = persons.get(row["tenant"].id, zero)
    issues = issues_for_item(item_id)
    tenants = sorted_pl([row["tenant"] for row in rows], key=lambda t: t.name)
    return {"rows": rows, "issues": issues,
            "completeness": completeness(tenants, latest, now),
            "totals": {"entries": sum(r["support"].entries for r in rows if r["support"]),
                       "hours": sum(float(r["support"].hours) for r in rows if r["support"]),
                       "persons": {g: sum(r["persons"][g] for r in rows) for g in TARGET_GROUPS}},
            "region_count": len(rows)}


#: how many regions the profile comparison shows side by side.
MAX_PROFILES = 4


def profiles(slugs: list[str]) -> dict:
    """Side-by-side profiles of up to :data:`MAX_PROFILES` regions: their latest signed ratings
    per item (the page says which regions beyond that were left out)."""
    slugs = list(dict.fromkeys(slugs))[:MAX_PROFILES]
    with all_tenants():
        tenants = [t for t in all_regions() if t.slug in set(slugs)]
        ids = [t.id for t in tenants]
        latest = {d.tenant_id: d for d in db.session.scalars(
            _latest_signed_stmt().where(Diagnosis.tenant_id.in_(ids)))} if ids else {}
        ratings = db.session.scalars(select(DiagnosisRating).where(
            DiagnosisRating.diagnosis_id.in_([d.id for d in latest.values()]))).all() if latest else []
        items = _items()
    order = {s: i for i, s in enumerate(slugs)}
    tenants = sorted(tenants, key=lambda t: order[t.slug])
    cells: dict[int, dict[int, DiagnosisRating]] = defaultdict(dict)
    for r in ratings:
        cells[r.tenant_id][r.item_id] = r
    return {"tenants": tenants, "latest": latest, "cells": cells, "items": items}


def support_national() -> dict:
    """Support given per region and nationally: entries, hours, attendances and distinct persons
    per target group; the persons against the project's targets (three queries)."""
    with all_tenants():
        tenants = sorted_pl(all_regions(), key=lambda t: t.name)
        rows = {row[0]: row for row in db.session.execute(
            select(SupportEntry.tenant_id, func.count(SupportEntry.id),
                   func.coalesce(func.sum(SupportEntry.hours), 0),
                   *(func.coalesce(func.sum(getattr(SupportEntry, g)), 0) for g in TARGET_GROUPS))
            .group_by(SupportEntry.tenant_id))}
        persons = distinct_persons()
    regions = []
    totals = {"entries": 0, "hours": 0.0, **{g: 0 for g in TARGET_GROUPS}}
    for t in tenants:
        row = rows.get(t.id)
        values = {"entries": 0, "hours": 0.0, **{g: 0 for g in TARGET_GROUPS}}
        if row is not None:
            values = {"entries": row[1], "hours": float(row[2]),
                      **{g: int(v) for g, v in zip(TARGET_GROUPS, row[3:], strict=True)}}
        for k, v in values.items():
            totals[k] += v
        regions.append({"tenant": t, **values, "persons": persons.get(t.id, dict.fromkeys(TARGET_GROUPS, 0))})
    persons_total = {g: sum(r["persons"][g] for r in regions) for g in TARGET_GROUPS}
    return {"regions": regions, "totals": totals, "persons": persons_total,
            "progress": target_progress(persons_total)}


class Section(NamedTuple):
    """A comparison section another module provides."""

    #: the providing package.
    package: str
    #: its query function (see :func:`section`).
    query: str
    #: its function naming the codes the query returns: ``() -> {code: label}``.
    names: str
    #: its function naming the period shown (``() -> year | None``), passed to the query;
    #: None when the query takes no period.
    period: str | None = None
    #: True when ``names`` lists the codes in the order to show them (else by code).
    ordered: bool = False


#: comparison sections other modules provide, by URL part.
SECTIONS = {
    # the questionnaire's order of dimensions, as on the survey pages
    "ankiety": Section("surveys", "region_dimension_scores", "dimension_names", "latest_scored_year", True),
    "owes": Section("owes", "region_indicator_achievement", "indicator_names"),
}


def available_sections() -> list[str]:
    """URL parts of the sections whose module provides its query (no database access)."""
    out = []
    for part, spec in SECTIONS.items():
        module = submodule(spec.package, "queries")
        if module is not None and hasattr(module, spec.query):
            out.append(part)
    return out


def section(part: str) -> dict | None:
    """One optional comparison (a page of its own, loaded into the comparison by htmx).

    ``surveys.queries.region_dimension_scores(year) -> {tenant_id: {code: (mean, n) | None}}``
    for ``year = surveys.queries.latest_scored_year()``;
    ``owes.queries.region_indicator_achievement() -> {tenant_id: {code: percent | None}}``
    Returns ``{"codes", "names", "data", "tenants", "period"}`` (``names``: code -> label, the
    code itself where the module names none; ``period``: the year shown, or None), or None when
    the module has no data yet.
    """
    spec = SECTIONS[part]
    module = submodule(spec.package, "queries")
    period_of = getattr(module, spec.period, None) if spec.period else None
    period = period_of() if period_of else None
    data = getattr(module, spec.query)(period) if period_of else getattr(module, spec.query)()
    if not data:
        return None
    names = getattr(module, spec.names, dict)()
    out = _section(data, list(names) if spec.ordered else [])
    out["names"] = {code: names.get(code) or code for code in out["codes"]}
    out["tenants"] = sorted_pl(all_regions(), key=lambda t: t.name)
    out["period"] = period
    return out


def _section(data: dict, order: list[str]) -> dict:
    """The codes in ``data`` in ``order``, then those ``order`` leaves out by code."""
    rank = {code: i for i, code in enumerate(order)}
    codes = sorted({code for row in data.values() for code in (row or {})},
                   key=lambda code: (rank.get(code, len(rank)), code))
    return {"codes": codes, "data": data}
