"""Browser journey: the OWES representative opens "Mój OWES" (on a phone-sized screen too),
cannot remove a target but proposes a change to one with a reason; the coordinator accepts it
and the plan shows the new target. axe-core on every page visited."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import no_horizontal_scroll

pytestmark = pytest.mark.e2e


def test_representative_proposes_a_target_change_the_coordinator_accepts(page, log_in, check_axe):
    log_in(page, "owes.lodzkie@example.org")
    page.goto("/lodzkie/owes/moj")
    main = page.locator("main")
    assert "Mój OWES: OWES – wsparcie ekonomii społecznej" in main.inner_text()
    # every seed plan has ended: no running plan, never a delay
    assert "Żaden plan działania nie jest obecnie realizowany" in main.inner_text()
    check_axe(page)
    page.set_viewport_size({"width": 375, "height": 740})
    assert no_horizontal_scroll(page)
    check_axe(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Dane OWES").click()
    page.wait_for_url(re.compile(r"/lodzkie/owes/\d+$"))
    check_axe(page)
    page.get_by_role("link", name=re.compile("Plan działania OWES 2018–2021")).click()
    page.wait_for_url(re.compile(r"/plany/\d+$"))
    text = page.locator("main").inner_text()
    assert "zamknięty" in text and "opóźnienie" not in text.lower()
    assert page.get_by_role("link", name="Usuń RES-02").count() == 0  # not the representative's
    check_axe(page)
    page.get_by_role("link", name="Zaproponuj zmianę RES-02").click()
    page.wait_for_url(re.compile(r"/propozycje/nowa"))
    check_axe(page)
    page.get_by_label("Proponowana wartość celu").fill("120")
    page.get_by_role("button", name="Zapisz").click()  # no reason: refused, nothing lost
    page.locator(".error-summary").wait_for()
    assert "Prosimy podać uzasadnienie zmiany." in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Proponowana wartość celu").input_value() == "120"
    check_axe(page)
    page.get_by_label("Uzasadnienie zmiany").fill("Aneks do umowy o dofinansowanie z 2019 r.")
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_url(re.compile(r"/lodzkie/owes/moj$"))
    assert "oczekuje na decyzję" in page.locator("main").inner_text()
    check_axe(page)

    page.context.clear_cookies()
    log_in(page, "koordynator.lodzkie@example.org")
    page.goto("/lodzkie/owes/propozycje")
    check_axe(page)
    page.get_by_role("link", name=re.compile("Rozpatrz OWES – wsparcie ekonomii społecznej RES-02")).click()
    page.wait_for_url(re.compile(r"/propozycje/\d+$"))
    assert "Aneks do umowy" in page.locator("main").inner_text()
    check_axe(page)
    page.get_by_role("button", name="Przyjmij i wprowadź").click()
    page.get_by_text("Propozycja została przyjęta i wprowadzona.").wait_for()
    check_axe(page)
    page.goto("/lodzkie/owes/")
    page.get_by_role("link", name="OWES – wsparcie ekonomii społecznej").first.click()
    page.get_by_role("link", name=re.compile("Plan działania OWES 2018–2021")).click()
    row = page.locator("tr", has_text="RES-02")
    assert "120" in row.inner_text()
