"""The shared streaming XLSX writer: values round-trip, formulas never, memory does not matter."""

from __future__ import annotations

import gc
import io
import tempfile
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl.worksheet._writer import ALL_TEMP_FILES
from python_calamine import CalamineWorkbook

from coordination.exports.xlsx import XLSX_MIMETYPE, Sheet, safe_title, write_xlsx, xlsx_response

DANGEROUS = ["=SUM(A1:A2)", "+48 123", "-1+1", "@cmd", "\tx", "\rx", "=HYPERLINK(\"http://x\")"]


def _read(data: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _write(sheets) -> bytes:
    out = io.BytesIO()
    write_xlsx(out, sheets)
    return out.getvalue()


def test_values_round_trip_and_dangerous_text_is_escaped():
    rows = [["Zażółć gęślą jaźń", 42, 2.5, date(2025, 3, 1), True, Decimal("1.25"), None]]
    rows += [[text, 1, 1.0, date(2025, 1, 1), False, Decimal(0), "ok"] for text in DANGEROUS]
    data = _write([Sheet("Dane", ["Nazwa", "=Liczba", "Ułamek", "Data", "Tak/nie", "Kwota", "Inne"],
                         rows)])
    sheet = _read(data)["Dane"]
    assert sheet[0] == ["Nazwa", "'=Liczba", "Ułamek", "Data", "Tak/nie", "Kwota", "Inne"]
    assert sheet[1][:3] == ["Zażółć gęślą jaźń", 42, 2.5]
    assert sheet[1][3] == date(2025, 3, 1) or sheet[1][3] == datetime(2025, 3, 1)
    # XML readers normalise a stored CR to LF; the escape prefix is what matters
    def norm(text):
        return text.replace("\r", "\n")

    assert [norm(r[0]) for r in sheet[2:]] == ["'" + norm(t) for t in DANGEROUS]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml


def test_illegal_characters_aware_datetimes_and_objects():
    class Label:
        def __str__(self):
            return "=etykieta"

    aware = datetime(2025, 6, 1, 10, 0, tzinfo=UTC)
    data = _write([Sheet("x", ["a", "b", "c"], [["bell\x07here", aware, Label()]])])
    row = _read(data)["x"][1]
    assert row[0] == "bellhere"
    assert row[1] == datetime(2025, 6, 1, 12, 0)  # Europe/Warsaw summer time
    assert row[2] == "'=etykieta"


def test_several_sheets_titles_and_lazy_rows():
    consumed = []

    def rows():
        for i in range(1000):
            consumed.append(i)
            yield [i, f"wiersz {i}"]

    sheets = [Sheet("Grupy: [2025]/*?", ["n", "tekst"], rows(), widths=[8, 30]),
              Sheet("Bardzo długa nazwa arkusza, która przekracza limit", ["a"], [])]
    data = _write(sheets)
    book = _read(data)
    assert list(book) == ["Grupy   2025", safe_title(sheets[1].title)]
    assert len(safe_title(sheets[1].title)) == 31
    assert book["Grupy   2025"][1000] == [999, "wiersz 999"] and len(consumed) == 1000


def test_xlsx_response_is_a_download(app):
    with app.test_request_context():
        response = xlsx_response("grupy łódzkie.xlsx", [Sheet("Grupy", ["a"], [["=1"]])])
        response.direct_passthrough = False
        data = response.get_data()
        response.close()
    assert response.mimetype == XLSX_MIMETYPE
    assert "attachment" in response.headers["Content-Disposition"]
    assert "filename*=UTF-8''grupy%20%C5%82%C3%B3dzkie.xlsx" in response.headers["Content-Disposition"]
    assert _read(data)["Grupy"] == [["a"], ["'=1"]]


class RowSourceFailed(Exception):
    pass


def _failing_rows(after: int):
    for i in range(after):
        yield [i, f"wiersz {i}"]
    raise RowSourceFailed


@pytest.mark.parametrize("failing_sheet", [0, 1])
def test_failing_row_source_leaves_no_temporary_file_or_open_stream(tmp_path, monkeypatch, failing_sheet):
    """openpyxl streams each write-only sheet to a temporary file through a generator; when a
    row source raises, both are closed and the file deleted at once (not at process exit, and
    no generator is left for the garbage collector: that would be an unraisable exception,
    which the test configuration turns into an error)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    before = list(ALL_TEMP_FILES)
    sheets = [Sheet("Pierwszy", ["n", "tekst"], _failing_rows(50) if failing_sheet == 0 else [[1, "a"]]),
              Sheet("Drugi", ["n", "tekst"], _failing_rows(50) if failing_sheet == 1 else [[2, "b"]])]
    with pytest.raises(RowSourceFailed):
        write_xlsx(io.BytesIO(), sheets)
    gc.collect()
    assert list(tmp_path.iterdir()) == []
    assert ALL_TEMP_FILES == before


def test_failing_xlsx_response_closes_its_spool(app, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    opened = []
    real = tempfile.TemporaryFile

    def spy(*args, **kwargs):
        opened.append(real(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(tempfile, "TemporaryFile", spy)
    with app.test_request_context(), pytest.raises(RowSourceFailed):
        xlsx_response("x.xlsx", [Sheet("Arkusz", ["a"], _failing_rows(3))])
    assert len(opened) == 1 and opened[0].closed
    assert list(tmp_path.iterdir()) == []
