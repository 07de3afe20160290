"""The fuzzing lane: bad input answers 404, 400, 403 or a form error — never 500 — and text
sent in never comes back unescaped.

For each role (one test each, so pytest-xdist spreads them), the isolation world is built
(tests/isolation/world.py) and crawled: every GET route of the own region is rendered, its
``<form>``s parsed (stdlib ``html.parser``) into targets (method, action, fields); POST routes no
page links to get the fields of their package's WTForms classes. Then:

* a fixed corpus (issue 14, item 9): ids beyond 64 bits in every integer URL argument,
  ``?page=`` beyond 64 bits, ``NaN``/``Infinity`` in every field, a JSON body with the CSRF
  header to every form route, a non-ASCII ``next`` on the htmx language switch;
* generated requests (hypothesis, ``derandomize=True``, no example database): every target in
  turn, every field and query parameter drawn from strategies for unicode, huge and negative
  numbers, NaN, empty, control characters, very long strings, wrong types, several values,
  malformed multipart and JSON bodies.

Every response is checked: no 500 (with ``TESTING`` exceptions propagate: they count as 500s
too), and no HTML response contains the marker tag ``<x-fuzz-marker`` unescaped.
``SIECES_FUZZ_REQUESTS`` sets the number of generated requests (default 4,000; the corpus and
the crawl add about 7,000).
"""

from __future__ import annotations

import io
import os
import re
import time
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from tests.fuzz import strategies as fs
from tests.fuzz.crawl import Field, page_forms, query_parameters, wtforms_fields
from tests.fuzz.stats import STATS
from tests.isolation.levels import POST_ONLY, ROLES
from tests.isolation.world import OWN, all_routes, build_url, build_world

pytestmark = pytest.mark.fuzz

#: shares of the generated requests per role; with the corpus (~6,000) and the crawl (~1,000)
#: a run sends about 11,000 requests (measured: ~18 ms of CPU per request on SQLite).
BUDGET = {"anonymous": 500, "member": 1200, "owes": 1300, "national": 1500,
          "coordinator": 2600, "admin": 2400}
SCALE = float(os.environ.get("SIECES_FUZZ_REQUESTS", "4000")) / sum(BUDGET.values())
_CSRF_RE = re.compile(r'"X-CSRFToken":\s*"([^"]+)"')
#: a logout ends the session the rest of the run needs: it is sent once, at the end.
SESSION_ENDERS = ("auth.logout",)


@dataclass
class Target:
    method: str
    url: str
    endpoint: str
    fields: tuple[Field, ...]
    multipart: bool = False


class Fuzzer:
    """One role's client: sends requests, checks responses, keeps the session alive."""

    def __init__(self, app, role, user_id, login):
        self.app, self.role, self.user_id, self.login = app, role, user_id, login
        self.client = app.test_client()
        self.token = ""
        self.failures: list[str] = []
        self.relogin()

    def relogin(self):
        self.client = self.app.test_client()
        if self.user_id is not None:
            self.login(self.client, self.user_id)
        self.send("crawl", "GET", "/konto/powiadomienia" if self.user_id else "/login")

    def send(self, kind: str, method: str, url: str, what: str = "", **kwargs):
        STATS["requests"] += 1
        STATS[kind] += 1
        try:
            response = self.client.open(url, method=method, **kwargs)
        except Exception as exc:  # noqa: BLE001 - TESTING propagates what would be a 500
            STATS["errors"] += 1
            self.failures.append(f"{self.role} {method} {url} {what}: {type(exc).__name__}: {exc}"[:400])
            return None
        if response.status_code >= 500:
            STATS["errors"] += 1
            self.failures.append(f"{self.role} {method} {url} {what}: {response.status_code}"[:400])
        if response.mimetype == "text/html":
            body = response.get_data(as_text=True)
            if fs.MARKER_RAW in body:
                STATS["unescaped"] += 1
                self.failures.append(f"{self.role} {method} {url} {what}: marker unescaped")
            token = _CSRF_RE.search(body)
            if token:
                self.token = token.group(1)
        return response

    def alive(self):
        """Log in again when a request ended the session (password change, deactivation...)."""
        if self.user_id is None:
            return
        with self.client.session_transaction() as sess:
            if sess.get("_user_id"):
                return
        self.relogin()


