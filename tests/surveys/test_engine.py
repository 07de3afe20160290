"""The questionnaire engine: reading form values, validation, visibility, answer rows."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from werkzeug.datastructures import MultiDict

from surveys import engine


def q(kind, code="X-01", **kw):
    base = dict(code=code, kind=kind, text="Pytanie", required=False, options=None, items=None,
                allow_other=False, min_value=None, max_value=None, max_length=None, show_if=None)
    base.update(kw)
    return SimpleNamespace(**base)


OPTS = [{"code": "A", "label": "a"}, {"code": "B", "label": "b"}]


@pytest.fixture(autouse=True)
def _ctx(app):
    with app.test_request_context():
        yield


def test_likert_values_and_dont_know():
    question = q("likert", required=True)
    assert engine.validate(question, None, enforce_required=True) == "Prosimy odpowiedzieć na to pytanie."
    assert engine.validate(question, None, enforce_required=False) is None
    assert engine.validate(question, "6", enforce_required=True)
    assert engine.validate(question, "dk", enforce_required=True) is None
    assert engine.answer_rows(question, "dk") == [{"item": "", "num": None, "choice": "dk", "text": None}]
    assert engine.answer_rows(question, "4")[0]["num"] == 4.0


def test_single_choice_with_other():
    question = q("single", options=OPTS, allow_other=True, required=True)
    value = engine.read(question, MultiDict({"q-X-01": "other", "q-X-01-other": "  Fundacja  "}))
    assert value == {"choice": "other", "other": "Fundacja"}
    assert engine.validate(question, value, enforce_required=True) is None
    assert engine.validate(question, {"choice": "other", "other": ""}, enforce_required=True)
    assert engine.validate(question, {"choice": "Z", "other": ""}, enforce_required=True)
    assert engine.answer_rows(question, value) == [{"item": "", "num": None, "choice": "other", "text": "Fundacja"}]


def test_multi_choice_rows_one_per_option():
    question = q("multi", options=OPTS, allow_other=True)
    value = engine.read(question, MultiDict([("q-X-01", "A"), ("q-X-01", "B")]))
    assert value == {"choices": ["A", "B"], "other": ""}
    assert [r["choice"] for r in engine.answer_rows(question, value)] == ["A", "B"]
    assert engine.validate(question, {"choices": ["A"], "other": "x"}, enforce_required=False)


def test_number_ranges_accept_comma():
    question = q("number", min_value=0, max_value=10)
    assert engine.validate(question, "3,5", enforce_required=True) is None
    assert engine.answer_rows(question, "3,5")[0]["num"] == 3.5
    assert engine.validate(question, "11", enforce_required=True)
    assert engine.validate(question, "-1", enforce_required=True)
    assert engine.validate(question, "dużo", enforce_required=True)


def test_text_length_and_control_characters():
    question = q("short_text", max_length=10)
    assert engine.read(question, {"q-X-01": "ab\x00c\x07 "}) == "abc"
    assert engine.validate(question, "x" * 11, enforce_required=False)
    assert engine.validate(question, "x" * 10, enforce_required=False) is None


def test_matrix_requires_every_row_when_required():
    items = [{"code": "M-1", "label": "a"}, {"code": "M-2", "label": "b"}]
    question = q("matrix", items=items, required=True)
    value = engine.read(question, {"q-X-01-M-1": "5"})
    assert value == {"M-1": "5"}
    assert engine.validate(question, value, enforce_required=True)
    assert engine.validate(question, value, enforce_required=False) is None
    rows = engine.answer_rows(question, {"M-1": "5", "M-2": "dk"})
    assert [(r["item"], r["num"], r["choice"]) for r in rows] == [("M-1", 5.0, None), ("M-2", None, "dk")]


def test_conditional_display_and_hidden_required():
    parent = q("single", code="P", options=OPTS)
    child = q("short_text", code="C", required=True, show_if={"code": "P", "values": ["B"]})
    form = MultiDict({"q-P": "A"})
    values, errors = engine.read_page([parent, child], form, {}, enforce_required=True)
    assert errors == {} and "C" not in values
    values, errors = engine.read_page([parent, child], MultiDict({"q-P": "B"}), {}, enforce_required=True)
    assert "C" in errors


def test_codes():
    assert engine.CODE_RE.match("KOM-01")
    assert engine.CODE_RE.match("WLKP-A1")
    assert not engine.CODE_RE.match("kom-01")
    assert not engine.CODE_RE.match("KOM 01")
