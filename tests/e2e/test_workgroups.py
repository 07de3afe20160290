"""Journey: a coordinator runs a meeting cycle — creates a meeting, attaches a document to an
agenda item, records attendance, writes and adopts the minutes, downloads the PDF — with axe on
every page visited."""

from __future__ import annotations

import re

import pytest

from coordination import clock

pytestmark = pytest.mark.e2e


def test_coordinator_runs_a_meeting_cycle(page, log_in, check_axe):
    log_in(page, "koordynator.wielkopolskie@example.org")
    page.goto("/wielkopolskie/grupy/")
    check_axe(page)
    page.get_by_role("link", name="Grupa robocza ds. promocji").click()
    page.wait_for_url(re.compile(r".*/wielkopolskie/grupy/\d+$"))
    check_axe(page)

    page.get_by_role("link", name="Nowe posiedzenie").click()
    page.get_by_label("Tytuł").wait_for()
    check_axe(page)
    page.get_by_label("Tytuł").fill("Posiedzenie robocze – test przeglądarki")
    page.get_by_label("Data").fill(clock.today().isoformat())
    page.get_by_label("Początek (czas warszawski)").fill("09:00")
    page.get_by_label("Koniec (czas warszawski)").fill("08:00")
    page.get_by_label("Stacjonarnie").check()
    page.get_by_label("Miejsce").fill("Poznań, sala 205")
    page.get_by_label("Punkt porządku obrad, wiersz 1").fill("Kampania „Zakup Prospołeczny” – żółta karta")
    page.get_by_role("button", name="Zapisz").click()
    # invalid times: the form comes back (422) with a Polish message and the typed agenda kept
    page.get_by_text("Posiedzenie musi kończyć się później, niż się zaczyna.").first.wait_for()
    assert page.get_by_label("Punkt porządku obrad, wiersz 1").input_value().startswith("Kampania")
    check_axe(page)
    page.get_by_label("Koniec (czas warszawski)").fill("11:00")
    page.get_by_role("button", name="Zapisz").click()
    page.get_by_text("Posiedzenie zostało utworzone.").wait_for()
    page.get_by_role("heading", level=1, name=re.compile("Posiedzenie .*test przeglądarki")).wait_for()
    check_axe(page)

    # a document for the agenda item: a wrong file is refused in Polish, then a PDF is attached
    page.get_by_role("link", name=re.compile("^Dołącz dokument")).last.click()
    file_input = page.get_by_label("Plik (PDF, DOCX, ODT lub XLSX)")
    file_input.wait_for()
    check_axe(page)
    page.get_by_label("Tytuł dokumentu").fill("Karta kampanii")
    file_input.set_input_files({"name": "kampania.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"})
    page.get_by_role("button", name="Wgraj").click()
    page.get_by_text("Przyjmujemy tylko pliki PDF, DOCX, ODT i XLSX.").first.wait_for()
    check_axe(page)
    page.get_by_label("Plik (PDF, DOCX, ODT lub XLSX)").set_input_files(
        {"name": "kampania.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"})
    page.get_by_role("button", name="Wgraj").click()
    page.get_by_text("Dokument został dodany.").wait_for()
    page.get_by_role("link", name="Karta kampanii", exact=True).wait_for()
    check_axe(page)

    page.get_by_role("link", name="Lista obecności").click()
    page.get_by_role("button", name="Zapisz obecność").wait_for()
    check_axe(page)
    # nothing is preselected: the coordinator records each member's attendance
    statuses = page.locator("select[name^='status-']")
    for i in range(statuses.count()):
        statuses.nth(i).select_option("present")
    page.get_by_role("button", name="Zapisz obecność").click()
    page.get_by_text("Obecność została zapisana.").wait_for()
    check_axe(page)

    page.get_by_role("button", name="Przygotuj projekt protokołu").click()
    page.get_by_text("Projekt protokołu został przygotowany").wait_for()
    check_axe(page)
    body = page.get_by_label("Treść protokołu (Markdown)")
    text = body.input_value()
    assert "Protokół nr" in text and "Ad. 1" in text
    body.fill(text.replace("…", "Omówiono kampanię; uczestnicy zgłosili uwagi.", 1))
    page.get_by_role("button", name="Zapisz").click()
    page.get_by_text("Protokół został zapisany.").wait_for()
    check_axe(page)

    page.get_by_role("link", name="Zapisz przyjęcie").click()
    page.get_by_role("radio", name="w trybie obiegowym").check()
    page.get_by_label("Dzień przyjęcia w trybie obiegowym").fill(clock.today().isoformat())
    check_axe(page)
    page.get_by_role("button", name="Przyjmij i zamroź").click()
    page.get_by_text("Protokół został przyjęty i zamrożony.").wait_for()
    assert page.get_by_text("Wersja 1").is_visible()
    check_axe(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Pobierz PDF").click()
    pdf = info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
