"""What the fuzzing lane sends requests to: forms found on rendered pages, query parameters the
views read, and the fields of the WTForms classes (for routes no rendered page links to)."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from wtforms import fields as wtf

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("coordination", "tenants", "workgroups", "surveys", "owes", "national")
#: how the views read query parameters (``request.args.get("q")``, ``int_arg("page")``).
_ARG_RE = re.compile(r"""(?:request\.args\.get(?:list)?|int_arg)\(\s*["']([^"']+)["']""")


@dataclass(frozen=True)
class Field:
    """One input of a form: ``kind`` picks the strategy (text, number, date, select, ...)."""

    name: str
    kind: str
    options: tuple[str, ...] = ()
    multiple: bool = False


@dataclass
class FormSpec:
    method: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)
    multipart: bool = False


_INPUT_KINDS = {"number": "number", "date": "date", "datetime-local": "datetime", "time": "time",
                "email": "email", "checkbox": "checkbox", "radio": "select", "file": "file",
                "hidden": "hidden", "password": "password", "url": "text", "tel": "text",
                "search": "text", "text": "text"}


class FormParser(HTMLParser):
    """``<form>``s of a page (and ``hx-post`` buttons outside forms) with their fields."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[FormSpec] = []
        self._form: FormSpec | None = None
        self._select: str | None = None
        self._select_multiple = False
        self._options: list[str] = []
        self._radios: dict[str, list[str]] = {}

    def _add(self, f: Field) -> None:
        if self._form is None or not f.name:
            return
        old = self._form.fields.get(f.name)
        if old is not None and old.kind == "select" and f.kind == "select":
            f = Field(f.name, "select", old.options + f.options, old.multiple or f.multiple)
        self._form.fields[f.name] = f

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            method = (a.get("method") or ("post" if a.get("hx-post") else "get")).upper()
            action = a.get("hx-post") or a.get("action") or a.get("hx-get") or self.page_url
            self._form = FormSpec(method, action,
                                  multipart="multipart" in a.get("enctype", ""))
            self.forms.append(self._form)
        elif tag in ("button", "a") and a.get("hx-post") and self._form is None:
            self.forms.append(FormSpec("POST", a["hx-post"]))
        elif tag == "input":
            kind = _INPUT_KINDS.get(a.get("type", "text"), "text")
            if a.get("name") in ("csrf_token",):
                kind = "csrf"
            if kind == "select":
                self._add(Field(a.get("name", ""), "select", (a.get("value", ""),)))
            elif kind == "checkbox":
                self._add(Field(a.get("name", ""), "checkbox", (a.get("value", "y"),), multiple=True))
            else:
                self._add(Field(a.get("name", ""), kind, (a.get("value", ""),)))
        elif tag == "textarea":
            self._add(Field(a.get("name", ""), "textarea"))
        elif tag == "select":
            self._select, self._options = a.get("name", ""), []
            self._select_multiple = "multiple" in a
        elif tag == "option" and self._select is not None:
            self._options.append(a.get("value", ""))
        elif tag == "button" and a.get("name"):
            self._add(Field(a["name"], "select", (a.get("value", ""),)))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            self._add(Field(self._select, "select", tuple(self._options), self._select_multiple))
            self._select = None


def page_forms(html: str, page_url: str) -> list[FormSpec]:
    parser = FormParser(page_url)
    parser.feed(html)
    out = []
    for form in parser.forms:
        parts = urlsplit(form.action)
        if parts.netloc or not parts.path.startswith("/"):
            continue  # another site, or a relative action (none in this product)
        out.append(form)
    return out


def query_parameters() -> list[str]:
    """Every query parameter some view reads (found in the sources), plus ``page``."""
    names = {"page", "next"}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            names.update(_ARG_RE.findall(path.read_text(encoding="utf-8")))
    return sorted(names)


def _kind_of(field_obj) -> str:
    if isinstance(field_obj, wtf.DecimalField | wtf.FloatField | wtf.IntegerField):
        return "number"
    if isinstance(field_obj, wtf.DateTimeField):
        return "datetime"
    if isinstance(field_obj, wtf.DateField):
        return "date"
    if isinstance(field_obj, wtf.TimeField):
        return "time"
    if isinstance(field_obj, wtf.BooleanField):
        return "checkbox"
    if isinstance(field_obj, wtf.FileField):
        return "file"
    if isinstance(field_obj, wtf.SelectFieldBase):
        return "select"
    if isinstance(field_obj, wtf.TextAreaField):
        return "textarea"
    return "text"


def wtforms_fields(app) -> dict[str, dict[str, Field]]:
    """package -> field name -> Field, from every form class of the package's ``forms``."""
    from coordination.forms import Form

    for package in PACKAGES:
        for candidate in (f"{package}.forms", f"{package}.auth.forms",
                          f"{package}.notifications.forms"):
            try:
                importlib.import_module(candidate)
            except ModuleNotFoundError:
                pass
    out: dict[str, dict[str, Field]] = {p: {} for p in PACKAGES}
    stack = list(Form.__subclasses__())
    seen = set()
    with app.test_request_context():
        while stack:
            cls = stack.pop()
            if cls in seen:
                continue
            seen.add(cls)
            stack.extend(cls.__subclasses__())
            package = cls.__module__.split(".")[0]
            if package not in out:
                continue
            try:
                form = cls(meta={"csrf": False})
            except TypeError:
                continue  # forms built with arguments (choices from the database)
            for f in form:
                options = tuple(str(c[0]) for c in getattr(f, "choices", None) or ()
                                if isinstance(c, tuple | list))
                out[package].setdefault(f.name, Field(f.name, _kind_of(f), options))
    return out
