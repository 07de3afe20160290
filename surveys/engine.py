"""The questionnaire engine: reading answers from a form, validating them, visibility, rows.

Pure functions over question objects (anything with the :class:`surveys.models.QuestionFields`
attributes) and a *draft*: ``{code: value}``, JSON-serialisable, where value is

* likert: ``"1"`` … ``"5"`` or ``"dk"``;
* single: ``{"choice": code, "other": text}``;
* multi: ``{"choices": [codes], "other": text}``;
* number: the text typed (validated as a number);
* short_text / long_text: the text;
* matrix: ``{item_code: "1".."5" | "dk"}``.

Form field names: ``q-<code>``, ``q-<code>-<item>`` (matrix), ``q-<code>-other``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from coordination.labels import Labels, register
from surveys.models import DONT_KNOW, OTHER

LIKERT_VALUES = ("1", "2", "3", "4", "5")
#: default length limits of text answers.
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 4000
#: codes: upper-case letters/digits in dash-separated parts, e.g. "KOM-01", "WLKP-A1".
CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{0,9}(-[A-Z0-9]{1,10}){0,3}$")

KIND_LABELS = Labels({
    "likert": _l("Rating scale 1–5 with “hard to say”"),
    "single": _l("Single choice"),
    "multi": _l("Multiple choice"),
    "number": _l("Numeric answer"),
    "short_text": _l("Short text"),
    "long_text": _l("Long text"),
    "matrix": _l("Matrix of rating items"),
})
#: campaign states (see :func:`surveys.models.campaign_status`).
STATUS_LABELS = Labels({"planned": lazy_pgettext("survey status", "planned"),
                       "open": lazy_pgettext("survey status", "open"),
                       "closed": lazy_pgettext("survey status", "closed")})
register("surveys", kind=KIND_LABELS, status=STATUS_LABELS)


def likert_labels() -> dict[str, str]:
    """Labels of the rating scale (translated at call time)."""
    return {
        "1": _("1 – strongly disagree"),
        "2": _("2 – rather disagree"),
        "3": _("3 – neither agree nor disagree"),
        "4": _("4 – rather agree"),
        "5": _("5 – strongly agree"),
        DONT_KNOW: _("hard to say"),
    }


def field_name(code: str, suffix: str | None = None) -> str:
    """Form field name of a question (or of a matrix item / the "other" text)."""
    return f"q-{code}" if suffix is None else f"q-{code}-{suffix}"


def clean_text(value: str | None) -> str:
    """Strip, normalise and drop control characters (keeps new lines and tabs)."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return value.strip()


def read(question, form: Mapping[str, Any]) -> Any:
    """The raw value of ``question`` from a submitted form (``request.form``-like), or None."""
    name = field_name(question.code)
    getlist = getattr(form, "getlist", None)
    if question.kind == "matrix":
        got = {i["code"]: form.get(field_name(question.code, i["code"])) for i in question.items or ()}
        got = {k: v for k, v in got.items() if v}
        return got or None
    if question.kind == "single":
        choice = form.get(name) or None
        other = clean_text(form.get(field_name(question.code, "other")))
        if choice is None and not other:
            return None
        return {"choice": choice, "other": other}
    if question.kind == "multi":
        raw = getlist(name) if getlist else form.get(name) or []
        choices = [c for c in (raw if isinstance(raw, list) else [raw]) if c]
        other = clean_text(form.get(field_name(question.code, "other")))
        if not choices and not other:
            return None
        return {"choices": choices, "other": other}
    value = clean_text(form.get(name))
    return value or None


def _text_limit(question) -> int:
    if question.max_length:
        return question.max_length
    return SHORT_TEXT_MAX if question.kind == "short_text" else LONG_TEXT_MAX


def _parse_number(value: str) -> float | None:
    try:
        return float(value.replace(" ", "").replace(",", "."))
    except ValueError:
        return None


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number).replace(".", ",")


def _option_codes(question) -> set[str]:
    return {o["code"] for o in question.options or ()}


