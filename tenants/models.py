"""The tenant: one voivodeship, run by its ROPS."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, func
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
    #: the ROPS (or RCPS/MCPS/DOPS) running the tenant.
    operator_name: Mapped[str] = mapped_column(String(200))
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
