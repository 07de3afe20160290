"""The agenda editor of the meeting form on a 375 px phone (WCAG 1.4.10): the agenda rows stack
into blocks instead of pushing the page sideways, every field stays usable and labelled, and axe
finds nothing; on a desktop the rows stay a table."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import no_horizontal_scroll

pytestmark = pytest.mark.e2e

COORDINATOR = "koordynator.wielkopolskie@example.org"


def _fits(pg, selector: str) -> None:
    width = pg.evaluate("window.innerWidth")
    for box in pg.locator(selector).evaluate_all("els => els.map(e => e.getBoundingClientRect().toJSON())"):
        assert box["left"] >= 0 and box["right"] <= width + 1, f"{selector} runs past the edge: {box}"


def _check_agenda(pg, check_axe) -> None:
    assert no_horizontal_scroll(pg), pg.evaluate("document.documentElement.scrollWidth")
    _fits(pg, ".agenda-fieldset, .agenda-fieldset .hint, .agenda-edit input")
    title = pg.get_by_label("Punkt porządku obrad, wiersz 1")
    assert title.bounding_box()["width"] >= 250  # a title field wide enough to read what is typed
    assert pg.get_by_label("Czas w minutach, wiersz 1").is_visible()
    check_axe(pg)


def test_agenda_editor_reflows_on_a_phone(phone, log_in, check_axe):
    log_in(phone, COORDINATOR)
    phone.goto("/wielkopolskie/grupy/")
    group = phone.get_by_role("link", name="Grupa robocza ds. promocji").get_attribute("href")
    phone.goto(group + "/posiedzenia/nowe")
    _check_agenda(phone, check_axe)
    # the form still works at this width: a new row is added and keeps what was typed
    phone.get_by_label("Punkt porządku obrad, wiersz 1").fill("Informacja o działaniach OWES")
    phone.get_by_role("button", name="Dodaj kolejny punkt").click()
    phone.get_by_label("Punkt porządku obrad, wiersz 2").wait_for()
    assert phone.get_by_label("Punkt porządku obrad, wiersz 1").input_value() == "Informacja o działaniach OWES"
    _check_agenda(phone, check_axe)
    phone.goto("/wielkopolskie/grupy/posiedzenia")
    hrefs = phone.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    meeting = next(h for h in hrefs if re.fullmatch(r"/wielkopolskie/grupy/posiedzenia/\d+", h))
    phone.goto(meeting + "/edycja")
    _check_agenda(phone, check_axe)


def test_agenda_rows_stay_a_table_on_a_desktop(page, log_in):
    log_in(page, COORDINATOR)
    page.goto("/wielkopolskie/grupy/")
    group = page.get_by_role("link", name="Grupa robocza ds. promocji").get_attribute("href")
    page.goto(group + "/posiedzenia/nowe")
    assert page.locator(".agenda-edit thead").is_visible()
    first_row = page.locator(".agenda-edit tbody tr").first
    tops = first_row.locator("td").evaluate_all("tds => tds.map(td => Math.round(td.getBoundingClientRect().top))")
    assert len(set(tops)) == 1  # one row: the cells side by side
