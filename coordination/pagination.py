"""Pagination helpers shared by every list page."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from math import ceil
from typing import Any, NamedTuple

from flask import current_app

from coordination.inputs import int_arg

#: the highest page number asked for (beyond it the offset would not fit the database).
MAX_PAGE = 1_000_000


class Fetched(NamedTuple):
    """What a page query returns: the page's rows, the total, and any summary it read along."""

    items: list
    total: int
    summary: Any = None


@dataclass
class Page:
    """One page of a list: items plus what the pager macro needs (the one pager)."""

    items: list[Any]
    total: int
    page: int
    per_page: int
    #: whatever the page query read along with the rows (e.g. counts for the page's header).
    summary: Any = None

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
    if scalars:
        items = [row[0] for row in rows]
    else:
        named = _row_type(tuple(rows[0]._fields[:-1]))
        items = [named(*tuple(row)[:-1]) for row in rows]
    return items, rows[0][-1]


@cache
def _row_type(fields: tuple[str, ...]):
    """A named row type for the page's columns (the rows keep their names without the total)."""
    return namedtuple("PageRow", fields, rename=True)


def paginate(fetch, *, per_page: int | None = None, **kwargs) -> Page:
    """Call ``fetch(page, per_page, **kwargs) -> (items, total)`` or :class:`Fetched` for the
    requested page; ``per_page`` lowers the configured page size (never raises it)."""
    page, size = page_args()
    size = min(size, per_page) if per_page else size
    items, total, summary = Fetched(*fetch(page, size, **kwargs))
    return Page(list(items), total, page, size, summary)


def paginate_list(items: Sequence) -> Page:
    """The requested page of a list already in memory."""
    page, per_page = page_args()
    start = (page - 1) * per_page
    return Page(list(items[start:start + per_page]), len(items), page, per_page)
