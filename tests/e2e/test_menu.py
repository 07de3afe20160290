"""The main menu on a 375 px phone is a disclosure: collapsed behind a "Menu" button (not the
whole screen), opened and closed with the keyboard, announced as expanded/collapsed, axe clean;
at 1280 px it is simply there; without JavaScript the <details> button still opens it."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import _new_page

pytestmark = pytest.mark.e2e

MENU_LINK = "Grupy"


def _menu(pg):
    return pg.get_by_role("navigation", name="Menu główne")


def _expanded(pg) -> bool:
    return pg.evaluate("() => document.querySelector('details.nav-menu').open")


def _ax_menu_button(context, pg) -> tuple[str, bool]:
    """What Chromium tells a screen reader about the menu button: its role (the native
    disclosure button of <summary>) and whether it is expanded."""
    cdp = context.new_cdp_session(pg)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    node = next(n for n in nodes if n.get("name", {}).get("value") == "Menu"
                and n.get("role", {}).get("value") not in ("StaticText", "InlineTextBox"))
    expanded = {p["name"]: p["value"]["value"] for p in node.get("properties", [])}.get("expanded")
    return node["role"]["value"], bool(expanded)


def test_phone_menu_collapses_and_opens_with_the_keyboard(log_in, check_axe, phone):
    log_in(phone, "koordynator.lodzkie@example.org")
    phone.goto("/lodzkie/grupy/posiedzenia")
    nav = _menu(phone)
    link = nav.get_by_role("link", name=MENU_LINK, exact=True)
    assert not _expanded(phone) and not link.is_visible()
    assert nav.bounding_box()["height"] < 80  # a button, not the whole screen
    assert phone.get_by_role("heading", level=1).is_visible()
    summary = nav.locator("summary")
    assert summary.inner_text().strip() == "Menu"
    assert _ax_menu_button(phone.context, phone) == ("DisclosureTriangle", False)
    check_axe(phone)
    # keyboard: focus the button, Enter opens, the links follow it in the tab order
    summary.focus()
    phone.keyboard.press("Enter")
    assert _expanded(phone) and link.is_visible()
    assert _ax_menu_button(phone.context, phone) == ("DisclosureTriangle", True)
    check_axe(phone)
    phone.keyboard.press("Tab")
    assert phone.evaluate("() => document.activeElement.closest('.main-nav') !== null")
    # Escape closes it and puts the focus back on the button
    phone.keyboard.press("Escape")
    assert not _expanded(phone) and not link.is_visible()
    assert phone.evaluate("() => document.activeElement.matches('.main-nav summary')")
    phone.keyboard.press("Space")
    assert _expanded(phone)
    link.click()
    phone.wait_for_url("**/lodzkie/grupy/")
    assert not _expanded(phone)  # the next page starts with the menu collapsed


def test_wide_menu_is_open_without_a_button(page, log_in, check_axe):
    log_in(page, "czlonek.lodzkie@example.org")
    page.goto("/lodzkie/")
    nav = _menu(page)
    assert _expanded(page) and nav.get_by_role("link", name=MENU_LINK, exact=True).is_visible()
    assert not nav.locator("summary").is_visible()
    assert nav.bounding_box()["height"] < 80
    check_axe(page)
    # narrowing the window collapses it, widening opens it again
    page.set_viewport_size({"width": 375, "height": 740})
    page.wait_for_function("() => !document.querySelector('details.nav-menu').open")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function("() => document.querySelector('details.nav-menu').open")


def test_menu_works_without_javascript(browser, live_server, log_in):
    context, pg = _new_page(browser, live_server, viewport={"width": 375, "height": 740}, java_script_enabled=False)
    try:
        log_in(pg, "czlonek.lodzkie@example.org")
        pg.goto("/lodzkie/")
        nav = _menu(pg)
        link = nav.get_by_role("link", name=MENU_LINK, exact=True)
        assert not link.is_visible()
        nav.locator("summary").click()
        assert link.is_visible()
        link.click()
        pg.wait_for_url("**/lodzkie/grupy/")
    finally:
        context.close()
