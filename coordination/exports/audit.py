"""The audit log as XLSX (a region's log, or the whole platform's for administrators).

The log grows without bound, so this is the export that usually runs in the background.
"""

from __future__ import annotations

import json
from datetime import UTC

from flask_babel import gettext as _
from sqlalchemy import func

from coordination.audit import AuditLog, entries_query
from coordination.clock import WARSAW
from coordination.exports.registry import ExportSpec, register
from coordination.exports.xlsx import Sheet
from coordination.extensions import db

#: rows fetched per round trip while streaming.
CHUNK = 2000


def _filters(params: dict) -> dict:
    """The page's filters (``params`` holds the query-string values, so a job can store them)."""
    from coordination.audit_labels import read_filters

    return read_filters(params or {})[1]


def _count(tenant_id: int | None, params: dict) -> int:
    stmt = entries_query(tenant_id, _filters(params)).with_only_columns(func.count(AuditLog.id))
    return db.session.scalar(stmt.order_by(None)) or 0


def _rows(tenant_id: int | None, params: dict):
    from coordination.audit_labels import action_label

    columns = entries_query(tenant_id, _filters(params)).with_only_columns(
        AuditLog.at, AuditLog.actor_email, AuditLog.action, AuditLog.object_type,
        AuditLog.object_id, AuditLog.summary, AuditLog.tenant_id)
    result = db.session.execute(columns.execution_options(yield_per=CHUNK))
    for at, actor, action, object_type, object_id, summary, row_tenant in result:
        utc = at.replace(tzinfo=UTC)
        yield (utc.isoformat(timespec="seconds"), actor or _("system"), action, object_type or "",
               object_id, json.dumps(summary, ensure_ascii=False, default=str) if summary else "",
               row_tenant, utc.astimezone(WARSAW).isoformat(timespec="seconds"), action_label(action))


def _sheets(tenant_id: int | None, params: dict):
    """The raw log: codes as stored, times in UTC and in Europe/Warsaw (ISO 8601)."""
    header = [_("When (UTC)"), _("Who"), _("Action code"), _("Object"), _("Object id"),
              _("Change"), _("Region id"), _("When (Europe/Warsaw)"), _("Action")]
    return [Sheet(_("Audit log"), header, _rows(tenant_id, params),
                  widths=(26, 30, 24, 16, 10, 80, 10, 26, 40))]


def _filename(tenant_id: int | None, params: dict) -> str:
    return f"dziennik-zmian-{tenant_id}.xlsx" if tenant_id else "dziennik-zmian-platforma.xlsx"


TENANT_AUDIT = register(ExportSpec("audit_log", "tenant.audit", _count, _sheets, _filename))
PLATFORM_AUDIT = register(ExportSpec("platform_audit_log", "platform.audit", _count, _sheets, _filename))
