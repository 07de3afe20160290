"""Exports re-read with an independent reader (python-calamine); no formula cells."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from coordination.extensions import db
from coordination.tenancy import tenant_context
from surveys import exports, queries, services
from surveys.models import Campaign
from tests.surveys.conftest import closed


def _sheet(data: bytes, index: int = 0):
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(index).to_python()


def _no_formulas(data: bytes) -> None:
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def _closed(tenant_id, cid) -> Campaign:
    with tenant_context(tenant_id):
        campaign = db.session.get(Campaign, cid)
        services.close_campaign(campaign)
        return campaign


def test_responses_xlsx(app, ctx, tenants, make_campaign, add_responses):
    cid = make_campaign()
    add_responses(cid, 5, ratings=("3", "4", "5"), text="=HYPERLINK(\"http://zlo.example\")")
    with tenant_context(tenants["wielkopolskie"]):
        data = exports.responses_xlsx(_closed(tenants["wielkopolskie"], cid))
    rows = _sheet(data)
    codes, labels = rows[0], rows[1]
    assert codes[0] == "ID" and "KOM-01" in codes and "PROF-KAT" in codes
    assert "OTW-01" not in codes  # open answers are on their own sheet
    assert labels[codes.index("KOM-01")].startswith("Materiały na posiedzenia")
    assert len(rows) == 2 + 5
    body = rows[2:]
    kom = codes.index("KOM-01")
    assert sorted(r[kom] for r in body) == [3.0, 3.0, 4.0, 4.0, 5.0]
    assert {r[codes.index("PROF-KAT")] for r in body} == {"ośrodek wsparcia ekonomii społecznej (OWES)"}
    texts = _sheet(data, 1)
    assert texts[0] == ["Kod", "Pytanie", "Odpowiedź"]
    assert {r[2] for r in texts[1:] if r[0] == "OTW-01"} == {"'=HYPERLINK(\"http://zlo.example\")"}
    _no_formulas(data)


def test_named_campaign_export_has_the_name_column(app, ctx, tenants, make_campaign, add_responses):
    cid = make_campaign(anonymous=False)
    add_responses(cid, 5)
    with tenant_context(tenants["wielkopolskie"]):
        rows = _sheet(exports.responses_xlsx(_closed(tenants["wielkopolskie"], cid)))
    assert rows[0][:2] == ["ID", "RESPONDENT"] and all(r[1].startswith("Osoba") for r in rows[2:])


def test_results_xlsx_and_pdf(app, ctx, tenants, make_campaign, add_responses):
    cid = make_campaign()
    add_responses(cid, 5, ratings=("4",), text="-2 punkty dla ROPS")
    with closed(app, tenants["wielkopolskie"], [cid]), tenant_context(tenants["wielkopolskie"]):
        from tenants.models import Tenant

        r = queries.results(db.session.get(Campaign, cid))
        data = exports.results_xlsx(r)
        pdf = exports.report_pdf(r, db.session.get(Tenant, tenants["wielkopolskie"]))
    rows = _sheet(data)
    assert rows[1][1] == 5.0
    kom = [row for row in rows if row and row[0] == "KOM-01"]
    assert kom and kom[0][2] == 5 and kom[0][3] == 4
    dims = _sheet(data, 1)
    assert any(row[1] == "KOM" and row[2] == 4 for row in dims)
    _no_formulas(data)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_results_xlsx_with_too_few_responses(app, ctx, tenants, make_campaign, add_responses):
    cid = make_campaign()
    add_responses(cid, 2)
    with tenant_context(tenants["wielkopolskie"]):
        rows = _sheet(exports.results_xlsx(queries.results(db.session.get(Campaign, cid))))
    assert len(rows) == 3 and "5" in str(rows[2][0])
