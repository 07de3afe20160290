"""The erasure register and the retention settings (RODO: art. 17 and storage limitation)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coordination.clock import utcnow
from coordination.extensions import db


class ErasureRecord(db.Model):
    """One erasure (RODO art. 17): whose data, by whom, why. Its id numbers the pseudonym
    ("Osoba usunięta #<id>"). The same entry is appended to the register file outside the
    database (``PRIVACY_REGISTER_PATH``) so that a restore of an older backup re-applies it.

    Not tenant-scoped: an account erasure covers every region (``tenant_id`` None).
    """

    __tablename__ = "privacy_erasure"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: when (UTC).
    at: Mapped[datetime] = mapped_column(default=utcnow)
    #: acting account (no foreign key: the register outlives accounts).
    actor_id: Mapped[int | None]
    #: region of a contact erasure; None for an account erasure (all regions).
    tenant_id: Mapped[int | None]
    #: the erased account, if any (the row stays, pseudonymised).
    user_id: Mapped[int | None]
    #: ids of the erased group memberships (contacts), and sha256 of the erased e-mail
    #: addresses (to find survey invitations again after a restore; never the address itself).
    member_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    email_hashes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    #: the reason given in the confirmation.
    reason: Mapped[str] = mapped_column(Text)


class RetentionSetting(db.Model):
    """How long rows of one kind are kept (absent row: the kind's default)."""

    __tablename__ = "privacy_retention"

    #: kind name, see :data:`privacy.services.retention.KINDS`.
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: days after which the rows are deleted.
    days: Mapped[int]
    #: last change.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
