"""Accounts and their memberships in tenants."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, event, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.clock import utcnow
from coordination.db import TenantScoped
from coordination.extensions import db
from coordination.labels import Labels, register

#: per-tenant roles, in order of power.
TENANT_ROLES = ("coordinator", "member", "owes")
#: platform roles, held on the account.
PLATFORM_ROLES = ("admin", "national")
#: role names (templates: ``labels.auth.role[code]``).
ROLE_LABELS = Labels({
    "admin": _l("Administrator"),
    "national": _l("National consultant"),
    "coordinator": _l("Coordinator"),
    "member": _l("Member"),
    "owes": _l("OWES representative"),
})
register("auth", role=ROLE_LABELS)


class User(UserMixin, db.Model):
    """One account per person (email); may hold memberships in several tenants."""

    __tablename__ = "user_account"
    #: a region's users list reads accounts in name order and stops after one page: the walk
    #: is bounded by the page (about page size × regions rows), not by the installation.
    __table_args__ = (Index("ix_user_account_full_name_id", "full_name", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: login, stored lower-case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: name shown to others.
    full_name: Mapped[str] = mapped_column(String(200))
    #: Werkzeug scrypt hash; None until the invited person sets a password.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: platform operator.
    is_admin: Mapped[bool] = mapped_column(default=False)
    #: national consultant (SIRES): reads all tenants.
    is_national: Mapped[bool] = mapped_column(default=False)
    #: deactivated accounts cannot log in.
    active: Mapped[bool] = mapped_column(default=True)
    #: preferred interface language.
    locale: Mapped[str] = mapped_column(String(5), default="pl")
    #: bumped on logout and password change; old session cookies stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    #: random value bound into the newest password-reset or invitation link; a new link
    #: replaces it (earlier links stop working), setting the password clears it.
    reset_nonce: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    last_login_at: Mapped[datetime | None]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", lazy="raise", cascade="all, delete-orphan"
    )

    def get_id(self) -> str:
        """Session identity: id and session version, so bumping the version logs out."""
        return f"{self.id}.{self.session_version}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(TenantScoped, db.Model):
    """A user's role in one tenant."""

    __tablename__ = "membership"
    #: the bound OWES may be deleted from the registry: NO ACTION, and ``owes.services``
    #: unbinds its memberships first (SET NULL would also null ``tenant_id``; see TenantScoped).
    __tenant_references__ = {"owes_id": "owes"}
    __extra_table_args__ = (UniqueConstraint("tenant_id", "user_id", name="uq_membership_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    #: one of TENANT_ROLES.
    role: Mapped[str] = mapped_column(String(20))
    #: for role "owes": the OWES this person represents (set by the OWES registry).
    owes_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())

    user: Mapped[User] = relationship(back_populates="memberships", lazy="raise")
    tenant = relationship("Tenant", lazy="raise")


class MembershipCount(TenantScoped, db.Model):
    """How many memberships of a region hold ``role``: kept by database triggers on
    ``membership`` (:mod:`coordination.auth.counts`), never written by the application."""

    __tablename__ = "membership_count"
    __extra_table_args__ = (UniqueConstraint("tenant_id", "role", name="uq_membership_count_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: one of TENANT_ROLES.
    role: Mapped[str] = mapped_column(String(20))
    #: memberships of the region with this role.
    n: Mapped[int] = mapped_column(default=0)


@event.listens_for(db.metadata, "after_create")
def _install_counts(_metadata, connection, **_kw) -> None:
    """``create_all`` (tests, a new installation without migrations) installs the triggers too."""
    from coordination.auth.counts import install

    install(connection)
