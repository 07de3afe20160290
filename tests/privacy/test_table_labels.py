"""Every table linked to a person has a human label (Polish and English), declared in its
module's manifest (``table_labels``); the RODO pages and the export's sheets show it."""

from __future__ import annotations

import io
import json
import zipfile

from flask_babel import force_locale
from python_calamine import CalamineWorkbook

from coordination.exports.xlsx import MAX_TITLE
from coordination.labels import table_label, table_labels
from privacy import queries
from privacy.exports import sheet_title, write_person_zip

FORBIDDEN = set("[]:*?/\\")


def test_every_table_reachable_from_a_person_has_a_label(app):
    with app.test_request_context():
        names = queries.linked_table_names()
        declared = table_labels()
        missing = sorted(set(names) - set(declared))
        assert not missing, f"tables linked to a person without a label in a manifest: {missing}"
        texts = {}
        for locale in ("pl", "en"):
            with force_locale(locale):
                texts[locale] = {name: table_label(name) for name in names}
        for locale, labels in texts.items():
            for name, text in labels.items():
                # the label is the sheet name as it is: no cut, no character Excel refuses
                assert text and len(text) <= MAX_TITLE and not FORBIDDEN & set(text), (locale, name, text)
            assert len(set(labels.values())) == len(labels), f"two tables share a label ({locale})"
        untranslated = sorted(n for n in names if texts["pl"][n] == texts["en"][n])
        assert not untranslated, f"labels without a Polish translation: {untranslated}"
        assert texts["pl"]["attendance"] == "Obecność na posiedzeniach"
        assert texts["en"]["attendance"] == "Attendance at meetings"


def test_sheet_titles_are_unique_and_accepted_by_excel():
    used: set[str] = {"spis treści"}
    long = "Bardzo długa nazwa rodzaju danych: [uwagi]/wersje?"
    first, second, third = (sheet_title(long, used) for _ in range(3))
    assert len({first.casefold(), second.casefold(), third.casefold()}) == 3
    for title in (first, second, third):
        assert len(title) <= MAX_TITLE and not FORBIDDEN & set(title)
    assert second.endswith(" (2)") and third.endswith(" (3)")
    assert sheet_title("Spis treści", used) == "Spis treści (2)"  # Excel ignores case


def test_export_sheets_are_named_by_labels_and_the_json_by_tables(app, world):
    with app.app_context():
        buf = io.BytesIO()
        write_person_zip(buf, None, {"user_id": world.anna})
        archive = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
        assert json.loads(archive.read("attendance.json"))[0]["status"] == "present"
        book = CalamineWorkbook.from_filelike(io.BytesIO(archive.read("dane.xlsx")))
        sheets = book.sheet_names
        assert sheets[0] == "Spis treści"
        assert {"Konto użytkownika", "Obecność na posiedzeniach", "Uwagi do protokołów"} <= set(sheets)
        assert not {"attendance", "user_account"} & set(sheets)
        contents = book.get_sheet_by_name("Spis treści").to_python()
        assert contents[0] == ["Dane", "Plik w tym archiwum ZIP", "Wiersze"]
        rows = {row[1]: (row[0], row[2]) for row in contents[1:]}
        # every JSON file of the archive is listed, empty ones included, with its label
        assert set(rows) == {n for n in archive.namelist() if n.endswith(".json")}
        assert rows["attendance.json"] == ("Obecność na posiedzeniach", 1)
        assert rows["owes_comment.json"] == ("Uwagi w konsultacjach", 0)
