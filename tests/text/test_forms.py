"""The base form normalises text and refuses what cannot be stored (issue 14, items 5 and 9)."""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    DecimalField,
    FloatField,
    IntegerField,
    PasswordField,
    StringField,
    TextAreaField,
)

from coordination.forms import Form
from coordination.text import normalize_text, xml_text


class Sample(Form):
    title = StringField()
    body = TextAreaField()
    password = PasswordField()
    hours = DecimalField(places=1)
    share = FloatField()
    count = IntegerField()


def _form(app, **data):
    with app.test_request_context(method="POST"):
        form = Sample(formdata=MultiDict(data), meta={"csrf": False})
        valid = form.validate()
        html = "".join(str(f) for f in form)  # re-rendering an invalid form never fails
        return form, valid, html


def test_text_is_normalised(app):
    form, valid, _html = _form(app, title="Tytu\x0bł\x1b", body="Ad. 1\r\nTekst\rdalej\x0c\tkoniec",
                               password="a\x0bb")
    assert valid
    assert form.title.data == "Tytuł"
    assert form.body.data == "Ad. 1\nTekst\ndalej\tkoniec"
    assert form.password.data == "a\x0bb"  # passwords are compared, never shown: as typed


def test_nul_is_refused_with_a_message(app):
    form, valid, html = _form(app, body="ab\x00c")
    assert not valid
    assert form.body.errors and "NUL" in str(form.body.errors[0])
    assert form.body.data is None


@pytest.mark.parametrize("field", ["hours", "share"])
@pytest.mark.parametrize("value", ["NaN", "nan", "Infinity", "-Infinity", "sNaN", "1e999"])
def test_non_finite_numbers_are_form_errors(app, field, value):
    form, valid, html = _form(app, **{field: value})
    assert not valid, (field, value)
    assert form[field].errors
    assert value in html


@pytest.mark.parametrize("value", ["2147483648", "-2147483649", str(2**64), "9" * 40])
def test_integers_beyond_the_column_are_form_errors(app, value):
    form, valid, _html = _form(app, count=value)
    assert not valid and form.count.errors


def test_decimals_beyond_any_column_are_form_errors(app):
    form, valid, _html = _form(app, hours="1e30")
    assert not valid and form.hours.errors


def test_every_form_of_the_product_derives_from_the_base_form(app):
    import importlib

    from tests.fuzz.crawl import PACKAGES

    for name in ("coordination.auth.forms", "coordination.notifications.forms",
                 *(f"{p}.forms" for p in PACKAGES if p != "coordination")):
        importlib.import_module(name)
    stack, strays = list(FlaskForm.__subclasses__()), []
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PACKAGES and not issubclass(cls, Form):
            strays.append(f"{cls.__module__}.{cls.__qualname__}")
    assert not strays, f"forms not derived from coordination.forms.Form: {strays}"


def test_text_helpers():
    assert normalize_text("a\r\nb\rc\x00\x0b\x1f\td") == "a\nb\nc\td"
    assert xml_text("a\x0b\ufffeb\r\n") == "ab\r\n"
    assert xml_text(5) == 5
