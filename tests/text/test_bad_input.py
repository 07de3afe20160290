"""Bad input the audit answered with 500 (issue 14, item 9) now answers 404, 400 or a form
error. The fuzzing lane (tests/fuzz) keeps it that way for every route; these are the cases."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from tests.conftest import PASSWORD
from tests.isolation.world import OWN, build_url, build_world

HUGE = (str(2**64), str(10**30), "99999999999")


@pytest.fixture
def world(app, tenants, make_user):
    return build_world(app, tenants, make_user)


def _token(client, url="/konto/powiadomienia"):
    body = client.get(url).get_data(as_text=True)
    return re.search(r'"X-CSRFToken":\s*"([^"]+)"', body).group(1)


def test_ids_beyond_the_integer_range_are_404(app, world, login):
    users, objects = world
    client = login(app.test_client(), users["admin"])
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or "<int:" not in rule.rule:
            continue
        ints = re.findall(r"<int:(\w+)>", rule.rule)
        for value in HUGE:
            url = build_url(rule, OWN, {**objects[OWN], **dict.fromkeys(ints, value)})
            assert client.get(url).status_code == 404, url
            checked += 1
    assert checked > 50


def test_page_beyond_64_bits_is_the_first_page(app, world, login):
    users, _objects = world
    client = login(app.test_client(), users["admin"])
    for value in (*HUGE, "NaN", "-5", "²", "١"):
        response = client.get("/admin/uzytkownicy", query_string={"page": value})
        assert response.status_code == 200, value


def test_json_body_with_csrf_header_is_400(app, world, login):
    users, _objects = world
    client = login(app.test_client(), users["coordinator"])
    token = _token(client)
    url = f"/{OWN}/diagnoza/wsparcie/nowy"
    for body in ([1, 2], "text", 5, {"topic": "x"}):
        response = client.post(url, json=body, headers={"X-CSRFToken": token})
        assert response.status_code == 400, body


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN", "1e999999"])
def test_non_finite_hours_are_a_form_error(app, world, login, value):
    users, _objects = world
    client = login(app.test_client(), users["coordinator"])
    token = _token(client)
    response = client.post(f"/{OWN}/diagnoza/wsparcie/nowy", data={
        "csrf_token": token, "held_on": "2026-11-02", "form": "workshop", "topic": "Warsztat",
        "hours": value, "rops_staff": "1", "committee_members": "0", "planners": "0"})
    assert response.status_code == 422


def test_non_ascii_next_on_the_htmx_language_switch(app, world, login):
    users, _objects = world
    client = login(app.test_client(), users["member"])
    token = _token(client)
    target = f"/{OWN}/grupy?q=żółć ą"
    response = client.post("/jezyk", data={"lang": "en", "next": target, "csrf_token": token},
                           headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 204
    location = response.headers["HX-Redirect"]
    assert location.isascii() and unquote(location) == target
    response = client.post("/jezyk", data={"lang": "pl", "next": "/a\r\nSet-Cookie: x=1",
                                           "csrf_token": token},
                           headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 204
    assert "\n" not in response.headers["HX-Redirect"]
    assert "x=1" not in response.headers.get("Set-Cookie", "")



def test_line_breaks_in_next_lead_to_the_default_page(app, world, login):
    """A ``next`` with a line break cannot become a Location header: plain form posts (no
    htmx) and the login redirect go to the default page instead of answering 500."""
    users, _objects = world
    client = login(app.test_client(), users["member"])
    token = _token(client)
    for target in ("/\r\nSet-Cookie: a=b", "/\nX: y", "/\r", "/a\tb"):
        response = client.post("/jezyk", data={"lang": "en", "next": target, "csrf_token": token})
        assert response.status_code == 303 and "\n" not in response.headers["Location"]
    anonymous = app.test_client()
    page = anonymous.get("/login?next=/%0Ab").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = anonymous.post("/login?next=/%0Ab", data={"email": "m@example.org", "password": PASSWORD,
                                                          "csrf_token": csrf})
    assert response.status_code == 303 and "\n" not in response.headers["Location"]


def test_export_list_as_an_htmx_block(app, make_user, login):
    """Found by the fuzzing lane: the block rendered alone lacked its macro import."""
    user = make_user("k@example.org", "coordinator", OWN)
    client = login(app.test_client(), user)
    response = client.get("/eksporty/", headers={"HX-Request": "true"})
    assert response.status_code == 200
