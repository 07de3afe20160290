"""Journey: an administrator opens a person's data page from the account page, starts the ZIP
export, then erases the person after a refused (empty) confirmation — axe on every page; the
data-protection page with the keeping times and the erasure register."""

from __future__ import annotations

import pytest

from coordination.auth.services import create_user
from coordination.extensions import db
from tests.e2e.conftest import _LIVE

pytestmark = pytest.mark.e2e


def _person() -> int:
    with _LIVE["app"].app_context():
        user = create_user("do.usuniecia@example.org", "Dorota Wnioskodawczyni", "haslo-e2e-123456",
                           update=True)
        uid = user.id
        db.session.remove()
    return uid


def test_admin_exports_and_erases_a_person(page, log_in, check_axe):
    uid = _person()
    log_in(page, "admin@example.org")
    page.goto(f"/admin/uzytkownicy/{uid}")
    page.get_by_role("link", name="Kopia lub usunięcie danych osoby").click()
    page.wait_for_url(f"**/prywatnosc/konto/{uid}")
    assert page.get_by_role("heading", level=1).inner_text() == "Dane osobowe: Dorota Wnioskodawczyni"
    check_axe(page)

    page.get_by_role("button", name="Eksportuj dane osoby (ZIP)").click()
    page.wait_for_url("**/eksporty/*")
    check_axe(page)

    page.goto(f"/prywatnosc/konto/{uid}")
    page.get_by_role("link", name="Usuń dane osoby…").click()
    page.wait_for_url("**/usuniecie")
    assert page.get_by_text("imię i nazwisko zapisane w przyjętym protokole nie zostanie usunięte",
                            exact=False).is_visible()
    check_axe(page)
    page.get_by_role("button", name="Usuń dane").click()
    page.get_by_text("Prosimy potwierdzić usunięcie danych.").first.wait_for()
    check_axe(page)
    page.get_by_label("Podstawa usunięcia (np. znak sprawy wniosku)").fill("Wniosek z 4 grudnia 2026, DO.7.2026")
    page.get_by_label("Potwierdzam usunięcie danych, którego nie można cofnąć").check()
    page.get_by_role("button", name="Usuń dane").click()
    page.wait_for_url(f"**/prywatnosc/konto/{uid}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Dane osobowe: Osoba usunięta #")
    check_axe(page)

    page.goto("/prywatnosc/")
    assert page.get_by_role("region", name="Rejestr usunięć danych").is_visible()
    check_axe(page)


def test_privacy_pages_reflow_at_320_px(mobile_page, log_in, check_axe):
    uid = _person()
    log_in(mobile_page, "admin@example.org")
    for url in (f"/prywatnosc/konto/{uid}", f"/prywatnosc/konto/{uid}/usuniecie", "/prywatnosc/"):
        mobile_page.goto(url)
        assert mobile_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), url
    check_axe(mobile_page)