def _endpoint(app, url: str, method: str) -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(url.split("?")[0], method=method)
    except Exception:  # noqa: BLE001 - 404/405/redirect: not a route of this method
        return None
    return endpoint


def crawl(app, fuzzer: Fuzzer, objects: dict) -> list[Target]:
    """Targets of one role: rendered GET pages with the query parameters the views read, the
    forms on them, and POST routes no page offered (fields of their package's form classes)."""
    routes = all_routes()
    params = tuple(Field(name, "number" if name in ("page", "rok", "strona", "pozycja", "grupa")
                         else "text") for name in query_parameters())
    targets: dict[tuple, Target] = {}
    posted = set()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        url = build_url(rule, OWN, objects)
        if "GET" in rule.methods and routes.get(rule.endpoint) != POST_ONLY:
            response = fuzzer.send("crawl", "GET", url, rule.endpoint)
            targets[("GET", rule.endpoint)] = Target("GET", url, rule.endpoint, params)
            if response is None or response.status_code != 200 or response.mimetype != "text/html":
                continue
            for form in page_forms(response.get_data(as_text=True), url):
                endpoint = _endpoint(app, form.action, form.method)
                if endpoint is None or endpoint in SESSION_ENDERS:
                    continue
                key = (form.method, endpoint, tuple(sorted(form.fields)))
                if key not in targets:
                    fields = tuple(form.fields.values()) + (params if form.method == "GET" else ())
                    targets[key] = Target(form.method, form.action, endpoint, fields, form.multipart)
                    posted.add(endpoint)
    by_package = wtforms_fields(app)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "POST" not in rule.methods or rule.endpoint in posted or rule.endpoint in SESSION_ENDERS:
            continue
        package = app.view_functions[rule.endpoint].__module__.split(".")[0]
        fields = tuple(by_package.get(package, {}).values())
        targets[("POST", rule.endpoint)] = Target("POST", build_url(rule, OWN, objects),
                                                  rule.endpoint, fields, True)
    return list(targets.values())


def _csrf(fuzzer, field: Field, value):
    return fuzzer.token if field.kind == "csrf" else value


def _payload(fuzzer: Fuzzer, target: Target, values: dict, kind: str, htmx: bool) -> dict:
    """``client.open`` keyword arguments for ``target`` with ``values`` sent as ``kind``."""
    headers = {"X-CSRFToken": fuzzer.token}
    if htmx:
        headers["HX-Request"] = "true"
    if target.method == "GET":
        return {"query_string": values, "headers": headers}
    if kind == "json":
        return {"json": values.get("__json__", values), "headers": headers}
    if kind == "broken":
        body = values.get("__raw__", b"--xx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb")
        ctype = "multipart/form-data; boundary=xx" if b"--xx" in body else \
            "application/x-www-form-urlencoded"
        return {"data": body, "content_type": ctype, "headers": headers}
    data = {}
    for name, value in values.items():
        if name.startswith("__"):
            continue
        data[name] = value
    if kind == "multipart" or target.multipart or any(isinstance(v, tuple) for v in data.values()):
        return {"data": data, "content_type": "multipart/form-data", "headers": headers}
    return {"data": data, "headers": headers}


def _file(payload: bytes, name: str):
    return (io.BytesIO(payload), name)


#: stands for the CSRF token of the moment in generated values.
CSRF = "\ue000csrf"


@st.composite
def request_values(draw, target: Target):
    """Values for the fields of ``target`` (a random subset of them, sometimes extra ones)."""
    kind = draw(fs.body_kind) if target.method == "POST" else "form"
    values: dict = {}
    fields = target.fields
    if target.method == "GET":  # a few of the query parameters the views read
        fields = draw(st.lists(st.sampled_from(fields), max_size=3, unique=True)) if fields else ()
    for field in fields:
        if field.kind == "csrf":
            values[field.name] = draw(st.sampled_from([CSRF] * 9 + ["", "x"]))
            continue
        if field.kind == "file":
            if draw(st.booleans()):
                values[field.name] = _file(draw(fs.file_payload), draw(fs.filename))
            continue
        strategy = fs.for_kind(field.kind, field.options)
        if kind == "repeat" or field.multiple:
            values[field.name] = draw(st.lists(strategy, max_size=4))
        else:
            values[field.name] = draw(strategy)
    if draw(st.integers(0, 9)) == 0:
        values[draw(fs.anything.filter(bool))] = draw(fs.anything)
    if kind == "json":
        values["__json__"] = draw(st.one_of(fs.json_body, st.just({k: v for k, v in values.items()
                                                                  if isinstance(v, str)})))
    if kind == "broken":
        values["__raw__"] = draw(st.one_of(
            st.binary(max_size=200),
            st.sampled_from([b"--xx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb",
                             b"--xx\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n",
                             b"%%%&&==%ZZ&a=%00", b"--xx--"])))
    return kind, draw(st.booleans()), values


