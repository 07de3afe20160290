"""The audit log as XLSX (a region's log, or the whole platform's for administrators).

The log grows without bound, so this is the export that usually runs in the background.
"""

from __future__ import annotations

import json

from flask_babel import gettext as _
from sqlalchemy import func, select

from coordination.audit import AuditLog, entries_query
from coordination.exports.registry import ExportSpec, register
from coordination.exports.xlsx import Sheet
from coordination.extensions import db

#: rows fetched per round trip while streaming.
CHUNK = 2000


def _count(tenant_id: int | None, params: dict) -> int:
    stmt = select(func.count(AuditLog.id))
    if tenant_id is not None:
        stmt = stmt.where(AuditLog.tenant_id == tenant_id)
    return db.session.scalar(stmt) or 0


def _rows(tenant_id: int | None):
    columns = entries_query(tenant_id).with_only_columns(
        AuditLog.at, AuditLog.actor_email, AuditLog.action, AuditLog.object_type,
        AuditLog.object_id, AuditLog.summary, AuditLog.tenant_id)
    result = db.session.execute(columns.execution_options(yield_per=CHUNK))
    for at, actor, action, object_type, object_id, summary, row_tenant in result:
        yield (at, actor or _("system"), action, object_type or "", object_id,
               json.dumps(summary, ensure_ascii=False, default=str) if summary else "", row_tenant)


def _sheets(tenant_id: int | None, params: dict):
    header = [_("When (UTC)"), _("Who"), _("Action"), _("Object"), _("Object id"), _("Change"),
              _("Region id")]
    return [Sheet(_("Audit log"), header, _rows(tenant_id), widths=(18, 30, 24, 16, 10, 80, 10))]


def _filename(tenant_id: int | None, params: dict) -> str:
    return f"dziennik-zmian-{tenant_id}.xlsx" if tenant_id else "dziennik-zmian-platforma.xlsx"


TENANT_AUDIT = register(ExportSpec("audit_log", "tenant.audit", _count, _sheets, _filename))
PLATFORM_AUDIT = register(ExportSpec("platform_audit_log", "platform.audit", _count, _sheets, _filename))
