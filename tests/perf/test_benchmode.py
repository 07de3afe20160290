"""Bench mode: the baseline route and the SQL counter exist only with ``BENCH=True``."""

from __future__ import annotations

import pytest

from coordination import create_app
from coordination.benchmode import SQL_COUNT_HEADER
from coordination.extensions import db
from tests.conftest import count_statements


@pytest.fixture
def bench_app(app, database_url):
    bench = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": database_url,
                        "BENCH": True, "PER_PAGE": 50})
    yield bench
    with bench.app_context():
        db.session.remove()
        db.engine.dispose()


def test_without_bench_config_there_is_no_baseline_route_and_no_header(app):
    assert not app.config["BENCH"]
    assert "bench.fortunes" not in app.view_functions
    assert not any(r.rule.startswith("/_bench") for r in app.url_map.iter_rules())
    client = app.test_client()
    assert client.get("/_bench/fortunes").status_code == 404
    assert SQL_COUNT_HEADER not in client.get("/healthz").headers


def test_baseline_renders_twelve_rows_from_one_query(bench_app):
    response = bench_app.test_client().get("/_bench/fortunes")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.count("<tr><td>") == 12 and "Regionalny Ośrodek Polityki Społecznej w Lublinie" in body
    assert "<nav" not in body  # no layout
    assert response.headers[SQL_COUNT_HEADER] == "1"


def test_sql_count_header_matches_the_statements(bench_app, make_user, login):
    uid = make_user("k@example.org", "coordinator", "opolskie")
    client = login(bench_app.test_client(), uid)
    with count_statements(bench_app) as log:
        response = client.get("/opolskie/uzytkownicy")
    assert response.status_code == 200
    assert int(response.headers[SQL_COUNT_HEADER]) == log.count >= 3
    assert bench_app.config["PER_PAGE"] == 50


def test_layout_floor_is_a_guarded_region_page_with_an_empty_body(bench_app, make_user, login):
    """The bench's reference: region, user, permission and the full layout, nothing else (two
    statements); refused like a region page to whoever may not see the region."""
    client = login(bench_app.test_client(), make_user("k@example.org", "coordinator", "opolskie"))
    response = client.get("/_bench/floor/opolskie")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers[SQL_COUNT_HEADER] == "2"
    assert '<h1>opolskie</h1>' in body and 'aria-label="Menu główne"' in body
    assert client.get("/_bench/floor/lodzkie").status_code in (403, 404)
    assert client.get("/_bench/floor/nie-ma").status_code == 404
    assert bench_app.test_client().get("/_bench/floor/opolskie").status_code == 302  # log in first
