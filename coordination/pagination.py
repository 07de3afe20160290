"""Pagination helpers shared by every list page."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any

from flask import current_app, request


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
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    return page, current_app.config["PER_PAGE"]


def paged(stmt, page: int, per_page: int, *, scalars: bool = True) -> tuple[list, int]:
    """Run ``stmt`` for one page: ``(items, total)`` in two queries (count + rows)."""
    from sqlalchemy import func, select

    from coordination.extensions import db

    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    limited = stmt.limit(per_page).offset((page - 1) * per_page)
    rows = db.session.scalars(limited).all() if scalars else db.session.execute(limited).all()
    return list(rows), total or 0


def paginate(fetch, **kwargs) -> Page:
    """Call ``fetch(page, per_page, **kwargs) -> (items, total)`` for the requested page."""
    page, per_page = page_args()
    items, total = fetch(page, per_page, **kwargs)
    return Page(list(items), total, page, per_page)
