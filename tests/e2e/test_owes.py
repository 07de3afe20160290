"""Browser journey: an OWES user reports a year's values from Excel (a broken file first, then a
good one), attaches an evidence file to one value, submits them; the coordinator verifies them
(seeing the evidence) and opens the consultation with its report links. axe-core on every page
visited."""

from __future__ import annotations

import re

import pytest

from tests.owes.conftest import xlsx

pytestmark = pytest.mark.e2e

HEADER = ["Kod", "Wskaźnik", "Jednostka", "Cel", "2018", "2019", "2020", "2021"]


def test_owes_user_imports_and_coordinator_verifies(page, log_in, check_axe, tmp_path):
    bad = tmp_path / "zly.xlsx"
    bad.write_bytes(xlsx([HEADER, ["RES-01", "", "", None, "dwanaście"], ["XX-01", "", "", None, 1]]))
    good = tmp_path / "wartosci-2018.xlsx"
    good.write_bytes(xlsx([HEADER, ["RES-01", "", "", None, 12], ["AL-04", "", "", None, 9]]))
    evidence = tmp_path / "lista-miejsc-pracy.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% lista miejsc pracy 2018\n")

    log_in(page, "owes.lodzkie@example.org")
    page.goto("/lodzkie/owes/")
    check_axe(page)
    page.get_by_role("link", name="OWES – wsparcie ekonomii społecznej").first.click()
    page.wait_for_url(re.compile(r"/lodzkie/owes/\d+$"))
    check_axe(page)
    page.get_by_role("link", name=re.compile("Plan działania OWES 2018–2021")).click()
    page.wait_for_url(re.compile(r"/plany/\d+$"))
    check_axe(page)
    page.get_by_role("link", name="Import z Excela").first.click()
    page.wait_for_url(re.compile(r"/import$"))
    check_axe(page)

    page.get_by_label("Plik XLSX").set_input_files(str(bad))
    page.get_by_role("button", name="Sprawdź plik").click()
    alert = page.locator(".error-summary")
    alert.wait_for()
    assert "Nic nie zaimportowano" in alert.inner_text()
    assert "dwanaście" in alert.inner_text() and "XX-01" in alert.inner_text()
    check_axe(page)

    page.get_by_label("Plik XLSX").set_input_files(str(good))
    page.get_by_role("button", name="Sprawdź plik").click()
    page.wait_for_url(re.compile(r"/import/[\w-]+$"))
    assert "nowe – 2" in page.locator("main").inner_text()
    check_axe(page)
    page.get_by_role("button", name="Importuj").click()
    page.wait_for_url(re.compile(r"/wartosci$"))
    check_axe(page)
    # evidence: attach the list of jobs to the RES-01 value (form, then the list shows the file)
    page.get_by_role("link", name="Edytuj RES-01 2018").click()
    page.wait_for_url(re.compile(r"/wartosci/\d+$"))
    check_axe(page)
    page.get_by_label("Plik potwierdzający (opcjonalnie)").set_input_files(str(evidence))
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_url(re.compile(r"/wartosci$"))
    page.get_by_role("link", name="lista-miejsc-pracy.pdf").wait_for()
    check_axe(page)
    page.get_by_role("button", name="Przekaż koordynatorowi").click()
    page.get_by_text("Przekazano koordynatorowi 2 wartości.").wait_for()
    check_axe(page)

    page.context.clear_cookies()
    log_in(page, "koordynator.lodzkie@example.org")
    page.goto("/lodzkie/owes/do-weryfikacji")
    check_axe(page)
    page.get_by_role("link", name=re.compile("Oceń OWES – wsparcie ekonomii społecznej RES-01")).click()
    page.wait_for_url(re.compile(r"/weryfikacja"))
    assert "lista-miejsc-pracy.pdf" in page.locator("main").inner_text()
    check_axe(page)
    page.get_by_role("button", name="Zweryfikuj").click()
    page.get_by_text("Wartość została zweryfikowana.").wait_for()
    assert "RES-01" not in page.locator("table").inner_text()
    check_axe(page)
    page.goto("/lodzkie/owes/postep")
    assert "OWES – wsparcie ekonomii społecznej" in page.locator("main").inner_text()
    check_axe(page)
    # the open consultation: the matrix and the report in three formats
    page.goto("/lodzkie/owes/ewaluacje")
    page.get_by_role("link", name="Ewaluacja mid-term OWES – wsparcie ekonomii społecznej").click()
    page.get_by_role("link", name=re.compile(r"\d{4} – ")).first.click()
    page.wait_for_url(re.compile(r"/konsultacje/\d+$"))
    for fmt in ("PDF", "DOCX", "XLSX"):
        assert page.get_by_role("link", name=f"{fmt} (raport z konsultacji)").count() == 1
    page.locator(".table-wrap").first.focus()  # the scrollable matrix is reachable by keyboard
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
    check_axe(page)
