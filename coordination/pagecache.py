"""Rendered-page cache for signed-in GET pages, invalidated by a database-wide data generation.

Why: most requests re-read pages nobody changed (a coordinator going back to the group page,
htmx sections, a consultant switching between regions). Rendering them costs queries and
templates; serving the same bytes again costs a dictionary lookup.

How it stays correct (DESIGN.md: "no in-process cache without a shared invalidation story"):

* **One counter in the database** (``data_generation``, one row). Every transaction that
  executed an INSERT/UPDATE/DELETE on this engine that changed rows — web request, scheduler,
  CLI, seed — increments it just before it commits, inside the same transaction (a job that
  claimed nothing, or the scheduler's heartbeat, leaves it alone). Any data change, in any
  process, therefore moves every worker to a new generation and their cached pages stop
  matching.
* **Read together with the account**: the user loader reads the generation in the same
  statement as the account and its memberships (no extra query), so the permissions and the
  generation come from one snapshot and the page's own queries run after both.
* **Per user and per request shape**: the key holds the generation, the account (id and
  session version), the locale, host, full path with query string, every ``HX-*`` header and
  the current minute of the app clock (time-relative wording — "overdue", "in 3 days" — never
  lags more than a minute; the entry also expires after ``PAGE_CACHE_SECONDS``).
* **Only what is safe to replay**: GET, signed in, no pending flash messages, status 200,
  ``text/html``, not streamed, no cookie set, the session not changed by the view and no write
  executed by the request (a GET that records an audit entry is rendered every time).
* **CSRF tokens are not shared**: the request's token is replaced by a marker when storing and
  the current session's token is put back on every hit.

The tenant guard and every ``before_request`` hook still run on a hit; the view itself (and
the permission check inside it) is skipped only when the same account, at the same data
generation, already received this exact page. Set ``SIECES_PAGE_CACHE_SECONDS=0`` to disable.
Each response that was eligible carries ``X-Page-Cache: hit`` or ``miss``.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass

from cachetools import TTLCache
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import DDL, BigInteger, Column, Integer, Table, event, inspect, select

from coordination.clock import utcnow
from coordination.extensions import db

#: the one row holding the data generation.
data_generation = Table(
    "data_generation",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("value", BigInteger, nullable=False, default=0),
    comment="Incremented by every transaction that changes data (page-cache invalidation).",
)
event.listen(data_generation, "after_create",
             DDL("INSERT INTO data_generation (id, value) VALUES (1, 0)"))

_BUMP = "UPDATE data_generation SET value = value + 1 WHERE id = 1"
#: statements that change data (DDL is left out: migrations restart the processes anyway).
_WRITE = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|MERGE|TRUNCATE|REPLACE)\b", re.IGNORECASE)
#: writes to tables no cached page reads (only ``/healthz`` shows the heartbeat).
_QUIET = re.compile(r"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?scheduler_heartbeat\b", re.IGNORECASE)
_DDL = re.compile(r"\s*(?:DROP|ALTER|CREATE)\b", re.IGNORECASE)
#: placeholder for the request's CSRF token inside a stored page.
_CSRF_MARK = "\x00sieci-csrf\x00"
#: request header honoured in bench mode only: render the page even when it is cached.
BENCH_BYPASS_HEADER = "X-Bench-Page-Cache"
STATUS_HEADER = "X-Page-Cache"
_MAX_BODY = 500_000


def generation_column():
    """A scalar subquery with the current data generation, to add to the user loader's
    statement (so reading it costs no extra round trip)."""
    return select(data_generation.c.value).where(data_generation.c.id == 1).scalar_subquery()


def remember_generation(value: int | None) -> None:
    """Called by the user loader with the generation read alongside the account."""
    if has_request_context():
        g.data_generation = value


# --- invalidation: every committed write moves the generation -----------------------------

def _note_write(conn, cursor, statement, _parameters, _context, _executemany) -> None:
    if _WRITE.match(statement):
        # a write that changed no row (a job claiming nothing) or only technical rows no page
        # shows (the scheduler's heartbeat) leaves the generation alone
        if cursor.rowcount != 0 and not statement.startswith(_BUMP) and not _QUIET.match(statement):
            conn.info["sieci_wrote"] = True
            if has_request_context():
                g.page_cache_wrote = True
    elif _DDL.match(statement):
        _READY.discard(id(conn.engine))  # a migration may have dropped the table: look again


def _bump_on_commit(conn) -> None:
    if not conn.info.pop("sieci_wrote", False):
        return
    if not _generation_table_ready(conn):
        return  # migrating a database that does not have the table yet
    conn.exec_driver_sql(_BUMP)


def _forget_on_rollback(conn) -> None:
    conn.info.pop("sieci_wrote", None)


_READY: set[int] = set()


def _generation_table_ready(conn) -> bool:
    key = id(conn.engine)
    if key in _READY:
        return True
    if inspect(conn).has_table("data_generation"):
        _READY.add(key)
        return True
    return False


def install_invalidation(engine) -> None:
    """Listen on ``engine``: note writes, bump the generation inside the committing
    transaction, forget on rollback."""
    if event.contains(engine, "after_cursor_execute", _note_write):
        return
    event.listen(engine, "after_cursor_execute", _note_write)
    event.listen(engine, "commit", _bump_on_commit)
    event.listen(engine, "rollback", _forget_on_rollback)
    event.listen(engine.pool, "checkin", _forget_on_checkin)


def _forget_on_checkin(_dbapi_connection, record) -> None:
    if record is not None:
        record.info.pop("sieci_wrote", None)


def current_generation() -> int | None:
    """The generation as stored now (tests, operators)."""
    return db.session.execute(select(data_generation.c.value).where(data_generation.c.id == 1)).scalar()


# --- the cache -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Entry:
    body: str
    headers: tuple[tuple[str, str], ...]
    has_token: bool
    vary_hx: bool


class PageCache:
    """A size-bounded (characters of HTML), expiring, thread-safe map of rendered pages, one
    per worker process; the least recently used pages go first when it is full."""

    def __init__(self, max_chars: int, seconds: float) -> None:
        self._data: TTLCache = TTLCache(maxsize=max_chars, ttl=seconds,
                                        getsizeof=lambda entry: len(entry.body) + 500)
        self._lock = threading.Lock()

    def get(self, key) -> _Entry | None:
        with self._lock:
            return self._data.get(key)

    def put(self, key, entry: _Entry) -> None:
        with self._lock:
            self._data[key] = entry

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)


def _cache() -> PageCache:
    return current_app.extensions["sieci_page_cache"]


def _key():
    """The cache key of this request, or None when the request must be rendered."""
    config = current_app.config
    if not config["PAGE_CACHE_SECONDS"] or request.method != "GET":
        return None
    if config["BENCH"] and request.headers.get(BENCH_BYPASS_HEADER) == "off":
        return None
    if not current_user.is_authenticated or session.get("_flashes"):
        return None
    generation = g.get("data_generation")
    if generation is None:
        return None
    hx = tuple(sorted((k, v) for k, v in request.headers.items() if k.lower().startswith("hx-")))
    minute = utcnow().replace(second=0, microsecond=0)
    return (generation, current_user.id, current_user.session_version, str(get_locale()),
            request.host, request.full_path, hx, minute)


def _entry_from(response) -> _Entry | None:
    """What to keep of a freshly rendered response, or None when it must not be replayed."""
    if (response.status_code != 200 or response.mimetype != "text/html" or response.is_streamed
            or response.direct_passthrough or "Set-Cookie" in response.headers
            or session.modified or g.get("page_cache_wrote")):
        return None
    body = response.get_data(as_text=True)
    if len(body) > _MAX_BODY:
        return None
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    has_token = bool(token) and token in body
    if has_token:
        body = body.replace(token, _CSRF_MARK)
    headers = tuple((k, v) for k, v in response.headers.items() if k not in ("Content-Length", "Set-Cookie"))
    return _Entry(body, headers, has_token, bool(g.get("vary_hx")))


def _replay(entry: _Entry):
    body = entry.body.replace(_CSRF_MARK, generate_csrf()) if entry.has_token else entry.body
    g.vary_hx = entry.vary_hx
    response = current_app.response_class(body, status=200, headers=list(entry.headers))
    response.headers[STATUS_HEADER] = "hit"
    return response


def cached(view):
    """Wrap a GET view with the page cache (see the module docstring)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        key = _key()
        if key is None:
            return view(*args, **kwargs)
        entry = _cache().get(key)
        if entry is not None:
            return _replay(entry)
        g.page_cache_wrote = False
        response = current_app.make_response(view(*args, **kwargs))
        entry = _entry_from(response)
        if entry is not None:
            _cache().put(key, entry)
            response.headers[STATUS_HEADER] = "miss"
        return response

    wrapper._page_cached = True
    return wrapper


#: endpoints never wrapped (no session, or not pages).
_SKIP = {"static", "bench.fortunes", "core.healthz"}


def init_page_cache(app: Flask) -> None:
    """Create the worker's cache, listen for writes, wrap every GET view."""
    app.extensions["sieci_page_cache"] = PageCache(int(app.config["PAGE_CACHE_MB"] * 1_000_000),
                                                   max(float(app.config["PAGE_CACHE_SECONDS"]), 1.0))
    with app.app_context():
        install_invalidation(db.engine)
    get_endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())}
    for endpoint in get_endpoints - _SKIP:
        view = app.view_functions.get(endpoint)
        if view is None or getattr(view, "_page_cached", False):
            continue
        app.view_functions[endpoint] = cached(view)
