"""Resolutions and action items."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coordination.clock import utcnow
from coordination.db import TenantScoped
from coordination.extensions import db
from workgroups.models.codes import OPEN_ACTION_STATUSES


class Resolution(TenantScoped, db.Model):
    """A resolution (uchwała) voted at a meeting; numbered per group and year."""

    __tablename__ = "resolution"
    __tenant_parents__ = {"meeting_id": "meeting", "group_id": "work_group"}
    __extra_table_args__ = (UniqueConstraint("tenant_id", "group_id", "year", "number",
                                             name="uq_resolution_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: meeting where it was voted.
    meeting_id: Mapped[int] = mapped_column(index=True)
    #: the group (for numbering and the register).
    group_id: Mapped[int] = mapped_column(index=True)
    #: numbering year.
    year: Mapped[int]
    #: number within group and year ("Uchwała nr 5/2025").
    number: Mapped[int]
    #: "w sprawie …" — the subject.
    subject: Mapped[str] = mapped_column(String(400))
    #: text of the resolution (Markdown).
    body: Mapped[str | None] = mapped_column(Text)
    #: votes.
    votes_for: Mapped[int] = mapped_column(default=0)
    votes_against: Mapped[int] = mapped_column(default=0)
    votes_abstain: Mapped[int] = mapped_column(default=0)
    #: one of RESOLUTION_OUTCOMES.
    outcome: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: last correction after the minutes were adopted (None: never corrected).
    corrected_at: Mapped[datetime | None]

    @property
    def label(self) -> str:
        return f"{self.number}/{self.year}"

class ActionItem(TenantScoped, db.Model):
    """An action item (who, what, by when) agreed at a meeting."""

    __tablename__ = "action_item"
    __tenant_parents__ = {"group_id": "work_group", "meeting_id": "meeting",
                          "owner_id": "group_member"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the group.
    group_id: Mapped[int] = mapped_column(index=True)
    #: meeting where it was agreed (None: added between meetings).
    meeting_id: Mapped[int | None] = mapped_column(index=True)
    #: the responsible member.
    owner_id: Mapped[int | None] = mapped_column(index=True)
    #: or the responsible member of the region's ROPS staff (a coordinator account), who need
    #: not be a member of the group; at most one of the two is set.
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"),
                                                      index=True)
    #: what is to be done.
    description: Mapped[str] = mapped_column(String(500))
    #: by when.
    due_date: Mapped[date | None] = mapped_column(index=True)
    #: one of ACTION_STATUSES.
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    #: owner's note on progress.
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def overdue(self, today: date) -> bool:
        return self.status in OPEN_ACTION_STATUSES and self.due_date is not None and self.due_date < today
