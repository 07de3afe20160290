"""Throwaway databases and gunicorn servers for the bench.

PostgreSQL (default): one throwaway cluster (tests/pgcluster.py), one database per data scale.
SQLite (``BENCH_DB=sqlite``): one file per scale in a temporary directory. Each database is
migrated with ``flask db upgrade heads`` and filled with ``flask seed-synthetic --scale N``;
then gunicorn serves it on loopback with ``SIECES_BENCH=true``.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Databases:
    """Creates one empty database per label; cleans everything up on :meth:`close`."""

    def __init__(self, kind: str) -> None:
        if kind not in ("postgresql", "sqlite"):
            raise SystemExit(f"BENCH_DB must be postgresql or sqlite, not {kind!r}")
        self.kind = kind
        self.tmp = tempfile.TemporaryDirectory(prefix="sieci-bench-")
        self.cluster = None
        self.server = None
        if kind == "postgresql":
            from tests import pgcluster

            self.server = os.environ.get("SIECES_TEST_DATABASE_URL")
            if not self.server:
                self.cluster = pgcluster.Cluster()
                self.server = self.cluster.start()

    def create(self, label: str) -> str:
        if self.kind == "sqlite":
            return "sqlite:///" + os.path.join(self.tmp.name, f"bench-{label}.sqlite")
        from tests import pgcluster

        return pgcluster.create_database(self.server, f"sieci_bench_{label}")

    def close(self) -> None:
        if self.cluster is not None:
            self.cluster.stop()
        self.tmp.cleanup()


def flask(url: str, *args: str) -> str:
    """Run ``flask --app wsgi ARGS`` against database ``url``; return its output."""
    env = {**os.environ, "SIECES_DATABASE_URL": url, "SIECES_SECRET_KEY": secrets.token_hex(16)}
    done = subprocess.run([os.path.join(BIN, "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@dataclass
class Server:
    """gunicorn with sync workers on a loopback port, in bench mode."""

    url: str
    workers: int
    per_page: int
    log_dir: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    #: more settings of this server (e.g. ``SIECES_CLOCK_START`` for the write benchmark).
    env: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, "SIECES_DATABASE_URL": self.url, "SIECES_BENCH": "true",
               "SIECES_PER_PAGE": str(self.per_page), "SIECES_SECRET_KEY": secrets.token_hex(16),
               **self.env}
        log = open(os.path.join(self.log_dir, f"gunicorn-{self.port}.log"), "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [os.path.join(BIN, "gunicorn"), "--workers", str(self.workers), "--worker-class", "sync",
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning", "wsgi:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(self.base, "/healthz").status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start (see {log.name})")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    cookies: dict[str, str]


def _request(base: str, method: str, path: str, cookie: str | None = None,
             body: str | None = None, extra: dict[str, str] | None = None) -> Reply:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    headers.update(extra or {})
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        cookies = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookies[key] = rest.split(";")[0]
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data, cookies)
    finally:
        conn.close()


def get(base: str, path: str, cookie: str | None = None, extra: dict[str, str] | None = None) -> Reply:
    return _request(base, "GET", path, cookie, extra=extra)


def login(base: str, email: str, password: str) -> str:
    """Log in through the real form; return the ``Cookie`` header value of the session."""
    form = get(base, "/login")
    found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', form.body)
    if form.status != 200 or not found or "session" not in form.cookies:
        raise RuntimeError(f"login form not usable (status {form.status})")
    cookie = f"session={form.cookies['session']}"
    reply = _request(base, "POST", "/login", cookie, urlencode(
        {"csrf_token": found.group(1).decode(), "email": email, "password": password}))
    if reply.status not in (302, 303) or "session" not in reply.cookies:
        raise RuntimeError(f"login as {email} failed (status {reply.status})")
    cookie = f"session={reply.cookies['session']}"
    # follow the redirect once, as a browser does: it shows (and so removes from the session)
    # the "signed in" message, which would otherwise appear on every measured page
    landing = get(base, urlsplit(reply.headers["location"]).path or "/", cookie)
    if "session" in landing.cookies:
        cookie = f"session={landing.cookies['session']}"
    return cookie
