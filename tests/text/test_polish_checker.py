"""The Polish-text checker itself: each rule fails on its example and passes correct Polish."""

from __future__ import annotations

import pytest

from tests.text.polish import export_text, problems, visible_text


@pytest.mark.parametrize(("text", "kind"), [
    ("Zapisz / Save", "english"), ("Rozmiar: 36 Bytes", "english"), ("Status: Draft", "english"),
    ("Wartość: None", "english"), ("N/A", "english"),
    ("Obecny(-a) na posiedzeniu", "gender"), ("Przedstawił(a): Jan Kowalski", "gender"),
    ("Uczestnicy (y)", "gender"),
    ("Posiedzenie w Leszno", "nominative"), ("OWES w Kalisz", "nominative"),
    ("biuro w Piła", "nominative"), ("w województwo łódzkie", "nominative"), ("W Poznań", "nominative"),
    ("Termin: 2026-12-04", "iso-date"),
    ("Może cię zaprosić koordynator", "informal"), ("Link jest osobisty: nie przekazuj go", "informal"),
    ("Dokument dla ciebie", "informal"), ("Twoje konto", "informal"),
    ("Dzień dobry, Jan Kowalski,", "greeting"), ("Rozmiar 36.9 kB", "decimal-point"), ("Średnia 3.75", "decimal-point"), ("Udział 12.5%", "decimal-point"),
])
def test_each_rule_finds_its_example(text, kind):
    found = problems(text)
    assert found and found[0].startswith(kind), found


def test_correct_polish_passes():
    text = ("Dzień dobry, zapraszamy na posiedzenie Grupy roboczej ds. promocji w Lesznie, "
            "4 grudnia 2026, 10:00. Prosimy o potwierdzenie udziału. Rozmiar 36,9 kB, średnia 3,75, "
            "udział 12,5%. Status: przyjęta. Obecni: Jan Kowalski. Referuje: Anna Nowak. "
            "W województwie łódzkim, we Wrocławiu. Zgodnie z WCAG 2.1, rozdział 3.2, dnia 4.12.2026.")
    assert problems(text) == []


def test_visible_text_skips_machine_values():
    html = ('<p>Posiedzenie <time datetime="2026-12-04">4 grudnia 2026</time></p>'
            '<input type="hidden" name="day" value="2026-12-04"><a href="/x?d=2026-12-04">link</a>'
            '<script>var x = None;</script><button aria-label="Usuń dokument">×</button>')
    text = visible_text(html)
    assert "2026-12-04" not in text and "None" not in text
    assert "Usuń dokument" in text and "4 grudnia 2026" in text


def test_calendar_values_are_checked_not_property_names():
    ics = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART:20261204T090000Z\r\n"
           b"SUMMARY:Posiedzenie\r\nDESCRIPTION:Grupa \xe2\x80\x93 meeting 4/2026\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    text = export_text("text/calendar; charset=utf-8", ics)
    assert [f.split()[0] for f in problems(text)] == ["english"]
