"""Journey: outbox and test message, notification settings, unsubscribe — axe on every page."""

from __future__ import annotations

import pytest
from itsdangerous import URLSafeSerializer

pytestmark = pytest.mark.e2e

COORDINATOR = "koordynator.wielkopolskie@example.org"


def test_notifications_journey(page, log_in, check_axe):
    log_in(page, COORDINATOR)
    page.goto("/wielkopolskie/")
    menu = page.get_by_role("navigation", name="Menu główne")
    menu.get_by_role("link", name="Wysyłka powiadomień").click()
    page.wait_for_url("**/wielkopolskie/powiadomienia/")
    # the demo announcement waits for tomorrow
    assert page.get_by_role("cell", name="czlonek.wielkopolskie@example.org").first.is_visible()
    check_axe(page)

    page.get_by_role("button", name="Wyślij mi wiadomość testową").click()
    page.get_by_text(f"Wiadomość testowa do {COORDINATOR} czeka na wysłanie").wait_for()
    check_axe(page)
    page.get_by_role("navigation", name="Filtruj według stanu").get_by_role(
        "link", name="Oczekuje").click()
    page.wait_for_url("**status=pending")
    assert page.get_by_role("cell", name="Wiadomość testowa").is_visible()
    check_axe(page)

    page.goto("/konto/")
    page.get_by_role("link", name="Ustawienia powiadomień").click()
    page.wait_for_url("**/konto/powiadomienia")
    check_axe(page)
    page.get_by_label("Komunikaty").select_option("weekly")
    page.get_by_label("Przypomnienia o posiedzeniach").select_option("off")
    page.get_by_role("button", name="Zapisz ustawienia").click()
    page.get_by_text("Zapisano ustawienia powiadomień.").wait_for()
    assert page.get_by_label("Komunikaty").input_value() == "weekly"
    check_axe(page)

    # the unsubscribe link of an optional e-mail works without logging in
    page.get_by_role("button", name="Wyloguj się").click()
    page.get_by_text("Wylogowano.").wait_for()
    token = URLSafeSerializer("e2e-secret", salt="notification-unsubscribe").dumps(
        {"e": COORDINATOR, "k": "survey_reminder"})
    page.goto(f"/powiadomienia/wypisz/{token}")
    check_axe(page)
    page.get_by_role("button", name="Tak, wypisz mnie").click()
    page.get_by_text(f"Adres {COORDINATOR} nie otrzymuje już powiadomień").wait_for()
    check_axe(page)
