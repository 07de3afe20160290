"""Journey: the administrator creates an account, gives it roles in two regions and the
national role, sees them on one page, removes one (after confirming), then reads the audit
log in Polish — axe on every page, no horizontal scroll at 375 px."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import _new_page

pytestmark = pytest.mark.e2e


def _no_horizontal_scroll(pg, width: int) -> None:
    scroll = pg.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"horizontal scroll at {width} px on {pg.url}: {scroll}"


def test_admin_manages_roles_and_reads_the_log(page, log_in, check_axe, send_due):
    log_in(page, "admin@example.org")
    page.goto("/admin/uzytkownicy")
    check_axe(page)
    page.get_by_role("link", name="Utwórz konto").click()
    page.wait_for_url("**/admin/uzytkownicy/nowy")
    check_axe(page)
    page.get_by_label("Imię i nazwisko").fill("Jadwiga Źródlana")
    page.get_by_label("E-mail").fill("jadwiga.zrodlana@example.org")
    page.get_by_role("button", name="Utwórz konto i wyślij wiadomość").click()
    page.wait_for_url(re.compile(r".*/admin/uzytkownicy/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Jadwiga Źródlana"
    assert "Konto zostało utworzone" in page.content()
    check_axe(page)
    # a duplicate address is refused with a Polish message
    page.goto("/admin/uzytkownicy/nowy")
    page.get_by_label("Imię i nazwisko").fill("Ktoś Inny")
    page.get_by_label("E-mail").fill("jadwiga.zrodlana@example.org")
    page.get_by_role("button", name="Utwórz konto i wyślij wiadomość").click()
    page.get_by_text("Konto z tym adresem e-mail już istnieje.").first.wait_for()
    check_axe(page)
    # back to the person's page: roles in two regions and the national role
    page.goto("/admin/uzytkownicy?q=źródlana")
    page.get_by_role("link", name="Jadwiga Źródlana").click()
    page.wait_for_url(re.compile(r".*/admin/uzytkownicy/\d+$"))
    user_url = page.url
    grant = page.get_by_role("form", name="Nadanie roli w regionie")
    for region, role in (("wielkopolskie", "member"), ("lodzkie", "coordinator")):
        grant.get_by_label("Region", exact=True).select_option(region)
        grant.get_by_label("Rola", exact=True).select_option(role)
        grant.get_by_role("button", name="Nadaj rolę").click()
        page.get_by_text("Zapisano rolę").first.wait_for()
        grant = page.get_by_role("form", name="Nadanie roli w regionie")
    page.get_by_label("Konsultant krajowy (SIRES)").check()
    page.get_by_role("button", name="Zapisz role platformy").click()
    page.get_by_text("Zapisano role platformy.").wait_for()
    table = page.get_by_role("region", name="Role w regionach – Jadwiga Źródlana")
    rows = table.locator("tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().startswith("łódzkie") and "Koordynator" in rows.nth(0).inner_text()
    assert rows.nth(1).inner_text().startswith("wielkopolskie")
    assert page.get_by_label("Konsultant krajowy (SIRES)").is_checked()
    check_axe(page)
    # remove the role in łódzkie: a confirmation page first
    rows.nth(0).get_by_role("link", name=re.compile("Usuń")).click()
    page.wait_for_url("**/usun")
    assert "Czy na pewno odebrać rolę" in page.content()
    check_axe(page)
    page.get_by_role("button", name="Tak, odbierz rolę").click()
    page.wait_for_url(user_url)
    assert page.get_by_role("region", name="Role w regionach – Jadwiga Źródlana").locator("tbody tr").count() == 1
    # the activation e-mail goes through the queue
    assert send_due().get("sent", 0) >= 1
    # the audit log speaks Polish
    page.goto("/admin/dziennik")
    log = page.get_by_role("region", name="Dziennik zmian")
    text = log.inner_text()
    for phrase in ("Utworzenie konta", "Nadanie roli w regionie", "Odebranie roli w regionie",
                   "Zmiana ról platformy lub stanu konta", "Konsultant krajowy", "nie → tak"):
        assert phrase in text, phrase
    assert "user.grant" not in text and "user.remove" not in text
    check_axe(page)
    page.get_by_label("Czynność").select_option(label="Odebranie roli w regionie")
    page.get_by_role("button", name="Filtruj").click()
    page.wait_for_url(re.compile(r".*action=user\.remove.*"))
    assert page.get_by_role("region", name="Dziennik zmian").locator("tbody tr").count() == 1
    check_axe(page)


@pytest.mark.parametrize("path", ["/admin/uzytkownicy", "/admin/uzytkownicy/nowy", "/admin/dziennik"])
def test_admin_pages_reflow_at_375_px(browser, live_server, log_in, check_axe, path):
    context, pg = _new_page(browser, live_server, viewport={"width": 375, "height": 700})
    try:
        log_in(pg, "admin@example.org")
        pg.goto(path)
        check_axe(pg)
        _no_horizontal_scroll(pg, 375)
        if path == "/admin/uzytkownicy":  # the person's page, with roles in two regions
            pg.get_by_role("link", name="Ewa Ekspercka").click()
            pg.wait_for_url(re.compile(r".*/admin/uzytkownicy/\d+$"))
            check_axe(pg)
            _no_horizontal_scroll(pg, 375)
    finally:
        context.close()
