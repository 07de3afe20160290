"""Journey: a coordinator creates next year's campaign, adds a regional question (code R-…),
corrects it after a validation error and previews the survey as respondents see it — on a
375 px phone, keyboard and axe on every page; the results' category table fits at 1280 px."""

from __future__ import annotations

import re

import pytest

from surveys.demo import open_year
from tests.e2e.conftest import no_horizontal_scroll

pytestmark = pytest.mark.e2e


def test_coordinator_adds_a_regional_question_and_previews_the_survey(log_in, check_axe, phone):
    log_in(phone, "koordynator.wielkopolskie@example.org")
    phone.goto("/wielkopolskie/ankiety/nowa")
    year = open_year() + 1  # the demo has this year's campaign; next year's runs in that year
    phone.get_by_label("Oceniany rok").fill(str(year))
    phone.get_by_label("Data otwarcia").fill(f"{year}-11-16")
    phone.get_by_label("Data zamknięcia (ostatni dzień)").fill(f"{year}-12-18")
    phone.get_by_role("button", name="Zapisz").click()
    phone.wait_for_url(re.compile(r"/ankiety/\d+$"))
    assert phone.get_by_role("heading", level=1).inner_text().startswith(
        "Ocena działań koordynacyjnych ROPS-u przez członków Komitetu")
    phone.get_by_role("link", name="Kwestionariusz i pytania regionu").click()
    phone.wait_for_url("**/pytania")
    check_axe(phone)
    assert no_horizontal_scroll(phone)
    # a choice question with one option: refused with a Polish message, input kept
    phone.get_by_label("Kod").fill("wlkp-01")
    phone.get_by_label("Rodzaj").select_option("single")
    phone.get_by_label("Pytanie", exact=True).fill("Czy zna Pani/Pan znak „Zakup Prospołeczny”?")
    phone.get_by_label("Odpowiedzi lub wiersze (jedna w wierszu)").fill("Tak")
    phone.get_by_role("button", name="Dodaj pytanie").click()
    phone.get_by_text("Prosimy podać co najmniej dwie odpowiedzi").first.wait_for()
    assert phone.get_by_label("Kod").input_value() == "wlkp-01"
    check_axe(phone)
    phone.get_by_label("Odpowiedzi lub wiersze (jedna w wierszu)").fill("Tak\nNie")
    phone.get_by_role("button", name="Dodaj pytanie").focus()
    phone.keyboard.press("Enter")
    phone.get_by_text("Dodano pytanie.").wait_for()
    assert phone.get_by_role("cell", name="R-WLKP-01", exact=True).is_visible()
    check_axe(phone)
    assert no_horizontal_scroll(phone)
    phone.get_by_role("link", name="Edytuj R-WLKP-01").click()
    phone.wait_for_url("**/edycja")
    check_axe(phone)
    phone.get_by_label("Pytanie", exact=True).fill("Czy zna Pani/Pan wielkopolski znak „Zakup Prospołeczny”?")
    phone.get_by_role("button", name="Zapisz").click()
    phone.wait_for_url("**/pytania")
    phone.get_by_role("link", name="Podgląd ankiety w postaci widocznej dla respondentów").click()
    phone.wait_for_url("**/podglad")
    assert phone.get_by_text("Grupy robocze działające przy ROPS-ie").is_visible()
    regional = phone.get_by_role("heading", name=re.compile("pytania regionalne"))
    assert regional.is_visible()
    assert phone.get_by_role("group", name=re.compile("wielkopolski znak „Zakup Prospołeczny”")).is_visible()
    assert "{op" not in phone.content()
    check_axe(phone)
    assert no_horizontal_scroll(phone)


def test_results_category_table_fits_at_1280(page, log_in, check_axe):
    log_in(page, "koordynator.wielkopolskie@example.org")
    page.goto("/wielkopolskie/ankiety/")
    page.get_by_role("link", name=re.compile(rf"^Wyniki {open_year() - 1}")).click()
    page.wait_for_url("**/wyniki")
    # the section loads in place (htmx) when its link is followed; focus moves to its heading
    page.get_by_role("link", name="Pokaż wyniki według kategorii członkostwa").click()
    table = page.get_by_role("region", name="Średnia ocen według kategorii członkostwa i wymiaru")
    table.wait_for()
    assert page.evaluate("document.activeElement.id") == "cat-h"
    assert page.url.endswith("/wyniki")  # loaded in place, the page stays
    assert table.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    # the dimensions chart marks the national median on its rows
    assert page.locator("#dim-h ~ .chart-pair svg line[stroke='#1b1b1b']").count() >= 8
    check_axe(page)


def test_operator_names_in_the_region_settings(page, log_in, check_axe):
    log_in(page, "koordynator.lodzkie@example.org")
    page.goto("/lodzkie/ustawienia")
    assert page.get_by_label("Skrócona nazwa operatora").input_value() == "RCPS"
    assert page.get_by_label("Pełna nazwa – miejscownik (o kim? o czym?)").input_value() == \
        "Regionalnym Centrum Polityki Społecznej w Łodzi"
    assert page.get_by_role("group", name="Odmiana nazwy operatora").is_visible()
    check_axe(page)
