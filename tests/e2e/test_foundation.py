"""Journey: log in, switch region, switch language, log out — axe on every page visited."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_coordinator_journey(page, log_in, check_axe):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "pl"
    check_axe(page)

    page.goto("/login")
    check_axe(page)
    # a wrong password shows a Polish error (htmx swaps the 422 form)
    page.get_by_label("E-mail").fill("koordynator.wielkopolskie@example.org")
    page.get_by_label("Hasło").fill("zle-haslo-123")
    page.get_by_role("button", name="Zaloguj się").click()
    page.get_by_text("Nieprawidłowy e-mail lub hasło.").first.wait_for()
    check_axe(page)

    log_in(page, "koordynator.wielkopolskie@example.org")  # one region: lands on its home
    page.wait_for_url("**/wielkopolskie/")
    assert page.get_by_role("heading", level=1).inner_text().lower().startswith("województwo")
    check_axe(page)

    page.get_by_role("navigation", name="Menu główne").get_by_role("link", name="Grupy").click()
    page.wait_for_url("**/wielkopolskie/grupy/")
    check_axe(page)

    page.get_by_role("navigation", name="Menu główne").get_by_role("link", name="Użytkownicy").click()
    page.wait_for_url("**/wielkopolskie/uzytkownicy")
    check_axe(page)

    page.get_by_role("navigation", name="Menu główne").get_by_role("link", name="Ustawienia").click()
    page.wait_for_url("**/wielkopolskie/ustawienia")
    page.get_by_label("Tekst logo").fill("ROPS Poznań")
    page.get_by_role("button", name="Zapisz").click()
    page.get_by_text("Zapisano ustawienia.").wait_for()
    check_axe(page)

    # language switch to English and back
    page.get_by_role("button", name="English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.get_by_role("button", name="Log out").is_visible()
    check_axe(page)
    page.get_by_role("button", name="Polski").click()
    page.wait_for_function("document.documentElement.lang === 'pl'")

    page.get_by_role("button", name="Wyloguj się").click()
    page.get_by_text("Wylogowano.").wait_for()
    check_axe(page)


def test_national_switches_region(page, log_in, check_axe):
    log_in(page, "krajowy@example.org")
    page.goto("/kraj/")
    check_axe(page)
    page.get_by_label("Region", exact=True).select_option("lodzkie")
    page.get_by_role("button", name="Przejdź").click()
    page.wait_for_url("**/lodzkie/")
    assert "łódzkie" in page.get_by_role("heading", level=1).inner_text()
    check_axe(page)


@pytest.mark.parametrize("path", ["/", "/login", "/wielkopolskie/", "/deklaracja-dostepnosci"])
def test_reflow_at_320_px(mobile_page, check_axe, path):
    mobile_page.goto(path)
    check_axe(mobile_page)
    width = mobile_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"horizontal scroll at 320 px on {path}: {width}"


def test_reflow_logged_in_at_320_px(mobile_page, log_in, check_axe):
    log_in(mobile_page, "krajowy@example.org")
    for path in ("/", "/wielkopolskie/", "/wielkopolskie/grupy/", "/kraj/", "/konto/"):
        mobile_page.goto(path)
        check_axe(mobile_page)
        width = mobile_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"horizontal scroll at 320 px on {path}: {width}"
