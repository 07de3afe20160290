"""A person at a browser without JavaScript, over plain HTTP: cookies, forms, answers.

Used by the write benchmark (bench/writes.py) and the crash test (tests/privacy/test_crash.py):
both send what a browser sends — the form's own hidden fields (CSRF token), the buttons it
offers, the options it lists — and read success the way the application answers a form sent
without htmx (303 See Other; a refused form is re-rendered with 422).
"""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit


@dataclass
class Reply:
    status: int
    location: str | None
    body: str


class Failed(Exception):
    """The server answered a step of a flow with something else than the flow expects."""


@dataclass
class Form:
    """The fields of one ``<form>``: what a browser would submit, and the choices it offers."""

    action: str = ""
    hidden: dict[str, str] = field(default_factory=dict)
    #: radio groups and checkbox groups: name -> the values offered, in page order.
    radios: dict[str, list[str]] = field(default_factory=dict)
    checkboxes: dict[str, list[str]] = field(default_factory=dict)
    #: text inputs: name -> ``inputmode`` ("" when none).
    texts: dict[str, str] = field(default_factory=dict)
    #: what text inputs hold when the page is loaded (e.g. a proposed date).
    defaults: dict[str, str] = field(default_factory=dict)
    textareas: list[str] = field(default_factory=list)
    selects: dict[str, list[str]] = field(default_factory=dict)
    #: submit buttons: value -> name.
    buttons: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self, action_part: str) -> None:
        super().__init__()
        self.action_part = action_part
        self.form: Form | None = None
        self._inside = False
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and self.form is None and a.get("method", "").lower() == "post" \
                and self.action_part in a.get("action", ""):
            self.form, self._inside = Form(action=a["action"]), True
            return
        if not self._inside or self.form is None:
            return
        kind, name = a.get("type", "text"), a.get("name")
        if tag == "input" and name:
            if kind == "hidden":
                self.form.hidden[name] = a.get("value", "")
            elif kind == "radio":
                self.form.radios.setdefault(name, []).append(a.get("value", ""))
            elif kind == "checkbox":
                self.form.checkboxes.setdefault(name, []).append(a.get("value", ""))
            elif kind in ("text", "number", "email", "date"):
                self.form.texts[name] = a.get("inputmode", "")
                self.form.defaults[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self.form.textareas.append(name)
        elif tag == "select" and name:
            self._select = name
            self.form.selects[name] = []
        elif tag == "option" and self._select:
            self.form.selects[self._select].append(a.get("value", ""))
        elif tag == "button" and a.get("type", "submit") == "submit" and name:
            self.form.buttons[a.get("value", "")] = name

    def handle_endtag(self, tag):
        if tag == "form" and self._inside:
            self._inside = False
        elif tag == "select":
            self._select = None


def form_on(html: str, action_part: str) -> Form:
    """The first POST form whose ``action`` contains ``action_part``."""
    parser = _FormParser(action_part)
    parser.feed(html)
    if parser.form is None:
        raise Failed(f"no form posting to …{action_part}… on the page")
    return parser.form


class Browser:
    """One person's cookies against one server; redirects are returned, not followed."""

    def __init__(self, base: str, timeout: float = 30) -> None:
        self.host, port = urlsplit(base).netloc.split(":")
        self.port, self.timeout = int(port), timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | list | None = None) -> Reply:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";")[0]
            location = response.getheader("Location")
            return Reply(response.status, urlsplit(location)._replace(scheme="", netloc="").geturl()
                         if location else None, text)
        finally:
            conn.close()

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, data: dict | list) -> Reply:
        return self.request("POST", path, data)

    def login(self, email: str, password: str) -> None:
        """The login form, as a person fills it (CSRF token from the page)."""
        page = self.get("/login")
        data = {**form_on(page.body, "/login").hidden, "email": email, "password": password}
        reply = self.post("/login", data)
        if reply.status not in (302, 303):
            raise Failed(f"login as {email}: HTTP {reply.status}")
        self.get(reply.location or "/")  # shows (and so clears) the "signed in" message


def expect_redirect(reply: Reply, what: str) -> str:
    """The Location of a 303 (a form accepted without htmx), or :class:`Failed`."""
    if reply.status != 303 or not reply.location:
        found = re.findall(r'<p class="error"[^>]*>(.*?)</p>', reply.body, re.S)
        raise Failed(f"{what}: HTTP {reply.status} {' '.join(found)}".strip())
    return reply.location


def survey_answers(form: Form, variant: int) -> list[tuple[str, str]]:
    """Answers to one questionnaire page: respondent ``variant`` picks option
    ``(variant + question) mod n`` of every question (never the "other" option, which would
    need its text), a number where a number is asked, and writes in every third open field."""
    data = list(form.hidden.items())
    others = set(form.texts)
    for i, (name, values) in enumerate(form.radios.items()):
        plain = [v for v in values if f"{name}-{v}" not in others]
        data.append((name, plain[(variant + i) % len(plain)]))
    for i, (name, values) in enumerate(form.checkboxes.items()):
        plain = [v for v in values if f"{name}-{v}" not in others]
        data.append((name, plain[(variant + i) % len(plain)]))
    for name, mode in form.texts.items():
        if mode == "decimal":
            data.append((name, str(variant % 7)))
    for name in form.textareas:
        if variant % 3 == 0:
            data.append((name, f"Uwagi respondenta {variant}: współpraca przebiega dobrze."))
    return data


def submit_survey(person: Browser, token: str, variant: int) -> int:
    """Open the token link, answer every page, submit. Returns the number of requests made;
    raises :class:`Failed` unless the questionnaire was accepted (the last POST's 303)."""
    location = expect_redirect(person.get(f"/ankieta/{token}"), "token link")
    requests = 1
    page = person.get(location if "strona=" in location else "/ankieta?strona=1")
    requests += 1
    while True:
        if page.status != 200:
            raise Failed(f"questionnaire page: HTTP {page.status}")
        form = form_on(page.body, "/ankieta")
        action = "submit" if "submit" in form.buttons else "next"
        reply = person.post(form.action, [*survey_answers(form, variant), ("action", action)])
        requests += 1
        location = expect_redirect(reply, f"survey page {form.action} ({action})")
        if action == "submit":
            return requests
        page = person.get(location)
        requests += 1
