"""The tenant: one voivodeship, run by its regional social policy centre (ROPS, RCPS …)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from coordination.clock import utcnow
from coordination.extensions import db


class Tenant(db.Model):
    """A voivodeship. Not tenant-scoped itself: it *is* the scope."""

    __tablename__ = "tenant"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: two-digit TERYT code of the voivodeship, e.g. "30".
    teryt: Mapped[str] = mapped_column(String(2), unique=True)
    #: ASCII URL slug, e.g. "wielkopolskie".
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    #: Polish name, lower case as used officially, e.g. "wielkopolskie".
    name: Mapped[str] = mapped_column(String(60))
    #: full name of the operator running the tenant, nominative, e.g. "Regionalne Centrum
    #: Polityki Społecznej w Łodzi" (letterheads use it as it is).
    operator_name: Mapped[str] = mapped_column(String(200))
    #: short name of the operator, nominative: ROPS, RCPS, MCPS, DOPS, "ROPS Województwa Śląskiego".
    operator_short: Mapped[str] = mapped_column(String(80), default="ROPS", server_default="ROPS")
    #: declined forms ``{"full": {case: name}, "short": {case: name}}`` for the cases gen, dat,
    #: ins, loc (see :mod:`tenants.regions`); missing forms fall back to the nominative.
    operator_forms: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: name of the Regional Committee (RKRES) in this region.
    committee_name: Mapped[str] = mapped_column(
        String(200), default="Regionalny Komitet Rozwoju Ekonomii Społecznej"
    )
    #: public contact e-mail of the coordination team.
    contact_email: Mapped[str | None] = mapped_column(String(200))
    #: public contact phone.
    contact_phone: Mapped[str | None] = mapped_column(String(60))
    #: postal address.
    address: Mapped[str | None] = mapped_column(Text)
    #: short text shown in place of a logo in the header.
    logo_text: Mapped[str | None] = mapped_column(String(60))
    #: last change of the settings.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now(), onupdate=utcnow)

    @property
    def display_name(self) -> str:
        """"województwo wielkopolskie"."""
        return f"województwo {self.name}"

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"
