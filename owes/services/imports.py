"""XLSX import of targets and values: validate everything, preview, then apply all or nothing.

1. :func:`prepare` parses the upload, checks every cell against the catalogue, the plan and the
   database, and either returns the problems (nothing stored) or stores an :class:`ImportBatch`
   (the parsed changes, server-side, under a random token) for the preview page;
2. :func:`apply` writes the batch in one transaction and deletes it. Unchanged cells are not
   written, so importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select

from coordination import audit
from coordination.clock import utcnow
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.permissions import is_coordinator
from coordination.tenancy import current_tenant_id
from owes.models import (
    ActionPlan,
    ImportBatch,
    Indicator,
    Owes,
    PlanTarget,
    ReportedValue,
)
from owes.services import importer, require_coordinator
from owes.services.importer import Problem
from owes.services.plans import check_target
from owes.services.values import check_value

#: largest accepted upload.
MAX_BYTES = 10 * 1024 * 1024
#: previews older than this are discarded.
BATCH_TTL = timedelta(days=1)


def _same(a: Decimal | None, b: Decimal | None) -> bool:
    return a is not None and b is not None and Decimal(a) == Decimal(b)


def prepare(owes: Owes, plan: ActionPlan, filename: str, data: bytes, *,
            actor) -> ImportBatch | list[Problem]:
    """Validate an upload; return its problems, or the stored batch waiting for confirmation."""
    if len(data) > MAX_BYTES:
        return [Problem(None, None, None, _("The file is larger than %(mb)d MB.",
                                                mb=MAX_BYTES // (1024 * 1024)))]
    parsed = importer.parse(data, plan.years)
    problems = list(parsed.problems)
    sheet = parsed.sheet
    indicators = {i.code: i for i in db.session.scalars(select(Indicator))}
    existing = {(r.indicator_id, r.period): r for r in db.session.execute(
        select(ReportedValue.id, ReportedValue.indicator_id, ReportedValue.period,
               ReportedValue.value, ReportedValue.status)
        .where(ReportedValue.owes_id == owes.id,
               ReportedValue.year.between(plan.start_year, plan.end_year)))}
    periods_by_indicator: dict[int, set[str]] = {}
    for ind_id, period in existing:
        periods_by_indicator.setdefault(ind_id, set()).add(period)
    targets = {t.indicator_id: t for t in db.session.scalars(
        select(PlanTarget).where(PlanTarget.plan_id == plan.id))}
    values_out, targets_out, unchanged = [], [], {"values": 0, "targets": 0}

    def problem(row, col, message):
        if len(problems) <= importer.MAX_PROBLEMS:
            problems.append(Problem(sheet, row, col, message))

    for row in parsed.rows:
        ind = indicators.get(row.code)
        if ind is None:
            problem(row.row, "A", _("unknown indicator code %(code)s", code=row.code))
            continue
        if row.target is not None:
            mode, number = row.target
            try:
                mode, number, base_id = check_target(ind, mode, number, None)
            except DomainError as exc:
                problem(row.row, "D", str(exc))
            else:
                old = targets.get(ind.id)
                if old is not None and old.mode == mode and _same(old.value, number) and (
                        old.base_indicator_id == base_id):
                    unchanged["targets"] += 1
                else:
                    targets_out.append({"i": ind.id, "c": ind.code, "m": mode, "v": str(number),
                                        "b": base_id, "old": str(old.value) if old else None,
                                        "old_m": old.mode if old else None})
        for period, (number, col) in row.values.items():
            try:
                check_value(ind, number)
            except DomainError as exc:
                problem(row.row, col, str(exc))
                continue
            year = period.split("-")[0]
            clash = ({f"{year}-H1", f"{year}-H2"} if "-" not in period else {year})
            if periods_by_indicator.get(ind.id, set()) & clash:
                problem(row.row, col, _("%(year)s is already reported differently (whole year "
                                        "vs half-years) for %(code)s", year=year, code=ind.code))
                continue
            old = existing.get((ind.id, period))
            if old is not None and _same(old.value, number):
                unchanged["values"] += 1
                continue
            if old is not None and old.status == "verified":
                problem(row.row, col, _("the value %(period)s is verified and locked; ask a "
                                        "coordinator to reopen it", period=period))
                continue
            values_out.append({"i": ind.id, "c": ind.code, "p": period, "y": int(year),
                               "v": str(number), "id": old.id if old else None,
                               "old": str(old.value) if old else None})
    if targets_out and not is_coordinator(actor):
        # targets are what the OWES is judged against: the coordinator records them
        problem(None, "D", _("The file changes targets (%(codes)s); targets are set by the "
                             "coordinator. Please leave the Cel column as it is and propose "
                             "the change instead.", codes=", ".join(t["c"] for t in targets_out)))
    if problems:
        db.session.rollback()
        return problems
    _purge_old_batches()
    batch = ImportBatch(
        token=secrets.token_urlsafe(24), owes_id=owes.id, plan_id=plan.id, user_id=actor.id,
        filename=(filename or "import.xlsx")[:255],
        payload={"values": values_out, "targets": targets_out},
        summary={"new_values": sum(1 for v in values_out if v["id"] is None),
                 "changed_values": sum(1 for v in values_out if v["id"] is not None),
                 "unchanged_values": unchanged["values"],
                 "new_targets": sum(1 for t in targets_out if t["old"] is None),
                 "changed_targets": sum(1 for t in targets_out if t["old"] is not None),
                 "unchanged_targets": unchanged["targets"],
                 "rows": len(parsed.rows)},
    )
    db.session.add(batch)
    db.session.commit()
    return batch


def _purge_old_batches() -> None:
    db.session.execute(delete(ImportBatch).where(ImportBatch.created_at < utcnow() - BATCH_TTL))


def discard(batch: ImportBatch) -> None:
    """Forget a preview without applying it."""
    db.session.delete(batch)
    db.session.commit()


def apply(batch: ImportBatch, *, actor) -> dict:
    """Write the batch in one transaction (all or nothing) and delete it; return its summary."""
    payload, summary = batch.payload, dict(batch.summary)
    if payload["targets"]:
        require_coordinator(actor)
    owes_id, plan_id = batch.owes_id, batch.plan_id
    try:
        changed_ids = [v["id"] for v in payload["values"] if v["id"] is not None]
        rows = {r.id: r for r in db.session.scalars(
            select(ReportedValue).where(ReportedValue.id.in_(changed_ids)))} if changed_ids else {}
        now = utcnow()
        for v in payload["values"]:
            if v["id"] is None:
                continue
            row = rows.get(v["id"])
            if row is None or row.status == "verified":
                raise DomainError(_("Some values changed since the file was checked (%(code)s "
                                  "%(period)s). Upload the file again.", code=v["c"], period=v["p"]))
            row.value, row.status, row.updated_by_id = Decimal(v["v"]), "draft", actor.id
        new = [{"tenant_id": current_tenant_id.get(), "owes_id": owes_id, "indicator_id": v["i"],
                "period": v["p"], "year": v["y"], "value": Decimal(v["v"]), "status": "draft",
                "updated_by_id": actor.id, "updated_at": now}
               for v in payload["values"] if v["id"] is None]
        if new:
            db.session.execute(insert(ReportedValue), new)
        if payload["targets"]:
            existing = {t.indicator_id: t for t in db.session.scalars(
                select(PlanTarget).where(PlanTarget.plan_id == plan_id))}
            for t in payload["targets"]:
                fields = {"mode": t["m"], "value": Decimal(t["v"]), "base_indicator_id": t["b"]}
                if t["i"] in existing:
                    audit.changes(existing[t["i"]], fields)
                else:
                    db.session.add(PlanTarget(plan_id=plan_id, indicator_id=t["i"], **fields))
        if payload["values"] or payload["targets"]:
            audit.record("owes.import", actor=actor, obj=batch, summary={
                "owes": owes_id, "plan": plan_id, "file": batch.filename,
                **{k: summary[k] for k in ("new_values", "changed_values", "new_targets",
                                           "changed_targets")}})
        db.session.delete(batch)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return summary
