"""Pagination helpers shared by every list page."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any

from flask import current_app

from coordination.inputs import int_arg

#: the highest page number asked for (beyond it the offset would not fit the database).
MAX_PAGE = 1_000_000


@dataclass
class Page:
    """One page of a list: items plus what the pager macro needs."""

    items: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_args() -> tuple[int, int]:
    """``(page, per_page)`` from the query string, clamped to sane values."""
    page = int_arg("page", 1, minimum=1, maximum=MAX_PAGE)
    return page, current_app.config["PER_PAGE"]


def paged(stmt, page: int, per_page: int, *, scalars: bool = True) -> tuple[list, int]:
    """Run ``stmt`` for one page: ``(items, total)`` in two queries (count + rows)."""
    from sqlalchemy import func, select

    from coordination.extensions import db

    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    limited = stmt.limit(per_page).offset((page - 1) * per_page)
    rows = db.session.scalars(limited).all() if scalars else db.session.execute(limited).all()
    return list(rows), total or 0


def paged_with_total(stmt, page: int, per_page: int, *, scalars: bool = True) -> tuple[list, int]:
    """Like :func:`paged` in one query: the total rides along as ``count(*) OVER ()``.

    Only a page past the end (no rows to carry the total) falls back to :func:`paged`.
    Not for ``DISTINCT`` statements (the window is evaluated before the de-duplication).
    """
    from sqlalchemy import func

    from coordination.extensions import db

    limited = stmt.add_columns(func.count().over().label("page_total"))
    rows = db.session.execute(limited.limit(per_page).offset((page - 1) * per_page)).all()
    if not rows:
        return ([], 0) if page == 1 else paged(stmt, page, per_page, scalars=scalars)
    items = [row[0] for row in rows] if scalars else [tuple(row)[:-1] for row in rows]
    return items, rows[0][-1]


def paginate(fetch, **kwargs) -> Page:
    """Call ``fetch(page, per_page, **kwargs) -> (items, total)`` for the requested page."""
    page, per_page = page_args()
    items, total = fetch(page, per_page, **kwargs)
    return Page(list(items), total, page, per_page)
