"""Groups (working groups and the Regional Committee) and their members."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from coordination import clock
from coordination.clock import utcnow
from coordination.db import TenantScoped
from coordination.extensions import db
from workgroups.models.codes import VOTING_ROLES


class Group(TenantScoped, db.Model):
    """A working group or the Regional Committee of one region."""

    __tablename__ = "work_group"
    __extra_table_args__ = (
        # a region has one Regional Committee
        Index("uq_work_group_one_committee", "tenant_id", unique=True,
              sqlite_where=text("kind = 'committee'"), postgresql_where=text("kind = 'committee'")),
    )

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
    #: quorum rule: share of voting members (percent) that must be present, e.g. 50.
    quorum_percent: Mapped[int] = mapped_column(default=50, server_default="50")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())

    @property
    def term_ended(self) -> bool:
        """An active group whose current term ended before today (by the one clock)."""
        return self.status == "active" and self.term_end is not None and self.term_end < clock.today()

    @property
    def shown_status(self) -> str:
        """The status shown in lists: "term_ended" for an active group past its term's end."""
        return "term_ended" if self.term_ended else self.status

class GroupMember(TenantScoped, db.Model):
    """One person's membership in a group for a period (history is kept: ended rows stay)."""

    __tablename__ = "group_member"
    __tenant_parents__ = {"group_id": "work_group", "substitute_for_id": "group_member"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the group.
    group_id: Mapped[int] = mapped_column(index=True)
    #: the person's account, if they have one (None: a contact without an account).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    #: name as printed in minutes and attendance lists.
    full_name: Mapped[str] = mapped_column(String(200))
    #: e-mail for invitations (copied from the account when there is one).
    email: Mapped[str | None] = mapped_column(String(254))
    #: institution the person represents.
    institution: Mapped[str | None] = mapped_column(String(250))
    #: one of MEMBER_CATEGORIES.
    category: Mapped[str] = mapped_column(String(20), default="other")
    #: one of MEMBER_ROLES.
    role: Mapped[str] = mapped_column(String(20), default="member")
    #: for role "substitute": the member this person stands in for.
    substitute_for_id: Mapped[int | None]
    #: first day of the membership.
    date_from: Mapped[date]
    #: last day of the membership (None: still a member).
    date_to: Mapped[date | None]
    #: language of e-mails to a contact without an account ("pl" or "en"; accounts use their own).
    locale: Mapped[str] = mapped_column(String(5), default="pl", server_default="pl")
    #: grammatical form of the person's role titles: "f", "m" or "" (neutral wording), one of
    #: TITLE_FORMS; set by the coordinator ("Przewodnicząca" / "Przewodniczący" / "Przewodniczenie").
    title_form: Mapped[str] = mapped_column(String(1), default="", server_default="")

    @property
    def voting(self) -> bool:
        return self.role in VOTING_ROLES

    def active_on(self, day: date) -> bool:
        return self.date_from <= day and (self.date_to is None or self.date_to >= day)
