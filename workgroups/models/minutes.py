"""Minutes with optimistic locking, their frozen versions and comments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from coordination.clock import utcnow
from coordination.db import TenantScoped, TenantSession
from coordination.extensions import db
from workgroups.models.meetings import PersonalLink


class Minutes(TenantScoped, db.Model):
    """The minutes (protokół) of a meeting: an editable draft until adopted.

    ``lock_version`` is SQLAlchemy's version counter: every UPDATE checks it, so two people
    saving the same draft never silently overwrite each other.
    """

    __tablename__ = "minutes"
    __tenant_parents__ = {"meeting_id": "meeting", "group_id": "work_group"}
    #: meetings are cancelled, never deleted, so NO ACTION: a meeting at which minutes were
    #: adopted cannot disappear from under them (a cascade removing the whole group still can).
    __tenant_references__ = {"adopted_at_meeting_id": "meeting"}
    __extra_table_args__ = (UniqueConstraint("tenant_id", "meeting_id", name="uq_minutes_meeting"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the meeting minuted.
    meeting_id: Mapped[int]
    #: the group (copied from the meeting for permission checks and lists).
    group_id: Mapped[int] = mapped_column(index=True)
    #: one of MINUTES_STATUSES.
    status: Mapped[str] = mapped_column(String(20), default="draft")
    #: the working text (Markdown); after adoption equal to the latest frozen version.
    body: Mapped[str] = mapped_column(Text, default="")
    #: optimistic-locking counter.
    lock_version: Mapped[int] = mapped_column(default=1)
    #: deadline for attendees' comments while in consultation.
    comment_deadline: Mapped[date | None]
    #: when the draft was sent for comments (UTC).
    sent_at: Mapped[datetime | None]
    #: day of adoption.
    adopted_on: Mapped[date | None]
    #: one of ADOPTION_MODES.
    adoption_mode: Mapped[str | None] = mapped_column(String(20))
    #: the meeting at which the minutes were adopted (mode "meeting").
    adopted_at_meeting_id: Mapped[int | None]
    #: comments closed before the deadline (UTC), and the reason recorded for it.
    comments_closed_at: Mapped[datetime | None]
    comments_closed_reason: Mapped[str | None] = mapped_column(Text)
    #: last edit (UTC) and who made it.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    __mapper_args__ = {"version_id_col": lock_version}

class MinutesVersion(TenantScoped, db.Model):
    """A frozen, immutable text of adopted minutes; corrections add a new version."""

    __tablename__ = "minutes_version"
    __tenant_parents__ = {"minutes_id": "minutes"}
    __extra_table_args__ = (UniqueConstraint("tenant_id", "minutes_id", "number",
                                             name="uq_minutes_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the minutes.
    minutes_id: Mapped[int] = mapped_column(index=True)
    #: 1 = adopted text, 2.. = corrections.
    number: Mapped[int]
    #: the frozen Markdown text.
    body: Mapped[str] = mapped_column(Text)
    #: why this version exists ("adopted at meeting 2/2025", correction reason).
    reason: Mapped[str] = mapped_column(String(500))
    #: when frozen (UTC) and by whom.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

class MinutesComment(TenantScoped, db.Model):
    """A comment on a section of draft minutes, resolved by the secretary."""

    __tablename__ = "minutes_comment"
    __tenant_parents__ = {"minutes_id": "minutes"}
    #: members are never deleted (ended memberships keep their row), so NO ACTION.
    __tenant_references__ = {"member_id": "group_member"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the minutes.
    minutes_id: Mapped[int] = mapped_column(index=True)
    #: heading of the section commented on, e.g. "Ad. 2".
    section: Mapped[str] = mapped_column(String(300))
    #: the comment.
    body: Mapped[str] = mapped_column(Text)
    #: author account and the name shown.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(200))
    #: the member (a contact without an account) who commented through a personal link.
    member_id: Mapped[int | None]
    #: one of COMMENT_STATUSES.
    status: Mapped[str] = mapped_column(String(20), default="open")
    #: reason given when accepting/rejecting.
    resolution_reason: Mapped[str | None] = mapped_column(Text)
    #: who resolved it.
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

class MinutesLink(PersonalLink, TenantScoped, db.Model):
    """A personal link to draft minutes for an attendee without an account: read the draft and
    comment until the deadline. Like :class:`~workgroups.models.RsvpLink` only the sha256 of the
    random secret is stored; a coordinator may revoke a link."""

    __tablename__ = "minutes_link"
    __tenant_parents__ = {"minutes_id": "minutes", "member_id": "group_member"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the minutes.
    minutes_id: Mapped[int] = mapped_column(index=True)
    #: when a coordinator revoked it (None: valid).
    revoked_at: Mapped[datetime | None]

class FrozenVersionChanged(RuntimeError):
    """Someone tried to change or delete a frozen minutes version."""

def _guard_frozen(session, _ctx, _instances) -> None:
    for obj in list(session.dirty):
        if isinstance(obj, MinutesVersion) and session.is_modified(obj):
            raise FrozenVersionChanged("adopted minutes versions are immutable")
    for obj in session.deleted:
        if isinstance(obj, MinutesVersion):
            raise FrozenVersionChanged("adopted minutes versions are immutable")

event.listen(TenantSession, "before_flush", _guard_frozen)
