"""What ``make bench`` measures and the goals it checks (issue 8). Modules extend :data:`PAGES`.

Each key page names its Flask endpoint, the synthetic account that requests it and how to find
its URL values in the synthetic data. An endpoint that is not in the application's ``url_map``
is reported as "not built yet" — never faked. To add a page when your module lands, fix the
endpoint name and ``params`` of its entry below (or append one) — see docs/bench.md.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from coordination.extensions import db

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

#: the issue's goals.
GOALS = {
    "throughput_ratio": 0.5,     # key page req/s ≥ 0.5 × baseline req/s, same run
    "max_sql": 8,                # SQL statements per request, identical at 1× and 10×
    "scale_time_ratio": 1.5,     # page time at 10× ≤ 1.5 × page time at 1×
    "export_ratio": 1.25,        # 100k-row export ≤ 1.25 × plain openpyxl loop
    "export_rss_growth_mb": 16,  # "memory flat": 10× the rows, at most this much more RSS
    "cold_gzip_kb": 150,         # cold page (HTML + CSS + JS + icons, gzip)
    "js_gzip_kb": 25,            # JavaScript, gzip
}


def model(path: str):
    """``"package.models:Class"`` -> the class."""
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def first_id(path: str, *where: Callable) -> int | None:
    """Id of the first row of the model (in the bench region when tenant-owned)."""
    cls = model(path)
    stmt = select(cls.id).order_by(cls.id).limit(1)
    for condition in where:
        stmt = stmt.where(condition(cls))
    if hasattr(cls, "tenant_id"):
        from tenants.models import Tenant

        stmt = stmt.where(cls.tenant_id == select(Tenant.id).where(Tenant.slug == TENANT)
                          .scalar_subquery())
    return db.session.scalar(stmt)


def _meeting_with_adopted_minutes() -> int | None:
    """The first in-person meeting of the bench region whose minutes are adopted (frozen
    versions); in-person, so the page links to no online-meeting host."""
    minutes = model("workgroups.models:Minutes")
    return first_id("workgroups.models:Meeting", lambda m: m.mode == "in_person",
                    lambda m: m.id.in_(select(minutes.meeting_id).where(minutes.status == "adopted")))


def _campaign_with_responses() -> int | None:
    """The bench region's campaign with the most responses (the newest of equals)."""
    from sqlalchemy import func

    from tenants.models import Tenant

    campaign, response = model("surveys.models:Campaign"), model("surveys.models:Response")
    return db.session.scalar(
        select(campaign.id).join(response, response.campaign_id == campaign.id)
        .where(campaign.tenant_id == select(Tenant.id).where(Tenant.slug == TENANT).scalar_subquery())
        .group_by(campaign.id, campaign.year)
        .order_by(func.count(response.id).desc(), campaign.year.desc()).limit(1))


def _owes_plan() -> dict:
    """The first OWES plan of the bench region that has targets: {owes_id, plan_id}."""
    plan, target = model("owes.models:ActionPlan"), model("owes.models:PlanTarget")
    plan_id = first_id("owes.models:ActionPlan",
                       lambda p: p.id.in_(select(target.plan_id)))
    owes_id = db.session.scalar(select(plan.owes_id).where(plan.id == plan_id)) if plan_id else None
    return {"owes_id": owes_id, "plan_id": plan_id}


@dataclass(frozen=True)
class Page:
    """A key page of the bench."""

    #: label in the table.
    name: str
    #: Flask endpoint; absent from url_map -> "not built yet".
    endpoint: str
    #: who requests it: ``coordinator`` or ``member`` (of TENANT) or ``national``.
    role: str = "coordinator"
    #: URL values besides ``tenant``: called in an app context with all_tenants().
    params: Callable[[], dict] | None = None
    #: module that owns the page.
    module: str = "foundation"


PAGES: list[Page] = [
    Page("tenant home", "tenant.home"),
    Page("group list", "tenant.workgroups.group_list", module="workgroups"),
    Page("group page", "tenant.workgroups.group_detail", module="workgroups",
         params=lambda: {"group_id": first_id("workgroups.models:Group",
                                              lambda g: g.kind == "committee")}),
    Page("users list (50 rows)", "tenant.users"),
    Page("audit log (50 rows)", "tenant.audit_log"),
    Page("national overview", "national.overview", role="national"),
    Page("meeting with minutes", "tenant.workgroups.meeting_detail", module="workgroups",
         params=lambda: {"meeting_id": _meeting_with_adopted_minutes()}),
    Page("my actions", "tenant.workgroups.my_actions", role="member", module="workgroups"),
    Page("survey results", "tenant.surveys.results", module="surveys",
         params=lambda: {"campaign_id": _campaign_with_responses()}),
    Page("survey national comparison", "survey.national_comparison", role="national",
         module="surveys"),
    Page("OWES plan progress", "tenant.owes.plan_detail", module="owes",
         params=_owes_plan),
    Page("OWES progress (all)", "tenant.owes.tenant_progress", module="owes"),
    Page("national heatmap", "national.comparison", role="national", module="national (SIRES)"),
]
