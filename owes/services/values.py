"""Reported values and their workflow: draft -> submitted -> verified | returned.

Verified values are locked: only a coordinator can reopen one (it goes back to *returned* with
the reason), and every state change is written to the audit log.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from coordination import audit, clock
from coordination.clock import utcnow
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.uploads import stored_document
from owes.models import ActionPlan, Indicator, Owes, ReportedValue

_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:[-/ ]\s*(?:H|P)?\s*([12]))?\s*$", re.IGNORECASE)
EDITABLE = ("draft", "returned", "submitted")
#: the columns of the evidence file of a value.
EVIDENCE_FILE_COLUMNS = ("evidence_filename", "evidence_content_type", "evidence_size", "evidence_data")


def parse_period(text) -> tuple[str, int] | None:
    """``"2019"`` -> ("2019", 2019); ``"2019-H1"``, ``"2019 H1"``, ``"2019/1"`` -> ("2019-H1", 2019)."""
    if isinstance(text, int):
        text = str(text)
    if isinstance(text, float) and text.is_integer():
        text = str(int(text))
    if not isinstance(text, str):
        return None
    m = _PERIOD.match(text)
    if not m:
        return None
    year = int(m.group(1))
    return (f"{year}-H{m.group(2)}" if m.group(2) else str(year)), year


def period_sort_key(period: str) -> tuple[int, int]:
    """Order periods: a year sorts after its half-years (it covers the whole year)."""
    year, _sep, half = period.partition("-H")
    return int(year), int(half) if half else 3


def period_start(period: str) -> date:
    """First day of a period: 1 January of a year or of its first half, 1 July of the second."""
    year, _sep, half = period.partition("-H")
    return date(int(year), 7 if half == "2" else 1, 1)


def half_years(first_year: int, last_year: int, as_of: date) -> list[str]:
    """Calendar half-years from ``first_year`` to ``last_year`` that have begun by ``as_of``.

    Generated from the calendar, never seeded: on 30 June the list ends with ``<year>-H1``, on
    1 July ``<year>-H2`` appears, on 1 January the new year's ``-H1``.
    """
    out = []
    for year in range(first_year, min(last_year, as_of.year) + 1):
        out.append(f"{year}-H1")
        if as_of >= date(year, 7, 1):
            out.append(f"{year}-H2")
    return out


def current_period(as_of: date) -> str:
    """The half-year ``as_of`` falls in, e.g. ``"2026-H2"``."""
    return f"{as_of.year}-H{1 if as_of.month <= 6 else 2}"


def plan_periods(plan: ActionPlan, as_of: date | None = None) -> list[str]:
    """Periods a value can be reported for within the plan, following its dates and the
    calendar: the half-years of the plan's years that have begun by ``as_of`` (today), and each
    such year as a whole. A running plan gains a period as time passes; a closed plan keeps
    all of its own; a plan that has not started offers none yet."""
    as_of = as_of or clock.today()
    out = []
    for half in half_years(plan.start_year, plan.end_year, as_of):
        if half.endswith("-H1"):
            out.append(half[:4])
        out.append(half)
    return out


def check_value(indicator: Indicator, value: Decimal | None) -> Decimal:
    """The value, or DomainError when it is missing, negative or an impossible percentage."""
    if value is None:
        raise DomainError(_("Enter a number."))
    if value < 0:
        raise DomainError(_("The value cannot be negative."))
    if indicator.unit == "percent" and value > 100:
        raise DomainError(_("A percentage must be between 0 and 100."))
    return value


def check_breakdown(indicator: Indicator, value: Decimal, breakdown: dict | None) -> dict | None:
    """Validate the optional disaggregation against the total; return it cleaned (or None)."""
    if not breakdown:
        return None
    allowed = indicator.breakdowns
    wanted = {"sex" if k in ("women", "men") else k for k in breakdown}
    if wanted - set(allowed):
        raise DomainError(_("%(code)s has no such breakdown; leave those fields empty.",
                          code=indicator.code))
    clean: dict = {}
    women, men = breakdown.get("women"), breakdown.get("men")
    if "sex" in wanted:
        if women is None or men is None or women < 0 or men < 0 or women + men != value:
            raise DomainError(_("Women and men must both be given and add up to the total."))
        clean["women"], clean["men"] = float(women), float(men)
    dis = breakdown.get("disability")
    if dis is not None:
        if dis < 0 or dis > value:
            raise DomainError(_("Persons with disabilities cannot exceed the total."))
        clean["disability"] = float(dis)
    powiaty = breakdown.get("powiat")
    if powiaty:
        if any(v < 0 for v in powiaty.values()) or sum(powiaty.values()) != value:
            raise DomainError(_("The numbers per powiat must add up to the total."))
        clean["powiat"] = {k: float(v) for k, v in powiaty.items()}
    parts = breakdown.get("components")
    if parts:
        if any(v < 0 for v in parts.values()) or sum(parts.values()) != value:
            raise DomainError(_("The components must add up to the total."))
        clean["components"] = {k: float(v) for k, v in parts.items()}
    return clean or None


def check_period_mix(owes_id: int, indicator_id: int, period: str, existing: set[str]) -> None:
    """A year is reported either as a whole or by half-years, never both (no double counting)."""
    year = period.split("-")[0]
    clash = {f"{year}-H1", f"{year}-H2"} if period == year else {year}
    if existing & clash:
        if period == year:
            raise DomainError(_("%(year)s is already reported by half-years for this indicator.",
                              year=year))
        raise DomainError(_("%(year)s is already reported as a whole year for this indicator.",
                          year=year))


def _evidence_file(upload: tuple[str, bytes] | None, remove: bool) -> dict:
    """Columns for a new evidence file ``(filename, bytes)``, for removing it, or none."""
    if upload is not None and upload[1]:
        stored = stored_document(*upload)
        return {f"evidence_{column}": value for column, value in stored.items()}
    if remove:
        return dict.fromkeys(EVIDENCE_FILE_COLUMNS)
    return {}


def save_value(owes: Owes, plan: ActionPlan, indicator: Indicator, period: str, value: Decimal,
               *, evidence: str | None = None, breakdown: dict | None = None, actor,
               existing: ReportedValue | None = None, evidence_file: tuple[str, bytes] | None = None,
               remove_evidence_file: bool = False) -> ReportedValue:
    """Create or change a value; it becomes (again) a draft. Verified values are locked.

    ``evidence_file`` ``(filename, bytes)`` attaches (or replaces) the evidence file — checked
    by the shared upload rules (PDF, DOCX, ODT, XLSX; size limit); ``remove_evidence_file``
    drops it. Like the number, the file cannot change once the value is verified.
    """
    parsed = parse_period(period)
    if parsed is None or parsed[1] not in plan.years:
        raise DomainError(_("The period is outside the plan %(a)d–%(b)d.", a=plan.start_year,
                          b=plan.end_year))
    period, year = parsed
    if period_start(period) > clock.today():
        raise DomainError(_("This period has not begun yet; values are reported for periods "
                            "that have started."))
    value = check_value(indicator, value)
    breakdown = check_breakdown(indicator, value, breakdown)
    row = existing or db.session.scalar(select(ReportedValue).where(
        ReportedValue.owes_id == owes.id, ReportedValue.indicator_id == indicator.id,
        ReportedValue.period == period))
    others = set(db.session.scalars(select(ReportedValue.period).where(
        ReportedValue.owes_id == owes.id, ReportedValue.indicator_id == indicator.id,
        ReportedValue.year == year)))
    if row is not None:
        others.discard(row.period)
    check_period_mix(owes.id, indicator.id, period, others)
    if row is not None and row.status == "verified":
        raise DomainError(_("This value is verified and locked. Ask a coordinator to reopen it."))
    fields = {"indicator_id": indicator.id, "period": period, "year": year, "value": value,
              "evidence": (evidence or "").strip() or None, "breakdown": breakdown}
    file_fields = _evidence_file(evidence_file, remove_evidence_file and row is not None
                                 and row.evidence_filename is not None)
    if row is None:
        row = ReportedValue(owes_id=owes.id, status="draft", updated_by_id=actor.id, **fields,
                            **file_fields)
        db.session.add(row)
        db.session.flush()
        audit.record("owes.value_create", actor=actor, obj=row,
                     summary={"indicator": indicator.code, "period": period, "value": value,
                              "evidence_file": row.evidence_filename})
    else:
        clash = db.session.scalar(select(ReportedValue.id).where(
            ReportedValue.owes_id == owes.id, ReportedValue.indicator_id == indicator.id,
            ReportedValue.period == period, ReportedValue.id != row.id))
        if clash is not None:
            raise DomainError(_("A value for this indicator and period already exists."))
        diff = audit.changes(row, fields)
        if file_fields:  # a new or removed file is a change even under the same name
            diff["evidence_file"] = [row.evidence_filename, file_fields["evidence_filename"]]
            for key, val in file_fields.items():
                setattr(row, key, val)
        if not diff:
            return row
        if row.status != "draft":
            diff["status"] = [row.status, "draft"]
            row.status = "draft"
        row.updated_by_id = actor.id
        audit.record("owes.value_update", actor=actor, obj=row, summary=diff)
    db.session.commit()
    return row


def _transition(row: ReportedValue, allowed: tuple[str, ...], new: str, action: str, *, actor,
                comment: str | None = None) -> None:
    if row.status not in allowed:
        raise DomainError(_("This value cannot be changed in its current state."))
    summary = {"status": [row.status, new]}
    if comment:
        summary["comment"] = comment
    row.status = new
    audit.record(action, actor=actor, obj=row, summary=summary)


def submit(rows: list[ReportedValue], *, actor) -> int:
    """The OWES hands drafts (and corrected returned values) to the coordinator; returns count."""
    n = 0
    for row in rows:
        if row.status in ("draft", "returned"):
            _transition(row, ("draft", "returned"), "submitted", "owes.value_submit", actor=actor)
            row.submitted_at = utcnow()
            n += 1
    db.session.commit()
    return n


def verify(row: ReportedValue, *, actor) -> None:
    """A coordinator accepts a submitted value; it is locked from now on."""
    _transition(row, ("submitted",), "verified", "owes.value_verify", actor=actor)
    row.verified_at, row.verified_by_id, row.review_comment = utcnow(), actor.id, None
    db.session.commit()


def return_value(row: ReportedValue, comment: str, *, actor) -> None:
    """A coordinator sends a submitted value back to the OWES with a comment."""
    if not (comment or "").strip():
        raise DomainError(_("Say what needs correcting."))
    _transition(row, ("submitted",), "returned", "owes.value_return", actor=actor, comment=comment)
    row.review_comment = comment.strip()
    db.session.commit()


def reopen(row: ReportedValue, reason: str, *, actor) -> None:
    """A coordinator unlocks a verified value (it becomes *returned* with the reason)."""
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for reopening."))
    _transition(row, ("verified",), "returned", "owes.value_reopen", actor=actor, comment=reason)
    row.review_comment = reason.strip()
    row.verified_at = row.verified_by_id = None
    db.session.commit()
