"""Working groups and the Regional Committee (a group of kind ``committee``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from coordination.db import TenantScoped
from coordination.extensions import db

#: group kinds: the four thematic groups, the committee (RKRES) and custom groups.
GROUP_KINDS = ("promotion", "reintegration", "education", "business", "committee", "custom")
GROUP_STATUSES = ("active", "closed")


class Group(TenantScoped, db.Model):
    """A working group or the Regional Committee of one region."""

    __tablename__ = "work_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: display name, e.g. "Grupa robocza ds. promocji ES".
    name: Mapped[str] = mapped_column(String(200))
    #: one of GROUP_KINDS.
    kind: Mapped[str] = mapped_column(String(20), index=True)
    #: what the group does.
    description: Mapped[str | None] = mapped_column(Text)
    #: one of GROUP_STATUSES.
    status: Mapped[str] = mapped_column(String(20), default="active")
    #: start of the current term (the committee has 3-year terms).
    term_start: Mapped[date | None]
    #: end of the current term.
    term_end: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
