"""What ``make bench`` measures and the goals it checks (issue 8, raised by issue 17).

The key pages come from the manifests (``bench_pages``, see :func:`pages`): each names its
Flask endpoint, the synthetic account that requests it and how to find its URL values in the
synthetic data. An endpoint that is not in the application's ``url_map`` is reported as "not
built yet" — never faked. See docs/bench.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

#: the region whose pages are requested (tenant pages run as its synthetic coordinator).
TENANT = "wielkopolskie"
#: data scales measured side by side (two servers, alternated in the same run).
SCALES: tuple[float, ...] = tuple(float(s) for s in os.environ.get("BENCH_SCALES", "1,10").split(","))
#: seconds of one load slice; each page gets ROUNDS slices, each next to a baseline slice.
SLICE = float(os.environ.get("BENCH_SLICE", "1.0"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
#: unmeasured warm-up per page and server, seconds.
WARMUP = float(os.environ.get("BENCH_WARMUP", "0.3"))
#: gunicorn sync workers, and concurrent client connections (one per worker keeps both busy
#: without measuring queueing).
WORKERS = 2
CONNECTIONS = 2
#: list pages show this many rows in the bench (the issue's "list page with 50 rows").
PER_PAGE = 50
#: rows of the export benchmark (and the smaller run that shows memory is flat).
EXPORT_ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "100000"))
EXPORT_SMALL_ROWS = EXPORT_ROWS // 10
EXPORT_REPEATS = int(os.environ.get("BENCH_EXPORT_REPEATS", "3"))

#: the goals (issue 17; pages are rendered on every request, there is no HTML cache).
GOALS = {
    "throughput_ratio": 0.25,    # every key page req/s ≥ 0.25 × baseline req/s, same run
    "list_throughput_ratio": 0.4,  # list pages (``list_page``: 50-row tables) ≥ 0.4 ×
    "max_sql": 8,                # SQL statements per request, identical at 1× and 10×
    "scale_time_ratio": 1.3,     # page time at 10× ≤ 1.3 × page time at 1× (baseline-normalised)
    "export_ratio": 1.25,        # 100k-row export ≤ 1.25 × plain openpyxl loop
    "export_rss_growth_mb": 16,  # "memory flat": 10× the rows, at most this much more RSS
    "cold_gzip_kb": 150,         # cold page (HTML + CSS + JS + icons, gzip)
    "js_gzip_kb": 25,            # JavaScript, gzip
}
#: HTML of a page's first load, KB (uncompressed), by key page name.
HTML_LIMITS_KB = {"survey results": 40}


@dataclass(frozen=True)
class Page:
    """A key page of the bench."""

    #: label in the table.
    name: str
    #: Flask endpoint; absent from url_map -> "not built yet".
    endpoint: str
    #: who requests it: ``coordinator`` or ``member`` (of TENANT) or ``national``.
    role: str = "coordinator"
    #: URL values besides ``tenant``: ``params(TENANT)`` in an app context with all_tenants().
    params: Callable[[str], dict] | None = None
    #: module that owns the page.
    module: str = "foundation"
    #: a list page: held to ``GOALS["list_throughput_ratio"]``.
    list_page: bool = False
    #: a reference measured like a key page but not judged by the goals (the layout floor).
    reference: bool = False


#: the floor of every region page (``coordination.benchmode.floor``): region, user, permission
#: and the full layout around an empty body; no key page can be faster.
FLOOR = Page("floor: empty region page", "bench.floor", "coordinator", module="bench", reference=True)


def pages() -> list[Page]:
    """The layout floor (a reference), then the key pages every manifest declares
    (``bench_pages``), in manifest order."""
    from coordination.modules import manifests

    return [FLOOR] + [Page(p.name, p.endpoint, p.role, p.params, module.name, p.list_page)
                      for module in manifests() for p in module.bench_pages]
