"""Time the OWES XLSX import of a 10,000-row file (not a test; prints the figures).

    .venv/bin/python -m bench.owes_import [rows]

Builds a throwaway SQLite database with ``rows`` extra catalogue indicators, writes a workbook
with one row per indicator and four period columns (40,000 cells), and times: parse + validate +
preview (``prepare``) and apply, then a second (idempotent) import of the same file.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook


def main(rows: int = 10_000) -> dict:
    from sqlalchemy import insert, select

    from coordination import create_app
    from coordination.auth.models import User
    from coordination.extensions import db
    from coordination.tenancy import tenant_context
    from owes.models import ActionPlan, Indicator
    from owes.services import imports, plans, registry
    from tenants.models import Tenant
    from tenants.services import ensure_regions

    tmp = Path(tempfile.mkdtemp())
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite'}", "SECRET_KEY": "bench"})
    with app.test_request_context():
        db.create_all()
        ensure_regions()
        db.session.execute(insert(Indicator), [
            {"code": f"B-{i:05d}", "name": f"Wskaźnik {i}", "unit": "count", "aggregation": "sum",
             "disaggregation": "", "position": i, "active": True} for i in range(rows)])
        user = User(email="bench@example.org", full_name="Bench")
        db.session.add(user)
        db.session.commit()
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "lodzkie"))
        with tenant_context(tenant.id):
            owes = registry.save_owes(None, {"name": "OWES bench"}, actor=user)
            plan = plans.save_plan(owes, None, {"title": "P", "start_year": 2018, "end_year": 2021},
                                   actor=user)
            wb = Workbook(write_only=True)
            ws = wb.create_sheet("Wartości")
            ws.append(["Kod", "Wskaźnik", "Jednostka", "Cel", "2018", "2019", "2020", "2021"])
            for i in range(rows):
                ws.append([f"B-{i:05d}", f"Wskaźnik {i}", "liczba", 100, i % 7, 3, 2.5, 1])
            buf = io.BytesIO()
            wb.save(buf)
            data = buf.getvalue()
            out = {"rows": rows, "cells": rows * 5, "file_kb": len(data) // 1024}
            t0 = time.perf_counter()
            batch = imports.prepare(owes, plan, "bench.xlsx", data, actor=user)
            t1 = time.perf_counter()
            assert not isinstance(batch, list), batch[:5]
            imports.apply(batch, actor=user)
            t2 = time.perf_counter()
            plan = db.session.get(ActionPlan, plan.id)
            again = imports.prepare(owes, plan, "bench.xlsx", data, actor=user)
            t3 = time.perf_counter()
            assert again.payload == {"values": [], "targets": []}
            out.update(prepare_s=round(t1 - t0, 2), apply_s=round(t2 - t1, 2),
                       reimport_check_s=round(t3 - t2, 2),
                       new_values=batch.summary["new_values"], new_targets=batch.summary["new_targets"])
        db.session.remove()
    return out


if __name__ == "__main__":
    result = main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
    for key, value in result.items():
        print(f"{key:18} {value}")
