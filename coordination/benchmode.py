"""Bench mode (config ``BENCH=True``, never in production): the baseline route and SQL counting.

* ``GET /_bench/fortunes`` — the practical ceiling of this stack: a bare Flask route rendering a
  12-row table from one tiny query (the region table), no layout, no session, no permissions;
* ``GET /_bench/floor/<tenant>`` — the floor of every region page: the region, the signed-in
  user and the permission check, the full layout (menu, region switcher, language, CSRF) around
  an empty body. The bench measures it next to the key pages (a reference, not judged): no
  region page can be faster, so its ratio is the best any key page can reach;
* every response carries ``X-Sql-Count``: the SQL statements the request executed.

:func:`init_bench` is called by ``create_app`` only when ``BENCH`` is true, so neither the route
nor the hook exists otherwise.
"""

from __future__ import annotations

from flask import Blueprint, Flask, g, has_app_context, render_template
from sqlalchemy import event, select

from coordination.extensions import db
from tenants.models import Tenant

bp = Blueprint("bench", __name__, url_prefix="/_bench")

#: response header with the number of SQL statements of the request.
SQL_COUNT_HEADER = "X-Sql-Count"


@bp.route("/fortunes")
def fortunes():
    """Baseline: one tiny query (12 rows), a bare template."""
    rows = db.session.execute(
        select(Tenant.teryt, Tenant.operator_name).order_by(Tenant.teryt).limit(12)
    ).all()
    return render_template("_bench/fortunes.html", rows=rows)


@bp.route("/floor/<tenant>")
def floor(tenant: str):
    """A region page with nothing of its own: what ``tenants.views`` does before every region
    view (region from the URL, ``tenant.view`` required), then the layout."""
    from coordination.permissions import require
    from tenants.views import enter_region

    enter_region(tenant)
    require("tenant.view")
    return render_template("_bench/floor.html")


def _count_statement(*_args, **_kwargs) -> None:
    if has_app_context():
        g._bench_sql_count = g.get("_bench_sql_count", 0) + 1


def _sql_count_header(response):
    response.headers[SQL_COUNT_HEADER] = str(g.get("_bench_sql_count", 0))
    return response


def init_bench(app: Flask) -> None:
    """Register the baseline route and the SQL statement counter on ``app``."""
    app.register_blueprint(bp)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", _count_statement)
    app.after_request(_sql_count_header)
