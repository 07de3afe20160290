"""XLSX import: a corpus of broken files (each gives the right message and changes nothing),
all-or-nothing, preview then apply, idempotent re-import; exports re-read with python-calamine."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from coordination.auth.models import User
from coordination.extensions import db
from coordination.tenancy import tenant_context
from owes import exports, queries
from owes.models import ActionPlan, ImportBatch, Owes, PlanTarget, ReportedValue
from owes.services import imports, values
from tests.owes.conftest import HEADER, xlsx


@pytest.fixture
def imp(app, world):
    with app.test_request_context(), tenant_context(world.tenant_id):
        owes = db.session.get(Owes, world.owes_id)
        plan = db.session.get(ActionPlan, world.plan_id)
        user = db.session.get(User, world.users["coordinator"])  # files with targets: coordinator
        yield owes, plan, user
        db.session.remove()


def _counts():
    return (db.session.scalar(select(func.count(ReportedValue.id))),
            db.session.scalar(select(func.count(PlanTarget.id))),
            db.session.scalar(select(func.count(ImportBatch.id))))


def _problems(imp, data):
    owes, plan, user = imp
    before = _counts()
    result = imports.prepare(owes, plan, "plik.xlsx", data, actor=user)
    assert isinstance(result, list), "the file should have been rejected"
    assert _counts() == before, "nothing may be stored when the file has problems"
    return [(p.sheet, p.row, p.column, p.message) for p in result]


GOOD = [HEADER, ["RES-01", "miejsca pracy", "liczba", 114, 10, 20, None, None],
        ["AL-04", "środowiska", "liczba", 20, 5, None, None, None],
        ["AL-05", "wspólne przedsięwzięcia", "liczba", "30%", 1, None, None, None]]


@pytest.mark.parametrize("rows, kwargs, where, text", [
    ([["Code?", "x", "y", "Cel", "2018"], ["RES-01", "", "", None, 1]], {}, (1, "A"), "Kod"),
    ([HEADER, ["XX-99", "", "", None, 1]], {}, (2, "A"), "XX-99"),
    ([HEADER, ["RES-01", "", "", None, -3]], {}, (2, "E"), "ujemna"),
    ([HEADER, ["RES-01", "", "", None, "dużo"]], {}, (2, "E"), "dużo"),
    ([HEADER, ["RES-01", "", "", None, datetime(2019, 3, 1)]], {}, (2, "E"), "data zamiast"),
    ([HEADER, ["RES-01", "", "", None, "=2+3"]], {}, (2, "E"), "formuła"),
    ([HEADER, ["RES-01", "", "", None, 1], ["RES-01", "", "", None, 2]], {}, (3, "A"), "wierszu 2"),
    ([["Kod", "Wskaźnik", "Jednostka", "Cel", "2017"], ["RES-01", "", "", None, 1]], {}, (1, "E"), "poza planem"),
    ([["Kod", "Wskaźnik", "Jednostka", "Cel", "rok 1"], ["RES-01", "", "", None, 1]], {}, (1, "E"), "nie jest okresem"),
    ([HEADER, ["PS-02", "", "", 120, None]], {}, (2, "D"), "między 0 a 100"),
    ([HEADER, ["RES-01", "", "", "10%", None]], {}, (2, "D"), "którego dotyczy procent"),
    ([HEADER, ["RES-01", "a", "b", None, 1]], {"merge": "B2:C2"}, (2, "B"), "scalone"),
    ([HEADER, [None, "", "", None, 4]], {}, (2, "A"), "brak kodu"),
])
def test_broken_files_report_where_and_change_nothing(imp, rows, kwargs, where, text):
    found = _problems(imp, xlsx(rows, **kwargs))
    assert any((row, col) == where and text in msg for _s, row, col, msg in found), found
    assert all(sheet == "Wartości" for sheet, *_ in found)


def test_formula_cells_are_rejected(imp):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["RES-01", "", "", None, 1, 2])
    ws["G2"] = "=E2+F2"
    buf = io.BytesIO()
    wb.save(buf)
    found = _problems(imp, buf.getvalue())
    assert (2, "G") == found[0][1:3] and "formuła" in found[0][3]


def test_not_an_xlsx_and_a_huge_file(imp):
    assert "nie jest skoroszytem XLSX" in _problems(imp, b"PK\x03\x04 not really")[0][3]
    assert "nie jest skoroszytem XLSX" in _problems(imp, b"Kod;2018\nRES-01;5")[0][3]
    huge = [HEADER] + [["RES-01", "", "", None, 1]] * (imports.importer.MAX_ROWS + 1)
    found = _problems(imp, xlsx(huge))
    assert any("za dużo wierszy" in m for *_x, m in found)


def test_verified_value_is_locked_against_import(imp):
    owes, plan, user = imp
    row = values.save_value(owes, plan, queries.indicators()[9], "2018", Decimal(5), actor=user)
    code = db.session.get(type(queries.indicators()[9]), row.indicator_id).code
    values.submit([row], actor=user)
    values.verify(row, actor=user)
    found = _problems(imp, xlsx([HEADER, [code, "", "", None, 6]]))
    assert found[0][1:3] == (2, "E") and "zablokowana" in found[0][3]
    # the same number as the verified one is simply unchanged
    batch = imports.prepare(owes, plan, "a.xlsx", xlsx([HEADER, [code, "", "", None, 5]]), actor=user)
    assert batch.summary["unchanged_values"] == 1 and batch.payload["values"] == []


def test_all_or_nothing_one_bad_cell_among_many(imp):
    rows = [r[:] for r in GOOD] + [["SZK-01", "", "", 34, 3, 3, 3, "x3"]]
    found = _problems(imp, xlsx(rows))
    assert [(r, c) for _s, r, c, _m in found] == [(5, "H")]


def test_preview_apply_and_idempotent_reimport(imp):
    owes, plan, user = imp
    data = xlsx(GOOD)
    batch = imports.prepare(owes, plan, "plik.xlsx", data, actor=user)
    assert isinstance(batch, ImportBatch) and len(batch.token) >= 30
    assert batch.summary | {} == batch.summary
    assert (batch.summary["new_values"], batch.summary["new_targets"]) == (4, 3)
    assert _counts()[:2] == (0, 0), "the preview must not change data"
    imports.apply(batch, actor=user)
    assert _counts() == (4, 3, 0)
    target = db.session.scalar(select(PlanTarget).where(PlanTarget.mode == "percent"))
    assert target.value == 30
    assert {r.status for r in db.session.scalars(select(ReportedValue))} == {"draft"}
    again = imports.prepare(owes, plan, "plik.xlsx", data, actor=user)
    assert again.payload == {"values": [], "targets": []}
    assert again.summary["unchanged_values"] == 4 and again.summary["unchanged_targets"] == 3
    imports.apply(again, actor=user)
    assert _counts() == (4, 3, 0)
    changed = [r[:] for r in GOOD]
    changed[1][5] = 25
    third = imports.prepare(owes, plan, "plik.xlsx", xlsx(changed), actor=user)
    assert (third.summary["changed_values"], third.summary["new_values"]) == (1, 0)
    imports.apply(third, actor=user)
    assert db.session.scalar(select(ReportedValue.value).where(ReportedValue.period == "2019")) == 25


def test_decimal_comma_half_years_and_percent_format(imp):
    owes, plan, user = imp
    rows = [["Kod", "Wskaźnik", "Jednostka", "Cel", "2018-H1", "2018 H2"],
            ["DOR-03", "", "", "0,5", "106,5", 64.5], ["AL-07", "", "", 0.1, None, None]]
    batch = imports.prepare(owes, plan, "a.xlsx", xlsx(rows, number_formats={"D3": "0%"}), actor=user)
    assert isinstance(batch, ImportBatch), batch
    got = {(v["c"], v["p"]): v["v"] for v in batch.payload["values"]}
    assert got == {("DOR-03", "2018-H1"): "106.5", ("DOR-03", "2018-H2"): "64.5"}
    targets = {t["c"]: (t["m"], Decimal(t["v"])) for t in batch.payload["targets"]}
    assert targets == {"DOR-03": ("absolute", Decimal("0.5")), "AL-07": ("percent", Decimal(10))}


def test_export_reread_with_calamine_has_no_formulas(imp):
    owes, plan, user = imp
    imports.apply(imports.prepare(owes, plan, "a.xlsx", xlsx(GOOD), actor=user), actor=user)
    row = db.session.scalar(select(ReportedValue).where(ReportedValue.period == "2018").limit(1))
    row.evidence = "=HYPERLINK(\"http://zło\")"
    db.session.commit()
    vals, details = queries.plan_values_map(owes, plan)
    data = exports.plan_workbook(plan, queries.indicators(), queries.plan_targets(plan), vals, details)
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheet = wb.get_sheet_by_index(0).to_python()
    assert sheet[0][:5] == ["Kod", "Wskaźnik", "Jednostka", "Cel", "2018"]
    res = next(r for r in sheet if r[0] == "RES-01")
    assert (res[3], res[4], res[5]) == (114, 10, 20)
    assert next(r for r in sheet if r[0] == "AL-05")[3] == "30%"
    detail = wb.get_sheet_by_index(1).to_python()
    assert any(str(c).startswith("'=HYPERLINK") for r in detail for c in r)
    for name in wb.sheet_names:
        for r in wb.get_sheet_by_name(name).to_python():
            assert not any(isinstance(c, str) and c.startswith("=") for c in r)
    from openpyxl import load_workbook

    for ws in load_workbook(io.BytesIO(data)).worksheets:
        assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)
    # the export is itself a valid import, and re-importing it changes nothing
    batch = imports.prepare(owes, plan, "eksport.xlsx", data, actor=user)
    assert batch.payload == {"values": [], "targets": []}, batch.payload


def test_template_lists_catalogue_and_plan_years(imp):
    _owes, plan, _user = imp
    data = exports.plan_workbook(plan, queries.indicators(active_only=True), {})
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert sheet[0] == ["Kod", "Wskaźnik", "Jednostka", "Cel", "2018", "2019", "2020", "2021"]
    assert {r[0] for r in sheet[1:]} >= {"AL-01", "RES-01", "PAR-02"}
    assert date(2018, 1, 1).year == plan.start_year
