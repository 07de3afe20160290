"""Exports re-read by independent readers: DOCX (python-docx), PDF (pypdf text), XLSX
(python-calamine), .ics (icalendar); Polish characters survive; no formula cells."""

import io
from datetime import date

from docx import Document
from icalendar import Calendar
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from coordination.exports.xlsx import safe_value, workbook
from workgroups import exports
from workgroups.queries.meetings import all_resolutions, register_rows
from workgroups.services import groups as group_services
from workgroups.services import minutes as minutes_services
from workgroups.services import records

from .conftest import actor, group_of, held_meeting


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _body(resp) -> bytes:
    """The body of a download, closing it as a WSGI server does (its file is temporary)."""
    try:
        return resp.get_data()
    finally:
        resp.close()


def test_minutes_docx_and_pdf(region):
    meeting = held_meeting(region)
    group = group_of(region)
    minutes = minutes_services.create_draft(meeting, group, actor=actor(region))
    resp = exports.minutes_docx(meeting, group, minutes)
    assert resp.headers["Content-Disposition"].startswith("attachment")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    doc = Document(io.BytesIO(resp.get_data()))
    resp.close()
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"Protokół nr {meeting.label}" in text and "Zofia Żółkiewska" in text and "Ad. 2" in text
    assert doc.paragraphs[0].text == "PROJEKT"
    assert any(p.style.name.startswith("Heading") for p in doc.paragraphs)
    assert doc.core_properties.language == "pl-PL"

    resp = exports.minutes_pdf(meeting, group, minutes)
    pdf = resp.get_data()
    resp.close()
    text = _pdf_text(pdf)
    assert f"Protokół nr {meeting.label}" in text and "Żółkiewska" in text and "Łucja Sekretarz" in text
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert root["/Lang"] == "pl" and "/StructTreeRoot" in root  # document language, tagged PDF


def test_signature_list_pdf(region):
    meeting = held_meeting(region)
    resp = exports.signature_list_pdf(meeting, group_of(region), register_rows(meeting))
    text = _pdf_text(resp.get_data())
    resp.close()
    assert "Lista obecności" in text and "Piotr Gęślą" in text and "Podpis" in text


def test_xlsx_exports_escape_formulas(region):
    group = group_of(region)
    group_services.add_member(group, {"full_name": "=HYPERLINK(\"http://x\")", "institution": "@SUM(A1)",
                                      "role": "member", "category": "other", "date_from": date(2024, 1, 1)},
                              actor=actor(region))
    from workgroups.queries.groups import all_members

    data = _body(exports.members_xlsx(group, all_members(group.id)))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    names = [r[0] for r in rows]
    assert "'=HYPERLINK(\"http://x\")" in names and "Łucja Sekretarz" in names
    assert any(r[2] == "'@SUM(A1)" for r in rows)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    assert all(c.data_type != "f" for row in wb.active.iter_rows() for c in row)

    meeting = held_meeting(region)
    records.add_resolution(meeting, group, {"subject": "przyjęcia sprawozdania z działań", "votes_for": 3},
                           actor=actor(region))
    data = _body(exports.resolutions_xlsx(all_resolutions()))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[1][0] == f"1/{meeting.year}" and rows[1][4] == "przyjęcia sprawozdania z działań"
    assert rows[1][8] == "przyjęta"  # uchwała: feminine

    data = _body(exports.attendance_xlsx(meeting, group, register_rows(meeting)))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert ["Zofia Żółkiewska", "obecność"] == [rows[-1][0], rows[-1][4]] or any(
        r[0] == "Zofia Żółkiewska" and r[4] == "obecność" for r in rows)


def test_safe_value_and_workbook_helpers():
    assert [safe_value(v) for v in ("=1+1", "+48", "-5", "@x", "\tx", "\rx", "ok", 5, None)] == [
        "'=1+1", "'+48", "'-5", "'@x", "'\tx", "'\rx", "ok", 5, None]
    data = workbook([("Arkusz", ["a"], [["=cmd|' /C calc'!A0"]])])
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[1][0].startswith("'=")


def test_meeting_ics_download(region):
    meeting = held_meeting(region)
    resp = exports.meeting_ics(meeting, group_of(region), "https://sieci.example.org/x")
    cal = Calendar.from_ical(resp.get_data())
    event = cal.walk("VEVENT")[0]
    assert event["UID"] == meeting.ical_uid and "Grupa ds. promocji" in str(event["SUMMARY"])
