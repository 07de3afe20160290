"""The results page in parts: the first load shows the response rate and the dimensions; the
categories, the year-over-year comparison and the answers by question are sections that htmx
loads in place of their "Pokaż …" links, and pages of their own without JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.surveys.conftest import closed

HX = {"HX-Request": "true"}
SECTIONS = {
    "kategorie": ("Pokaż wyniki według kategorii członkostwa", "Według kategorii członkostwa",
                  "Średnia ocen według kategorii członkostwa i wymiaru"),
    "lata": ("Pokaż porównanie z poprzednimi latami", "Porównanie z poprzednimi latami",
             "Średnia ocen według wymiaru i roku"),
    "pytania": ("Pokaż odpowiedzi na poszczególne pytania, także odpowiedzi otwarte",
                "Odpowiedzi na poszczególne pytania", "Odpowiedzi na KOM-01"),
}


@pytest.fixture
def results(app, tenants, make_campaign, add_responses):
    """Two closed campaigns of the region (year over year needs two), the newer one with
    categories and open answers; yields its results URL."""
    old = make_campaign(year=2024)
    add_responses(old, 5, ratings=("2",))
    cid = make_campaign(year=2025)
    add_responses(cid, 6, text="Zdanie otwarte", categories=("OWES",))
    with closed(app, tenants["wielkopolskie"], (old, cid)):
        yield f"/wielkopolskie/ankiety/{cid}/wyniki"


def test_first_load_links_each_section(coordinator, results):
    page = coordinator.get(results).get_data(as_text=True)
    assert "Wymiary: region na tle mediany krajowej" in page  # above the fold: shown
    for key, (link, heading, table) in SECTIONS.items():
        url = f"{results}/{key}"
        # a plain link (works without JavaScript) that htmx loads into its placeholder
        assert re.search(rf'<a href="{url}" hx-get="{url}" hx-target="#wyniki-{key}" '
                         rf'hx-swap="innerHTML">{link}</a>', page), key
        assert f'id="wyniki-{key}"' in page and f">{heading}</h2>" in page
        assert table not in page
    assert "Zdanie otwarte" not in page


@pytest.mark.parametrize("key", list(SECTIONS))
def test_section_with_and_without_htmx(coordinator, results, key):
    _link, heading, table = SECTIONS[key]
    full = coordinator.get(f"{results}/{key}")
    assert full.status_code == 200
    body = full.get_data(as_text=True)
    # a page of its own: the layout, a title, the way back to the whole results
    assert body.startswith("<!doctype html>") and "<h1>Wyniki: " in body
    assert f'<a href="{results}">Wszystkie wyniki ankiety</a>' in body
    assert heading in body and table in body
    partial = coordinator.get(f"{results}/{key}", headers=HX)
    assert partial.status_code == 200 and "HX-Request" in partial.headers.get("Vary", "")
    fragment = partial.get_data(as_text=True)
    assert "<html" not in fragment and "<h1" not in fragment
    assert f">{heading}</h2>" in fragment and table in fragment
    if key == "pytania":
        lists = fragment.count('<ul class="open-answers">')
        assert lists and fragment.count("<li>Zdanie otwarte</li>") == 6 * lists
    if key == "lata":
        assert "<svg" in fragment and "2024" in fragment and "2025" in fragment


def test_old_show_all_address_leads_to_the_answers_section(coordinator, results):
    r = coordinator.get(f"{results}?pokaz=OTW-01")
    assert r.status_code == 303
    assert r.headers["Location"].endswith(f"{results}/pytania?pokaz=OTW-01#res-OTW-01")


def test_sections_show_nothing_while_open_or_too_few(app, tenants, coordinator, make_campaign, add_responses):
    cid = make_campaign()
    add_responses(cid, 5, text="Zdanie otwarte")
    base = f"/wielkopolskie/ankiety/{cid}/wyniki"
    for key in SECTIONS:
        for headers in ({}, HX):
            body = coordinator.get(f"{base}/{key}", headers=headers).get_data(as_text=True)
            assert "Wyniki zostaną pokazane po zamknięciu ankiety" in body
            assert "Zdanie otwarte" not in body and "<table" not in body
    few = make_campaign(year=2024)
    add_responses(few, 3)
    with closed(app, tenants["wielkopolskie"], (few,)):
        for key in SECTIONS:
            body = coordinator.get(f"/wielkopolskie/ankiety/{few}/wyniki/{key}", headers=HX).get_data(as_text=True)
            assert "Za mało odpowiedzi" in body and "<table" not in body


def test_unknown_section_and_foreign_campaign(coordinator, results, app, make_campaign):
    assert coordinator.get(f"{results}/inne").status_code == 404
    foreign = make_campaign("lodzkie")
    assert coordinator.get(f"/wielkopolskie/ankiety/{foreign}/wyniki/pytania").status_code == 404
