"""The national indicator catalogue (not tenant-scoped: every region reports against it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from coordination.clock import utcnow
from coordination.extensions import db

#: units of measure.
UNITS = ("count", "persons", "hours", "fte", "percent", "pln")
#: how values of several periods add up: ``sum`` of the periods; ``unique`` — the value is a
#: running unique total, so the latest period counts; ``percent_of`` — counted like ``sum`` and
#: read as a share of the base indicator (e.g. AL-05 communities joining = % of AL-04).
AGGREGATIONS = ("sum", "unique", "percent_of")
#: optional breakdowns a value may carry; ``components`` are the parts a document gives for a
#: total (e.g. legal advice 106.5 h + 64.5 h for two kinds of recipients), adding up to it.
DISAGGREGATIONS = ("sex", "disability", "powiat", "components")


class Indicator(db.Model):
    """One indicator of the national catalogue, e.g. ``RES-01`` jobs for people at risk."""

    __tablename__ = "owes_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable code, e.g. "AL-05"; codes are what XLSX files carry.
    code: Mapped[str] = mapped_column(String(20), unique=True)
    #: Polish name (the official wording).
    name: Mapped[str] = mapped_column(String(300))
    #: English name for the English interface (falls back to the Polish one).
    name_en: Mapped[str | None] = mapped_column(String(300))
    #: one of UNITS.
    unit: Mapped[str] = mapped_column(String(20), default="count")
    #: how to count it (shown to whoever reports).
    definition: Mapped[str | None] = mapped_column(Text)
    #: one of AGGREGATIONS.
    aggregation: Mapped[str] = mapped_column(String(20), default="sum")
    #: for ``percent_of``: the indicator this one is a share of.
    base_id: Mapped[int | None] = mapped_column(ForeignKey("owes_indicator.id", ondelete="SET NULL"))
    #: comma-separated subset of DISAGGREGATIONS ("" when none).
    disaggregation: Mapped[str] = mapped_column(String(60), default="")
    #: order within the catalogue.
    position: Mapped[int] = mapped_column(default=0)
    #: retired indicators stay for history but are not offered for new targets.
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())

    @property
    def breakdowns(self) -> list[str]:
        """The disaggregations as a list."""
        return [d for d in (self.disaggregation or "").split(",") if d]

    @property
    def group(self) -> str:
        """The code's prefix (AL, RES, PS, DOR, SZK, INK, FIN, PAR or a new one)."""
        return self.code.split("-", 1)[0]

    def label(self, locale: str = "pl") -> str:
        """Name in the interface language."""
        return (self.name_en or self.name) if locale == "en" else self.name

    def __repr__(self) -> str:
        return f"<Indicator {self.code}>"
