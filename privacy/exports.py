"""The export of one person's data (RODO art. 15 and 20): a ZIP with one JSON file per table
(every table linked to the person, empty ones included, so the reader sees what was searched;
named by the table), the person's uploaded files, and one readable XLSX: a contents sheet (what
each kind of data is, its JSON file, its rows), then a sheet per table that has rows, named by
the table's label (``table_labels`` of the module's manifest).

Written in the background by the scheduler (:mod:`coordination.exports.services`), with
progress; only the requester downloads it.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _

from coordination.clock import today
from coordination.exports.registry import ExportSpec, register
from coordination.exports.xlsx import MAX_TITLE, Sheet, safe_title, write_xlsx
from coordination.labels import table_label
from privacy import queries

ZIP_MIMETYPE = "application/zip"


def person_from_params(tenant_id: int | None, params: dict) -> queries.Person:
    """The person of an export job: ``{"user_id": ..}`` or ``{"member_id": ..}``."""
    if params.get("user_id") is not None:
        return queries.person_for_user(params["user_id"], tenant_id)
    person = queries.person_for_member(params["member_id"], tenant_id)
    if person is None:
        raise LookupError("the contact no longer exists")
    return person


def _json_value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()
    return value


def _count(tenant_id, params) -> int:
    return queries.count_rows(person_from_params(tenant_id, params))


def _filename(tenant_id, params) -> str:
    who = f"konto-{params['user_id']}" if params.get("user_id") else f"kontakt-{params.get('member_id')}"
    return f"dane-osobowe-{who}-{today().isoformat()}.zip"


def sheet_title(label: str, used: set[str]) -> str:
    """A sheet name for ``label`` that Excel accepts and no other sheet of the book has."""
    title, n = safe_title(label), 1
    while title.casefold() in used:  # Excel compares sheet names without case
        n += 1
        suffix = f" ({n})"
        title = safe_title(label)[:MAX_TITLE - len(suffix)].rstrip() + suffix
    used.add(title.casefold())
    return title


def write_person_zip(target, tenant_id, params, on_progress=lambda n: None) -> int:
    """Write the ZIP of the person of ``params`` to the binary file ``target``; return rows."""
    person = person_from_params(tenant_id, params)
    written = 0
    contents_title = _("Contents")
    used = {contents_title.casefold()}
    contents, sheets = [], []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table, rows in queries.person_rows(person):
            columns = queries.exportable_columns(table)
            out = []
            for row in rows:
                item = {}
                for name in columns:
                    value = row[name]
                    if value is not None and queries.is_file_column(table, name):
                        pk = "-".join(str(row[c.name]) for c in table.primary_key.columns)
                        path = f"pliki/{table.name}-{pk}-{name}.bin"
                        archive.writestr(path, value)
                        value = path
                    item[name] = _json_value(value)
                out.append(item)
            archive.writestr(f"{table.name}.json",
                             json.dumps(out, ensure_ascii=False, indent=1, default=str))
            label = table_label(table.name)
            contents.append([label, f"{table.name}.json", len(out)])
            if out:
                sheets.append(Sheet(sheet_title(label, used), columns,
                                    [[item[c] for c in columns] for item in out]))
            written += len(out)
            on_progress(written)
        book = io.BytesIO()
        header = [_("Data"), _("File in this ZIP"), _("Rows")]
        write_xlsx(book, [Sheet(contents_title, header, contents, widths=(40, 36, 10)), *sheets])
        archive.writestr("dane.xlsx", book.getvalue())
    return written


PERSON_EXPORT = register(ExportSpec("person_data", "privacy.person", _count, lambda t, p: [],
                                    _filename, write=write_person_zip, content_type=ZIP_MIMETYPE))
