"""Profile the key pages in-process on the bench's synthetic data (docs/bench.md, "Profiling").

``python -m bench.profile [--db URL | --scale N] [--page NAME ...] [--requests 200] [--top 20]``

Without ``--db`` it creates a database like ``make bench`` does (PostgreSQL throwaway cluster,
or SQLite with ``BENCH_DB=sqlite``), migrates it and seeds ``--scale`` (1 by default); with
``--db`` it uses that database as it is (seeded earlier, so repeated profiling is quick). Each
key page is requested through the Flask test client as the bench's account (logged in through
the real form), warmed up, then requested ``--requests`` times under cProfile; the top entries by
own time (and by cumulative time with ``--sort cumulative``) are printed per page.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import time

from bench import config
from bench.server import Databases, flask


def _client(app, role: str):
    from coordination.synthetic import SYNTHETIC_PASSWORD, email

    address = {"coordinator": email("coordinator", 1, config.TENANT),
               "member": email("member", 1, config.TENANT),
               "national": email("national", 1)}[role]
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    reply = client.post("/login", data={"csrf_token": token, "email": address,
                                        "password": SYNTHETIC_PASSWORD})
    if reply.status_code not in (302, 303):
        raise SystemExit(f"login as {address} failed ({reply.status_code})")
    client.get(reply.headers["Location"])  # the "signed in" message is shown once, as in the bench
    return client


def _statement_times(app, client, url: str, repeat: int = 20) -> list[tuple[float, str]]:
    """Median milliseconds of each SQL statement of one request (over ``repeat`` requests), and
    whether SQLAlchemy's compiled cache served it ("cached"; "compiled" = built afresh, every
    time: the statement defeats the cache)."""
    from sqlalchemy import event

    from coordination.extensions import db

    times: list[list[float]] = []
    current: list[float] = []
    texts: list[str] = []
    hits: list[list[bool]] = []

    def before(conn, _cursor, statement, *_args):
        conn.info["bench_t0"] = time.perf_counter()
        if len(times) == 0:
            texts.append(" ".join(statement.split())[:160])

    def after(conn, _cursor, _statement, _parameters, context, _many):
        current.append((time.perf_counter() - conn.info.pop("bench_t0")) * 1000)
        if len(hits) < len(current):
            hits.append([])
        hits[len(current) - 1].append(context.cache_hit == context.dialect.CACHE_HIT)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        for _ in range(repeat):
            current.clear()
            client.get(url)
            times.append(list(current))
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    # the first request may compile; a statement that is never served from the cache is a defect
    return [(sorted(t[i] for t in times)[len(times) // 2],
             ("cached  " if any(hits[i][1:]) else "compiled") + "  " + text)
            for i, text in enumerate(texts)]


def profile(db_url: str, names: list[str], requests: int, top: int, sort: str) -> None:
    from bench.run import _resolve_pages
    from coordination import create_app

    pages = [p for p in _resolve_pages(db_url) if p["status"] == "ok"
             and (not names or any(n.lower() in p["name"].lower() for n in names))]
    app = create_app({"DATABASE_URL": db_url, "SECRET_KEY": "bench-profile",
                      "PER_PAGE": config.PER_PAGE, "BENCH": True})
    clients: dict[str, object] = {}
    for page in pages:
        client = clients.get(page["role"]) or clients.setdefault(page["role"], _client(app, page["role"]))
        for _ in range(10):  # warm-up: template compilation, caches
            reply = client.get(page["url"])
        sql = reply.headers.get("X-Sql-Count")
        profiler = cProfile.Profile()
        t0 = time.perf_counter()
        profiler.enable()
        for _ in range(requests):
            client.get(page["url"])
        profiler.disable()
        ms = (time.perf_counter() - t0) * 1000 / requests
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(sort).print_stats(top)
        body = out.getvalue()
        body = body[body.index("ncalls"):] if "ncalls" in body else body
        sql_lines = "\n".join(f"  {ms_:7.2f} ms  {text}" for ms_, text in
                              _statement_times(app, client, page["url"]))
        print(f"\n=== {page['name']} ({page['url']}): {ms:.1f} ms/request under the profiler, "
              f"HTTP {reply.status_code}, SQL {sql}, {len(reply.data) // 1024} KB\nSQL (median ms per statement):\n{sql_lines}\n{body}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an already seeded database URL")
    parser.add_argument("--scale", default="1")
    parser.add_argument("--page", action="append", default=[], help="part of a key page's name")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--sort", default="tottime", choices=("tottime", "cumulative"))
    args = parser.parse_args()
    if args.db:
        profile(args.db, args.page, args.requests, args.top, args.sort)
        return 0
    import os

    databases = Databases(os.environ.get("BENCH_DB", "postgresql"))
    try:
        url = databases.create("profile")
        flask(url, "db", "upgrade", "heads")
        flask(url, "seed-synthetic", "--scale", args.scale)
        profile(url, args.page, args.requests, args.top, args.sort)
    finally:
        databases.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
