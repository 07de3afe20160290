"""Repair of stored text: the rows written before the form layer normalised input.

:func:`repair_stored_text` walks every string column of every table (the append-only audit log
excepted: it is evidence and its exports cope) and replaces each value by
:func:`coordination.text.normalize_text` of it (CR/LF as LF; C0 control characters other than
tab and newline, NUL included, removed). ``flask --app wsgi repair-text`` runs it; without
``--apply`` it only counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Enum, String, select, update

from coordination.extensions import db
from coordination.tenancy import all_tenants
from coordination.text import normalize_text

#: tables never rewritten.
SKIPPED_TABLES = frozenset({"audit_log", "alembic_version"})


@dataclass(frozen=True)
class Repair:
    table: str
    column: str
    rows: int


def _text_columns(table):
    return [c for c in table.columns
            if isinstance(c.type, String) and not isinstance(c.type, Enum) and not c.primary_key]


def repair_stored_text(*, apply: bool = False, batch: int = 500) -> list[Repair]:
    """Count (and with ``apply`` fix, in one transaction) the stored values that are not
    normalised text; return the counts per column."""
    counts: dict[tuple[str, str], int] = {}
    with all_tenants():
        for table in db.metadata.sorted_tables:
            columns = _text_columns(table)
            key = list(table.primary_key.columns)
            if table.name in SKIPPED_TABLES or not columns or not key:
                continue
            changes = []
            result = db.session.execute(select(*key, *columns).execution_options(yield_per=batch))
            for row in result:
                values = {}
                for column, value in zip(columns, row[len(key):], strict=True):
                    if isinstance(value, str):
                        fixed = normalize_text(value)
                        if fixed != value:
                            values[column.name] = fixed
                            counts[(table.name, column.name)] = counts.get((table.name, column.name), 0) + 1
                if values:
                    changes.append((tuple(row[:len(key)]), values))
            if apply:
                for ids, values in changes:
                    condition = [c == v for c, v in zip(key, ids, strict=True)]
                    db.session.execute(update(table).where(*condition).values(values))
        if apply:
            db.session.commit()
        else:
            db.session.rollback()
    return [Repair(t, c, n) for (t, c), n in sorted(counts.items())]
