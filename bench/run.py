"""``make bench`` (``python -m bench.run``): measure, write bench/results.json, print the table.

1. one database per data scale (PostgreSQL throwaway cluster, or SQLite with BENCH_DB=sqlite),
   ``flask db upgrade heads``, ``flask seed-synthetic --scale N``;
2. one gunicorn (sync workers) per scale on loopback, in bench mode, all running side by side;
3. per key page (bench/config.py): a cold fetch (status, ``X-Sql-Count``, HTML bytes, cold
   load with CSS/JS, gzip, external references), then ROUNDS rounds that alternate
   baseline and page on every scale's server — so every ratio compares slices measured
   seconds apart, under the same machine load;
4. the background export job on the largest scale (bench/export_job.py), the write benchmark
   on the smallest (bench/writes.py, ``BENCH_WRITES=0`` skips it) and the export benchmark
   (bench/export_bench.py);
5. goals (bench/report.py), results.json, the table.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from bench import config, load, report
from bench.server import ROOT, Databases, Server, flask, get, login
from bench.weight import external_references, page_weight
from coordination import clock

BASELINE = "/_bench/fortunes"
RESULTS = os.path.join(ROOT, "bench", "results.json")


def log(message: str) -> None:
    print(message, flush=True)


def _label(scale: float) -> str:
    return f"{scale:g}"


def _resolve_pages(db_url: str) -> list[dict]:
    """Endpoint present? URL of each key page, resolved in the data of ``db_url``."""
    from flask import url_for

    from coordination import create_app
    from coordination.extensions import db
    from coordination.tenancy import all_tenants

    app = create_app({"DATABASE_URL": db_url, "SECRET_KEY": "bench-resolver", "BENCH": True})
    resolved = []
    with app.app_context(), all_tenants(), app.test_request_context():
        for page in config.pages():
            entry = {"name": page.name, "endpoint": page.endpoint, "module": page.module,
                     "role": page.role, "list_page": page.list_page, "reference": page.reference,
                     "status": "ok", "url": None}
            if page.endpoint not in app.view_functions:
                entry["status"] = "not built yet"
            else:
                values = page.params(config.TENANT) if page.params else {}
                if any(v is None for v in values.values()):
                    entry["status"] = "no data (extend the module's synthetic.py)"
                else:
                    if app.url_map.is_endpoint_expecting(page.endpoint, "tenant"):
                        values["tenant"] = config.TENANT
                    entry["url"] = url_for(page.endpoint, **values)
            resolved.append(entry)
        db.session.remove()
    with app.app_context():
        db.engine.dispose()
    return resolved


def _accounts() -> dict[str, str]:
    from coordination.synthetic import email

    return {"coordinator": email("coordinator", 1, config.TENANT),
            "member": email("member", 1, config.TENANT),
            "national": email("national", 1)}


def _cold(server: Server, url: str, cookie: str | None) -> dict:
    """One cold request: status, SQL statements, weight, external references."""
    reply = get(server.base, url, cookie)
    out = {"http_status": reply.status, "sql": int(reply.headers.get("x-sql-count", -1))}
    if reply.status != 200:
        return out

    def fetch(asset: str) -> bytes:
        return get(server.base, asset).body

    weight = page_weight(reply.body, fetch)
    out.update(weight.as_dict())
    out["external"] = external_references(reply.body.decode("utf-8", "replace"))
    return out


def _measure_page(servers: dict[str, Server], paths: dict[str, str], cookies: dict[str, str]) -> dict:
    """Alternate baseline and page slices on every server; medians per server."""
    kinds = {"render": None}
    slices: dict[str, dict[str, list]] = {s: {"base": [], "render": []} for s in servers}
    for label, server in servers.items():  # warm-up: imports, template compilation, caches
        load.run(server.base, BASELINE, None, config.WARMUP, config.CONNECTIONS)
        for extra in kinds.values():
            load.run(server.base, paths[label], cookies[label], config.WARMUP, config.CONNECTIONS, extra)
    for _round in range(config.ROUNDS):
        for label, server in servers.items():
            slices[label]["base"].append(load.run(server.base, BASELINE, None, config.SLICE,
                                                  config.CONNECTIONS))
            for kind, extra in kinds.items():
                slices[label][kind].append(load.run(server.base, paths[label], cookies[label],
                                                    config.SLICE, config.CONNECTIONS, extra))
    out = {}
    for label, s in slices.items():
        figures = {
            "baseline_rps": statistics.median(r.rps for r in s["base"]),
            "baseline_p50_ms": statistics.median(r.p50_ms for r in s["base"]),
            "errors": sum(r.errors for kind in s.values() for r in kind),
            "rounds": [{"render_rps": r.rps, "baseline_rps": b.rps}
                       for r, b in zip(s["render"], s["base"], strict=True)],
        }
        for kind in kinds:
            prefix = f"{kind}_"
            ratios = [p.rps / b.rps for p, b in zip(s[kind], s["base"], strict=True) if b.rps]
            figures.update({
                f"{prefix}rps": statistics.median(r.rps for r in s[kind]),
                f"{prefix}p50_ms": statistics.median(r.p50_ms for r in s[kind]),
                f"{prefix}p95_ms": statistics.median(r.p95_ms for r in s[kind]),
                f"{prefix}ratio": statistics.median(ratios) if ratios else 0.0,
            })
        out[label] = figures
    return out


def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def main() -> int:
    started = time.monotonic()
    kind = os.environ.get("BENCH_DB", "postgresql")
    results: dict = {
        "meta": {"started": clock.now().isoformat(timespec="seconds"), "commit": _git_commit(),
                 "database": kind, "load_tool": load.tool(), "workers": config.WORKERS,
                 "connections": config.CONNECTIONS, "slice_s": config.SLICE,
                 "rounds": config.ROUNDS, "per_page": config.PER_PAGE, "tenant": config.TENANT,
                 "python": platform.python_version(), "cpus": os.cpu_count(),
                 "loadavg_start": os.getloadavg()},
        "goals_target": config.GOALS, "scales": {}, "pages": [], "export": None,
    }
    log(f"bench: database {kind}, load generator {load.tool()}, scales "
        f"{', '.join(_label(s) for s in config.SCALES)}")
    databases = Databases(kind)
    servers: dict[str, Server] = {}
    try:
        urls = {_label(scale): databases.create(_label(scale).replace(".", "_")) for scale in config.SCALES}

        def prepare(scale: float) -> None:
            label = _label(scale)
            t0 = time.monotonic()
            flask(urls[label], "db", "upgrade", "heads")
            t1 = time.monotonic()
            output = flask(urls[label], "seed-synthetic", "--scale", str(scale))
            t2 = time.monotonic()
            results["scales"][label].update({"migrate_s": t1 - t0, "seed_s": t2 - t1,
                                             "seed_output": output.strip().splitlines()})
            log(f"scale {label}: migrated in {t1 - t0:.1f} s, seeded in {t2 - t1:.1f} s")

        # the databases are independent: fill them side by side (each is one flask process)
        results["scales"] = {label: {} for label in urls}
        with ThreadPoolExecutor(max_workers=len(config.SCALES)) as pool:
            list(pool.map(prepare, config.SCALES))
        for label, url in urls.items():
            servers[label] = Server(url, config.WORKERS, config.PER_PAGE, databases.tmp.name)
            servers[label].start()
        # URL values differ per database (ids): resolve every page in every scale's data
        per_scale = {label: _resolve_pages(server.url) for label, server in servers.items()}
        pages = per_scale[_label(config.SCALES[0])]
        for i, page in enumerate(pages):
            page["urls"] = {label: resolved[i]["url"] for label, resolved in per_scale.items()}
            if any(resolved[i]["status"] != "ok" for resolved in per_scale.values()):
                page["status"] = next(r[i]["status"] for r in per_scale.values() if r[i]["status"] != "ok")
        accounts = _accounts()
        from coordination.synthetic import SYNTHETIC_PASSWORD

        cookies = {label: {role: login(server.base, address, SYNTHETIC_PASSWORD)
                           for role, address in accounts.items()}
                   for label, server in servers.items()}
        for page in pages:
            if page["status"] != "ok":
                log(f"  {page['name']:30} {page['status']}")
                results["pages"].append(page)
                continue
            page["scales"] = {}
            for label, server in servers.items():
                page["scales"][label] = _cold(server, page["urls"][label], cookies[label][page["role"]])
            if any(s["http_status"] != 200 for s in page["scales"].values()):
                page["status"] = "error: " + ", ".join(
                    f"HTTP {s['http_status']} at {label}×" for label, s in page["scales"].items())
            else:
                measured = _measure_page(servers, page["urls"],
                                         {label: cookies[label][page["role"]] for label in servers})
                for label, figures in measured.items():
                    page["scales"][label].update(figures)
            log(report.page_line(page))
            results["pages"].append(page)
        for label, server in servers.items():
            results["scales"][label]["baseline"] = _cold(server, BASELINE, None)
        if os.environ.get("BENCH_EXPORT", "1") != "0":
            from bench import export_job

            largest = _label(config.SCALES[-1])
            log(f"background export job: platform audit log at scale {largest}")
            results["export_job"] = export_job.run(servers[largest].url)
        if os.environ.get("BENCH_WRITES", "1") != "0":
            from bench import writes

            smallest = _label(config.SCALES[0])
            log(f"writes: survey submissions and minutes comments, {writes.CLIENTS} clients, scale {smallest}")
            results["writes"] = writes.run(urls[smallest], kind, databases.tmp.name, log=log)
    finally:
        for server in servers.values():
            server.stop()
        databases.close()
    if os.environ.get("BENCH_EXPORT", "1") != "0":
        from bench import export_bench

        log(f"export benchmark: {config.EXPORT_ROWS} rows, shared writer vs plain openpyxl loop")
        results["export"] = export_bench.run(config.EXPORT_ROWS, config.EXPORT_SMALL_ROWS,
                                             config.EXPORT_REPEATS, log=log)
    results["goals"] = report.goals(results)
    results["meta"]["seconds"] = time.monotonic() - started
    results["meta"]["loadavg_end"] = os.getloadavg()
    with open(RESULTS, "w", encoding="utf-8") as fh:
        json.dump(results, fh, indent=2, ensure_ascii=False)
    log("")
    log(report.table(results))
    if results.get("writes"):
        from bench import writes

        log(writes.table(results["writes"]))
    log(f"\nwritten {os.path.relpath(RESULTS, ROOT)} in {results['meta']['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
