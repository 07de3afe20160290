"""Place names declined from one table (coordination/places.py) and the one Babel format for
dates, times, ranges, numbers and sizes (coordination/formats.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from flask_babel import force_locale

from coordination.formats import (
    format_clock,
    format_day,
    format_moment,
    format_number,
    format_range,
    format_size,
)
from coordination.places import TOWNS, VOIVODESHIPS, genitive, in_place, locative, place_forms
from tenants.regions import REGIONS
from workgroups.demo import CITIES


@pytest.mark.parametrize(("name", "gen", "phrase"), [
    ("Leszno", "Leszna", "w Lesznie"), ("Kalisz", "Kalisza", "w Kaliszu"), ("Piła", "Piły", "w Pile"),
    ("Konin", "Konina", "w Koninie"), ("Poznań", "Poznania", "w Poznaniu"), ("Łódź", "Łodzi", "w Łodzi"),
    ("Wrocław", "Wrocławia", "we Wrocławiu"), ("Białystok", "Białegostoku", "w Białymstoku"),
    ("łódzkie", "województwa łódzkiego", "w województwie łódzkim"),
    ("województwo kujawsko-pomorskie", "województwa kujawsko-pomorskiego",
     "w województwie kujawsko-pomorskim"),
])
def test_place_forms(name, gen, phrase):
    assert genitive(name) == gen
    assert in_place(name) == phrase
    assert locative(name) == phrase.split(" ", 1)[1]


def test_every_region_and_demo_town_is_in_the_table():
    assert {n for _t, _s, n, _o in REGIONS} == set(VOIVODESHIPS)
    for towns in CITIES.values():
        assert set(towns) <= set(TOWNS)
    assert place_forms("województwo śląskie").locative == "województwie śląskim"


def test_an_unknown_place_is_never_declined_wrongly():
    assert place_forms("Pcim").locative == "Pcim"


def test_place_filters_in_templates(app):
    with app.test_request_context():
        out = app.jinja_env.from_string("{{ 'Leszno'|in_place }}, {{ 'Piła'|genitive }}").render()
    assert out == "w Lesznie, Piły"


def test_dates_times_and_ranges_in_polish(app):
    with app.test_request_context():
        assert format_day(date(2026, 12, 4)) == "4 grudnia 2026"
        assert format_day(date(2026, 12, 4), "short") == "4 grudnia 2026"
        # 9:00 UTC is 10:00 in Warsaw in winter
        assert format_moment(datetime(2026, 12, 4, 9, 0, tzinfo=UTC)) == "4 grudnia 2026, 10:00"
        assert format_clock(time(10, 0)) == "10:00"
        assert format_range(date(2026, 11, 20), date(2026, 12, 25)) == "20 listopada – 25 grudnia 2026"
        assert format_range(date(2026, 12, 3), date(2026, 12, 5)) == "3–5 grudnia 2026"
        assert format_range(date(2026, 12, 4), date(2026, 12, 4)) == "4 grudnia 2026"


def test_numbers_and_sizes_follow_the_locale(app):
    with app.test_request_context():
        assert format_size(36_900) == "36,9 kB"
        assert format_size(512) == "512 B"
        assert format_size(1_250_000) == "1,2 MB"
        assert format_number(3.5, 2, fixed=True) == "3,50"
        assert format_number(3.456) == "3,46"
        with force_locale("en"):
            assert format_number(3.5, 2, fixed=True) == "3.50"
            assert format_size(36_900) == "36.9 kB"
            assert format_day(date(2026, 12, 4)) == "December 4, 2026"


def test_template_filters_replace_the_english_defaults(app):
    with app.test_request_context():
        out = app.jinja_env.from_string(
            "{{ 36900|filesizeformat }} | {{ d|dateformat }} | {{ a|daterange(b) }} | {{ 2.5|decimalformat }}"
        ).render(d=date(2026, 12, 4), a=date(2026, 12, 3), b=date(2026, 12, 5))
    assert out == "36,9 kB | 4 grudnia 2026 | 3–5 grudnia 2026 | 2,5"


def test_number_format_is_babels_over_many_values(app):
    """format_number writes numbers itself (speed, docs/bench.md); it must give exactly what
    Babel's "#,##0.##" pattern gives, in both languages, for ints, floats, Decimals, negatives,
    halves (rounded to even on the decimal value), large and tiny values."""
    import random
    from decimal import Decimal

    from babel import Locale
    from babel.numbers import parse_pattern

    rng = random.Random(20261204)
    values = [0, 1, -1, 0.5, 1.5, 2.5, 0.125, 0.135, 2.675, -0.001, 1e-7, 999.995, 1234.5, -1234.5,
              1_000_000, 12345.678, Decimal("3.50"), Decimal("-0.005"), Decimal("1E+3"), 10**20,
              1e22, 33.333333]
    values += [rng.uniform(-1e7, 1e7) for _ in range(300)] + [rng.randint(-10**9, 10**9) for _ in range(100)]
    values += [round(rng.uniform(0, 100), rng.randint(0, 4)) for _ in range(300)]
    values += [Decimal(rng.randint(-10**8, 10**8)).scaleb(-rng.randint(0, 5)) for _ in range(200)]
    for locale in ("pl", "en"):
        with app.test_request_context(), force_locale(locale):
            for digits in (0, 1, 2, 3):
                for fixed in (False, True):
                    pattern = parse_pattern("#,##0" + ("." + ("0" if fixed else "#") * digits if digits else ""))
                    for value in values:
                        expected = pattern.apply(value, Locale.parse(locale), numbering_system="latn")
                        assert format_number(value, digits, fixed) == expected, (locale, digits, fixed, value)