def corpus(app, fuzzer: Fuzzer, targets: list[Target], objects: dict):
    """The fixed cases of issue 14 (item 9) for every route and target of the role."""
    huge = (str(2**64), str(10**30))
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule) if fuzzer.role == "coordinator" else ():
        int_args = [a for a, c in rule._converters.items() if isinstance(c, IntegerConverter)]
        for arg in int_args:
            for value in huge:
                url = build_url(rule, OWN, {**objects, arg: value})
                method = "GET" if "GET" in rule.methods else "POST"
                fuzzer.send("corpus", method, url, f"{arg}={value}",
                            data={"csrf_token": fuzzer.token} if method == "POST" else None)
    for target in targets:
        if target.method == "GET":
            for value in (str(2**64), "NaN"):
                fuzzer.send("corpus", "GET", target.url, "page", query_string={"page": value})
            continue
        for value in ("NaN", "Infinity", "1" * 25, "a\x0bb\x00", fs.MARKER):
            data = {f.name: (fuzzer.token if f.kind == "csrf" else value) for f in target.fields
                    if f.kind != "file"}
            fuzzer.send("corpus", "POST", target.url, f"all fields {value!r}", data=data)
            fuzzer.alive()
        fuzzer.send("corpus", "POST", target.url, "json body", json=[{"csrf_token": fuzzer.token}],
                    headers={"X-CSRFToken": fuzzer.token})
        fuzzer.alive()
    for nxt in ("/ścieżka?ą=ę", "/kraj\u2028", "/a\r\nb", "//x", "/" + "ż" * 3000):
        fuzzer.send("corpus", "POST", "/jezyk", f"next={nxt!r}",
                    data={"lang": "pl", "next": nxt, "csrf_token": fuzzer.token},
                    headers={"HX-Request": "true", "X-CSRFToken": fuzzer.token})
        fuzzer.alive()


def generator(fuzzer: Fuzzer, examples: int):
    """``run(target)``: ``examples`` generated requests to ``target``; one hypothesis run per
    target (so the strategy is the same for every example of a run), one decorated function."""
    current: list[Target] = []

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def one_request(data):
        target = current[0]
        kind, htmx, values = data.draw(request_values(target))
        values = {k: fuzzer.token if v == CSRF else v for k, v in values.items()}
        kwargs = _payload(fuzzer, target, values, kind, htmx)
        fuzzer.send("generated", target.method, target.url, f"[{kind}] {str(values)[:200]!r}",
                    **kwargs)
        fuzzer.alive()

    def run(target: Target) -> None:
        current[:] = [target]
        one_request()

    return run


@pytest.fixture
def world(app, tenants, make_user):
    return build_world(app, tenants, make_user)


@pytest.mark.parametrize("role", ROLES)
def test_fuzz(app, world, login, role):
    started = time.perf_counter()
    users, objects = world
    fuzzer = Fuzzer(app, role, users.get(role), login)
    targets = crawl(app, fuzzer, objects[OWN])
    assert targets, "the crawl found nothing to fuzz"
    corpus(app, fuzzer, targets, objects[OWN])
    # the generated requests: every target in turn (state-changing ones last in each round).
    targets.sort(key=lambda t: (t.method == "POST", any(w in t.endpoint for w in (
        "delete", "remove", "end", "close", "deactivate", "cancel", "sign", "revoke")), t.url))
    per_target = max(1, round(BUDGET[role] * SCALE / len(targets)))
    run = generator(fuzzer, per_target)
    for target in targets:
        run(target)
    STATS["seconds"] += time.perf_counter() - started
    assert not fuzzer.failures, f"{len(fuzzer.failures)} failures:\n" + "\n".join(fuzzer.failures[:60])
