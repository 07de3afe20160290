"""Journey: a national consultant rates and signs a region's diagnosis update, opens the
cross-region comparison, clicks an item ("which regions lack X") and exports it — axe on every page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

pytestmark = pytest.mark.e2e


def test_consultant_diagnosis_and_comparison(page, log_in, check_axe):
    log_in(page, "krajowy@example.org")
    nav = page.get_by_role("navigation", name="Menu główne")

    # the demo region with an update in progress
    page.goto("/mazowieckie/diagnoza/")
    check_axe(page)
    page.get_by_role("link", name="Kontynuuj wersję roboczą (wersja 2)").click()
    page.wait_for_url("**/mazowieckie/diagnoza/*")
    check_axe(page)

    page.get_by_role("link", name="Oceń III.1").click()
    page.wait_for_url("**/pozycja/*")
    check_axe(page)
    page.get_by_label("Uwagi (widoczne dla regionu)").fill("Wspólny warsztat z JST.")
    page.get_by_label("Uzasadnienie").fill("Samorządy nie stosują klauzul (test przeglądarkowy).")
    page.get_by_label("Potrzeba doradcza (0–3)").select_option("3")
    page.get_by_label("Stan obecny (1–5)").select_option("1")
    page.get_by_label("Priorytet").select_option("H")
    page.get_by_label("warsztat").check()
    page.get_by_role("button", name="Zapisz").click()
    page.get_by_text("Pozycja III.1 zapisana.").wait_for()
    check_axe(page)

    page.get_by_role("link", name="Podpisz").first.click()
    page.wait_for_url("**/podpis")
    check_axe(page)
    page.get_by_label("Konsultant krajowy (SIRES)").check()
    page.get_by_role("button", name="Tak, podpisuję").click()
    page.get_by_text("Podpis został zapisany.").wait_for()
    assert page.get_by_text("Krzysztof Krajowy").first.is_visible()
    check_axe(page)

    # the comparison: heatmap with numbers, then "which regions lack III.1"
    nav.get_by_role("link", name="Porównanie").click()
    page.wait_for_url("**/kraj/porownanie")
    assert page.get_by_role("table", name="Potrzeba (0–3) według regionu i pozycji, z medianą krajową").is_visible()
    # the survey and OWES sections load by themselves: the page stays at its top, focus unmoved
    page.locator("#section-owes table, #section-owes .empty").first.wait_for()
    page.locator("#section-ankiety table, #section-ankiety .empty").first.wait_for()
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.activeElement.closest('section[data-swap-quiet]') === null")
    check_axe(page)
    page.get_by_label("Obszar").select_option("III")
    page.get_by_role("button", name="Pokaż").click()
    page.wait_for_url("**obszar=III**")
    page.locator("#section-owes table, #section-owes .empty").first.wait_for()
    # after the filter: focus on the page's heading (the content swapped in), not on a section
    assert page.evaluate("document.activeElement.matches('h1')"), page.evaluate("document.activeElement.outerHTML")
    check_axe(page)
    page.get_by_role("columnheader", name="III.1").get_by_role("link").click()
    page.wait_for_url("**/kraj/porownanie/pozycja/*")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Którym regionom brakuje III.1")
    first_region = page.locator("table tbody tr").first.locator("th").inner_text()
    check_axe(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Pobierz tę listę (XLSX)").click()
    data = Path(info.value.path()).read_bytes()
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = wb.get_sheet_by_name("Regiony").to_python()
    assert rows[0][0] == "Region" and rows[1][1] == 3
    assert rows[1][0] in first_region

    # the briefing for the ministry: the same regions in the same order, a tagged Polish PDF
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF").click()
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert reader.trailer["/Root"]["/Lang"] == "pl"
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Stosowanie klauzul społecznych" in text and "A.2" in text and "Krzysztof Krajowy" in text
    ranked = text[text.index("Regiony według potrzeb"):]
    assert ranked.index(first_region.split()[0]) < ranked.index("Razem")

    # support totals count persons, not attendances
    nav.get_by_role("link", name="Podsumowanie wsparcia").click()
    page.wait_for_url("**/kraj/wsparcie")
    assert page.get_by_text("w nawiasach podano liczbę udziałów").is_visible()
    check_axe(page)
