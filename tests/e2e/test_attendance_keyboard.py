"""Journey, keyboard only, on a 375 px phone: a coordinator opens the meetings list (date, time
and status visible without horizontal scrolling), goes to a meeting that has already started
(the demo's meeting of the last working day, whose attendance is not recorded yet), fills in
the attendance register, is told what is missing, corrects it and saves — focus always visible,
the result announced, no keyboard trap, axe on every page."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import no_horizontal_scroll

pytestmark = pytest.mark.e2e

FOCUSED = "document.activeElement"
FOCUS_VISIBLE = """() => { const el = document.activeElement;
  const s = getComputedStyle(el);
  return el.matches(':focus-visible') && (s.outlineStyle !== 'none' || s.boxShadow !== 'none'); }"""


def tab_to(pg, predicate: str, limit: int = 250, back: bool = False) -> None:
    """Press Tab (Shift+Tab with ``back``) until ``predicate`` (JS, on the focused element
    ``el``) holds; every element reached must show a visible focus indicator."""
    for _ in range(limit):
        pg.keyboard.press("Shift+Tab" if back else "Tab")
        if pg.evaluate(f"() => {{ const el = {FOCUSED}; return el !== document.body; }}"):
            assert pg.evaluate(FOCUS_VISIBLE), pg.evaluate(f"() => {FOCUSED}.outerHTML.slice(0, 120)")
        if pg.evaluate(f"() => {{ const el = {FOCUSED}; return Boolean({predicate}); }}"):
            return
    raise AssertionError(f"focus never reached: {predicate}")


def test_coordinator_records_attendance_with_the_keyboard(phone, log_in, check_axe):
    log_in(phone, "koordynator.wielkopolskie@example.org")
    phone.goto("/wielkopolskie/grupy/posiedzenia")
    check_axe(phone)
    assert no_horizontal_scroll(phone)
    # exactly one menu entry is the current page; the breadcrumbs are a named navigation
    assert phone.locator('.main-nav [aria-current="page"]').count() == 1
    assert phone.get_by_role("navigation", name="Ścieżka").count() == 1
    # upcoming first, then the past ones; each row shows date, time and status on screen
    headings = phone.get_by_role("heading", level=2).all_inner_texts()
    assert headings.index("Posiedzenia nadchodzące i trwające") < headings.index("Minione posiedzenia")
    row = phone.locator("tr", has_text="Posiedzenie robocze").first
    for label in ("Data", "Godzina", "Status"):
        box = row.locator(f'td[data-label="{label}"]').bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, label
    assert "zakończone – brak listy obecności" in row.inner_text()

    # keyboard only from here: to the meeting, then to its attendance register
    phone.locator("body").focus()
    tab_to(phone, "el.matches('a') && el.textContent.includes('Posiedzenie robocze')")
    phone.keyboard.press("Enter")
    phone.get_by_role("heading", level=1, name=re.compile("Posiedzenie robocze")).wait_for()
    check_axe(phone)
    assert no_horizontal_scroll(phone)
    tab_to(phone, "el.matches('a') && el.textContent.trim() === 'Lista obecności'")
    phone.keyboard.press("Enter")
    phone.get_by_role("button", name="Zapisz obecność").wait_for()
    check_axe(phone)
    assert no_horizontal_scroll(phone)
    selects = phone.locator("select[name^='status-']")
    count = selects.count()
    assert count >= 3
    # nothing is preselected
    assert all(selects.nth(i).input_value() == "" for i in range(count))

    # choose "obecny" for every member but the last, with the arrow key
    tab_to(phone, "el.matches(\"select[name^='status-']\")")
    for _i in range(count - 1):
        phone.keyboard.press("ArrowDown")
        tab_to(phone, "el.matches(\"select[name^='status-']\")")
    assert selects.nth(0).input_value() == "present" and selects.nth(count - 1).input_value() == ""
    tab_to(phone, "el.matches('button') && el.textContent.trim() === 'Zapisz obecność'")
    phone.keyboard.press("Enter")
    # refused: the error summary takes the focus and names the member left without a status
    summary = phone.locator(".error-summary")
    summary.wait_for()
    assert phone.evaluate(f"() => {FOCUSED}.classList.contains('error-summary')")
    assert "Prosimy wybrać obecność każdego członka." in summary.inner_text()
    check_axe(phone)
    # the summary's link leads to the field; choose "obecny" there and save
    tab_to(phone, "el.matches('.error-summary a')")
    phone.keyboard.press("Enter")
    phone.wait_for_function(f"() => {FOCUSED}.matches(\"select[name^='status-']\")")
    phone.keyboard.press("ArrowDown")
    assert selects.nth(count - 1).input_value() == "present"
    tab_to(phone, "el.matches('button') && el.textContent.trim() === 'Zapisz obecność'")
    phone.keyboard.press("Enter")
    # saved: the confirmation is in the live region and the meeting is now held
    phone.get_by_role("status").get_by_text("Obecność została zapisana.").wait_for()
    phone.get_by_role("heading", level=1, name=re.compile("Posiedzenie robocze")).wait_for()
    assert "odbyte" in phone.locator(".facts").inner_text()
    check_axe(phone)
    # no keyboard trap: focus moves on to the footer and back again
    tab_to(phone, "el.matches('.site-footer a')")
    tab_to(phone, "el.matches('.main-nav summary')", back=True)  # the collapsed menu's button
