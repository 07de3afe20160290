"""Load generators: wrk (Debian package ``wrk``) when installed, else a small Python client.

Both keep connections alive where the server allows it (gunicorn's sync workers close each
connection after the response, so both reconnect per request — the same for every page and
the baseline). Each run returns requests per second, p50/p95 latency and error counts.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass

LUA = os.path.join(os.path.dirname(__file__), "wrk_report.lua")


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def tool() -> str:
    """``wrk`` if installed (and not disabled with BENCH_LOAD=python), else ``python``."""
    if os.environ.get("BENCH_LOAD", "wrk") == "wrk" and shutil.which("wrk"):
        return "wrk"
    return "python"


def run(base: str, path: str, cookie: str | None, seconds: float, connections: int,
        extra: dict[str, str] | None = None) -> Result:
    """Load ``path`` for ``seconds`` (wrk takes whole seconds: shorter runs, such as warm-ups,
    use the Python client); ``extra``: more request headers."""
    headers = {"Cookie": cookie} if cookie else {}
    headers.update(extra or {})
    if tool() == "wrk" and seconds >= 1:
        return _wrk(base, path, headers, seconds, connections)
    return _python(base, path, headers, seconds, connections)


def _wrk(base, path, headers, seconds, connections) -> Result:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{round(seconds)}s", "--timeout", "10s",
           "-s", LUA]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    out = subprocess.run([*cmd, base + path], check=True, capture_output=True, text=True).stdout
    data = json.loads(out.strip().splitlines()[-1])
    errors = data["errors"]
    return Result(data["requests"], data["duration_us"] / 1e6, data["p50_us"] / 1000,
                  data["p95_us"] / 1000, errors["connect"] + errors["write"] + errors["status"]
                  + errors["timeout"])


def _python(base, path, headers, seconds, connections) -> Result:
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        mine = []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors[0] += 1
                if response.will_close:
                    conn.close()
            except OSError:
                errors[0] += 1
                conn.close()
                continue
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if not latencies:
        return Result(0, elapsed, 0.0, 0.0, errors[0])
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return Result(len(latencies), elapsed, statistics.median(ordered) * 1000, p95 * 1000, errors[0])