def validate(question, value: Any, *, enforce_required: bool) -> str | None:
    """A Polish-first error message for ``value``, or None when it is acceptable."""
    if value is None:
        if enforce_required and question.required:
            return _("Please answer this question.")
        return None
    kind = question.kind
    if kind == "likert":
        if value not in (*LIKERT_VALUES, DONT_KNOW):
            return _("Choose one of the options.")
    elif kind == "matrix":
        items = {i["code"] for i in question.items or ()}
        if not isinstance(value, dict) or any(k not in items or v not in (*LIKERT_VALUES, DONT_KNOW)
                                              for k, v in value.items()):
            return _("Choose one of the options in each row.")
        if enforce_required and question.required and set(value) != items:
            return _("Please answer every row.")
    elif kind == "single":
        choice, other = value.get("choice"), value.get("other", "")
        if choice is not None and choice not in _option_codes(question) | ({OTHER} if question.allow_other else set()):
            return _("Choose one of the options.")
        if choice == OTHER and not other:
            return _("Please specify your “other” answer.")
        if choice is None and other:
            return _("Select “other” if you want to specify another answer.")
        if len(other) > SHORT_TEXT_MAX:
            return _("The answer may have at most %(max)d characters.", max=SHORT_TEXT_MAX)
        if enforce_required and question.required and choice is None:
            return _("Please answer this question.")
    elif kind == "multi":
        choices, other = value.get("choices", []), value.get("other", "")
        allowed = _option_codes(question) | ({OTHER} if question.allow_other else set())
        if any(c not in allowed for c in choices):
            return _("Choose from the options listed.")
        if OTHER in choices and not other:
            return _("Please specify your “other” answer.")
        if OTHER not in choices and other:
            return _("Select “other” if you want to specify another answer.")
        if len(other) > SHORT_TEXT_MAX:
            return _("The answer may have at most %(max)d characters.", max=SHORT_TEXT_MAX)
    elif kind == "number":
        number = _parse_number(value)
        if number is None:
            return _("Enter a number, e.g. 12 or 3,5.")
        if question.min_value is not None and number < question.min_value:
            return _("Enter a number not smaller than %(min)s.", min=_fmt(question.min_value))
        if question.max_value is not None and number > question.max_value:
            return _("Enter a number not greater than %(max)s.", max=_fmt(question.max_value))
    elif kind in ("short_text", "long_text"):
        limit = _text_limit(question)
        if len(value) > limit:
            return _("The answer may have at most %(max)d characters (now %(n)d).", max=limit, n=len(value))
    return None


def is_visible(question, draft: Mapping[str, Any]) -> bool:
    """Conditional display: shown unless ``show_if`` names an answer that was not given."""
    cond = question.show_if
    if not cond:
        return True
    given = draft.get(cond.get("code"))
    wanted = set(cond.get("values") or ())
    if given is None:
        return False
    if isinstance(given, dict):
        chosen = set(given.get("choices") or ()) | ({given["choice"]} if given.get("choice") else set())
        return bool(chosen & wanted)
    return given in wanted


def read_page(questions: Iterable, form: Mapping[str, Any], draft: Mapping[str, Any],
              *, enforce_required: bool) -> tuple[dict[str, Any], dict[str, str]]:
    """Read and validate one page: ``(values by code, errors by code)``.

    Values of invalid answers are kept (so the form re-renders them); hidden questions are
    dropped from the values.
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    questions = list(questions)
    merged = dict(draft)
    for q in questions:
        merged[q.code] = read(q, form)
    for q in questions:
        if not is_visible(q, merged):
            continue
        value = merged[q.code]
        error = validate(q, value, enforce_required=enforce_required)
        if error:
            errors[q.code] = error
        if value is not None:
            values[q.code] = value
    return values, errors


def answer_rows(question, value: Any) -> list[dict[str, Any]]:
    """Rows of :class:`surveys.models.Answer` (without ids) for one valid answer."""
    if value is None:
        return []
    kind = question.kind

    def rating(v: str, item: str = "") -> dict[str, Any]:
        if v == DONT_KNOW:
            return {"item": item, "num": None, "choice": DONT_KNOW, "text": None}
        return {"item": item, "num": float(v), "choice": None, "text": None}

    if kind == "likert":
        return [rating(value)]
    if kind == "matrix":
        order = [i["code"] for i in question.items or ()]
        return [rating(value[c], c) for c in order if c in value]
    if kind == "single":
        if value.get("choice") is None:
            return []
        text = value.get("other") if value["choice"] == OTHER else None
        return [{"item": "", "num": None, "choice": value["choice"], "text": text or None}]
    if kind == "multi":
        return [{"item": "", "num": None, "choice": c,
                 "text": (value.get("other") or None) if c == OTHER else None}
                for c in value.get("choices", [])]
    if kind == "number":
        return [{"item": "", "num": _parse_number(value), "choice": None, "text": None}]
    return [{"item": "", "num": None, "choice": None, "text": value}]
