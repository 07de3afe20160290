"""The one way to do each small thing: downloads, form round trips, labels, pages."""

from __future__ import annotations

import tempfile

import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from jinja2 import ChoiceLoader, DictLoader
from wtforms import StringField

from coordination.errors import DomainError
from coordination.exports import ascii_filename, download
from coordination.htmx import attach_error, form_round_trip
from coordination.labels import LABELS, Labels
from coordination.pagination import paginate_list


def test_download_headers_and_ascii_fallback(app):
    with app.test_request_context():
        resp = download(b"%PDF-1.7", "Plan żółty „2026”.pdf")
    assert resp.mimetype == "application/pdf"
    assert resp.headers["Content-Disposition"] == (
        "attachment; filename=\"Plan zolty 2026.pdf\"; "
        "filename*=UTF-8''Plan%20%C5%BC%C3%B3%C5%82ty%20%E2%80%9E2026%E2%80%9D.pdf")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in resp.headers["Cache-Control"]
    assert ascii_filename("Łódź.xlsx") == "Lodz.xlsx" and ascii_filename("żż") == "zz" and ascii_filename("„”") == "plik"


def test_download_streams_a_file_and_knows_office_types(app):
    spool = tempfile.TemporaryFile()
    spool.write(b"PK\x03\x04data")
    spool.seek(0)
    with app.test_request_context():
        resp = download(spool, "zestawienie.xlsx")
        resp.direct_passthrough = False
        assert resp.get_data() == b"PK\x03\x04data"
        resp.close()
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert resp.content_length == 8 and spool.closed


class _Form(FlaskForm):
    class Meta:
        csrf = False

    name = StringField()
    code = StringField()


@pytest.mark.parametrize(("field", "default", "where"), [
    ("code", None, "code"), (None, "name", "name"), (None, None, "form"), ("nonexistent", None, "form"),
])
def test_attach_error_puts_the_message_on_its_field(app, field, default, where):
    with app.test_request_context(method="POST", data={"name": "x"}):
        form = _Form()
        form.validate()
        attach_error(form, DomainError("Odmowa.", field), default)
        found = form.form_errors if where == "form" else form[where].errors
        assert found == ["Odmowa."]


@pytest.fixture
def form_page(app):
    """A page template with a ``content`` block, for the round trip alone."""
    loader = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader([DictLoader({"test/form.html": (
        "<p>page</p>{% block content %}{{ form.code.errors|join }}{{ form.form_errors|join }}{% endblock %}")}),
        loader])
    yield "test/form.html"
    app.jinja_env.loader = loader


def test_form_round_trip_refusal_answers_422_and_success_redirects(app, form_page):
    def refuse():
        raise DomainError("Kod jest zajęty.", "code")

    with app.test_request_context(method="POST", data={"name": "x", "code": "A"}):
        body, status = form_round_trip(_Form(), form_page, refuse, "/dalej", "Zapisano.")
        assert status == 422 and body == "<p>page</p>Kod jest zajęty."
    with app.test_request_context(method="POST", data={"name": "x"}, headers={"HX-Request": "true"}):
        body, status = form_round_trip(_Form(), form_page, refuse, "/dalej", "Zapisano.", field="name")
        assert status == 422 and body == "Kod jest zajęty."
    with app.test_request_context(method="POST", data={"name": "x"}, headers={"HX-Request": "true"}):
        resp = form_round_trip(_Form(), form_page, lambda: 7, lambda n: f"/obiekt/{n}",
                               lambda n: f"Zapisano {n}.")
        assert resp.status_code == 204 and resp.headers["HX-Redirect"] == "/obiekt/7"
        assert get_flashed_messages() == ["Zapisano 7."]



def test_hx_redirect_to_the_same_page_reloads_it(app):
    from coordination.htmx import hx_redirect

    here = {"HX-Request": "true", "HX-Current-URL": "http://localhost/r/protokol?strona=2#x"}
    with app.test_request_context(method="POST", headers=here):
        same = hx_redirect("/r/protokol?strona=2#uwagi")
        other_page = hx_redirect("/r/protokol?strona=3")
    assert same.headers["HX-Refresh"] == "true" and "HX-Redirect" not in same.headers
    assert other_page.headers["HX-Redirect"] == "/r/protokol?strona=3" and "HX-Refresh" not in other_page.headers
    with app.test_request_context(method="POST", headers={"HX-Request": "true"}):  # no current URL sent
        assert hx_redirect("/r/protokol").headers["HX-Redirect"] == "/r/protokol"
    with app.test_request_context(method="POST"):  # without htmx: 303 as always
        assert hx_redirect("/r/protokol#uwagi").status_code == 303


def test_labels_give_choices_and_reach_templates(app):
    kinds = Labels({"a": "Pierwszy", "b": "Drugi"})
    assert [(c.value, c.label) for c in kinds.choices(["b", "a"])] == [("b", "Drugi"), ("a", "Pierwszy")]
    with app.test_request_context():
        assert app.jinja_env.globals["labels"] is LABELS
        assert {"auth", "workgroups", "owes", "national", "surveys", "notifications", "exports"} <= set(LABELS)
        rendered = app.jinja_env.from_string("{{ labels.auth.role['coordinator'] }}").render()
    assert rendered == "Koordynator"  # Polish by default


def test_paginate_list_slices_the_requested_page(app):
    app.config["PER_PAGE"], before = 2, app.config["PER_PAGE"]
    try:
        with app.test_request_context("/?page=2"):
            page = paginate_list(list(range(5)))
    finally:
        app.config["PER_PAGE"] = before
    assert (page.items, page.total, page.pages, page.has_next) == ([2, 3], 5, 3, True)
