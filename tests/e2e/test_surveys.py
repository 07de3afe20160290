"""Journey: a coordinator checks the committee import and invites a committee member (real SMTP); the member opens the token
link on a 375 px wide phone and fills the survey with the keyboard only. axe on every page,
including the error state."""

from __future__ import annotations

import re

import pytest

from surveys.demo import open_year
from tests.e2e.conftest import no_horizontal_scroll

pytestmark = pytest.mark.e2e

EMAIL = "nowa.czlonkini@example.org"
LINK = re.compile(r"(http://127\.0\.0\.1:\d+/ankieta/[A-Za-z0-9_\-]+)")


def _invite(page, log_in, check_axe, smtp, send_due) -> str:
    log_in(page, "koordynator.wielkopolskie@example.org")
    page.goto("/wielkopolskie/ankiety/")
    check_axe(page)
    page.get_by_role("link", name=re.compile(rf"^Zarządzaj {open_year()}")).click()
    page.wait_for_url(re.compile(r"/ankiety/\d+$"))
    check_axe(page)
    page.get_by_role("link", name="Respondenci i stan odpowiedzi").click()
    page.wait_for_url("**/respondenci")
    check_axe(page)
    # the demo's open campaign's list is the demo committee group: importing it again adds nobody
    page.get_by_role("link", name="Importuj z grupy Komitetu").click()
    page.wait_for_url("**/respondenci/komitet")
    page.get_by_text("Nie ma kogo dodać").wait_for()
    assert page.get_by_role("heading", name=re.compile(r"^Już na liście: \d+ os")).is_visible()
    check_axe(page)
    page.get_by_role("link", name="Wróć do listy respondentów").click()
    page.wait_for_url("**/respondenci")
    page.get_by_label("Imię i nazwisko").fill("Nowa Członkini")
    page.get_by_role("textbox", name="E-mail").fill(EMAIL)
    page.get_by_role("button", name="Dodaj", exact=True).click()
    page.get_by_text("Dodano do listy: Nowa Członkini.").wait_for()
    page.goto(page.url.replace("/respondenci", "/zaproszenia"))
    check_axe(page)
    page.get_by_role("button", name="Tak, kontynuuj").click()
    page.get_by_text("Zaproszenia przekazane do wysyłki: 1.").wait_for()
    send_due()
    mails = [m for m in smtp.messages if EMAIL in m["to"]]
    assert len(mails) == 1
    body = next(b for m, b in zip(smtp.messages, smtp.bodies(), strict=True) if EMAIL in m["to"])
    return LINK.search(body).group(1)


def _choose(pg, first_id: str, steps: int) -> None:
    """Keyboard: focus the first option of a radio group, move with the arrow keys."""
    pg.locator(f"#{first_id}").focus()
    pg.keyboard.press("Space")
    for _ in range(steps):
        pg.keyboard.press("ArrowDown")


def _press(pg, name: str) -> None:
    pg.get_by_role("button", name=name).focus()
    pg.keyboard.press("Enter")


def test_member_fills_the_survey_on_a_phone(phone, page, log_in, check_axe, smtp, send_due):
    link = _invite(page, log_in, check_axe, smtp, send_due)
    phone.goto(link)
    assert phone.url.endswith("/ankieta")  # the token is exchanged for the session at once
    check_axe(phone)
    assert no_horizontal_scroll(phone)
    phone.get_by_role("link", name="Rozpocznij ankietę").focus()
    phone.keyboard.press("Enter")
    phone.wait_for_url("**strona=1")
    check_axe(phone)
    # forward without answers: Polish errors next to the questions, focus on the summary
    _press(phone, "Następna strona")
    phone.get_by_role("alert").wait_for()
    assert phone.locator("p.error", has_text="Prosimy odpowiedzieć na to pytanie.").count() == 2
    check_axe(phone)
    _choose(phone, "f-PROF-KAT", 2)
    _choose(phone, "f-PROF-STAZ", 1)
    _press(phone, "Następna strona")
    phone.wait_for_url("**strona=2")
    for page_no in (2, 3, 4):
        check_axe(phone)
        assert no_horizontal_scroll(phone)
        assert phone.get_by_text(f"Strona {page_no} z 6").is_visible()
        for fieldset in phone.locator("fieldset.q-likert").all():
            first = fieldset.locator("input[type=radio]").first.get_attribute("id")
            _choose(phone, first, 3)
        _press(phone, "Następna strona")
        phone.wait_for_url(f"**strona={page_no + 1}")
    check_axe(phone)
    phone.locator("#f-OTW-01").focus()
    phone.keyboard.type("Dobra współpraca z OWES.")
    _press(phone, "Następna strona")
    phone.wait_for_url("**strona=6")
    # the region's own page (demo: Wielkopolska's brand, never in the national core)
    assert phone.get_by_role("group", name=re.compile("Zakup Prospołeczny")).is_visible()
    check_axe(phone)
    _choose(phone, "f-R-WLKP-01", 3)
    _press(phone, "Wyślij ankietę")
    phone.get_by_role("heading", name="Dziękujemy!").wait_for()
    check_axe(phone)
