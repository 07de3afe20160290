"""Translated labels of the OWES enumerations (lazy, so they follow the active locale)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from coordination.labels import Labels, PerRequest, register
from tenants.operator import current_short, lazy_short

LABELS = register(
    "owes",
    operator_role=Labels({"lead": _l("Leader"), "partner": _l("Partner")}),
    unit=Labels({"count": _l("number"), "persons": _l("persons"), "hours": _l("hours"),
        "fte": lazy_pgettext("owes unit", "FTE"), "percent": _l("%"), "pln": _l("PLN")}),
    aggregation=Labels({"sum": _l("sum of periods"),
        "unique": _l("unique count (running total: latest period)"),
        "percent_of": _l("percentage of another indicator")}),
    disaggregation=Labels({"sex": _l("sex"), "disability": _l("disability"), "powiat": _l("powiat"),
        "components": _l("components")}),
    target_mode=Labels({"absolute": _l("absolute number"), "percent": _l("percentage of another indicator")}),
    value_status=Labels({"draft": lazy_pgettext("owes value", "draft"),
        "submitted": lazy_pgettext("owes value", "submitted"),
        "verified": lazy_pgettext("owes value", "verified"),
        "returned": lazy_pgettext("owes value", "returned")}),
    study_kind=Labels({"midterm": _l("mid-term evaluation of an OWES"),
        "final": _l("final evaluation of an OWES"),
        # the region's own operator (ROPS, RCPS, MCPS, DOPS …), read when the label is shown
        "system": PerRequest(lambda: _("system-wide study (%(operator)s)", operator=current_short()))}),
    criterion=Labels({"relevance": _l("relevance"), "effectiveness": _l("effectiveness"),
        "efficiency": _l("efficiency"), "utility": _l("utility"),
        "sustainability": _l("sustainability"),
        "standards": _l("compliance with OWES standards")}),
    document_kind=Labels({"draft": _l("draft report"), "final": _l("final report"), "other": _l("other document")}),
    participant=Labels({"rops": lazy_short(), "owes": _l("the OWES"),
        "monitoring_group": _l("committee's monitoring group"),
        "invited": _l("other invited members")}),
    answer=Labels({"accepted": _l("accepted"), "partly": _l("partly accepted"), "rejected": _l("rejected")}),
    priority=Labels({"high": _l("high"), "medium": _l("medium"), "low": _l("low")}),
    recommendation_status=Labels({"planned": lazy_pgettext("recommendation", "planned"),
        "in_progress": lazy_pgettext("recommendation", "in progress"),
        "implemented": lazy_pgettext("recommendation", "implemented"),
        "rejected": lazy_pgettext("recommendation", "rejected")}),
    round_status=Labels({"open": _l("open"), "closed": _l("closed")}),
    proposal_kind=Labels({"target": _l("a new value of a target"),
        "target_remove": _l("removing a target"),
        "accreditation": _l("a change of the accreditation (number or dates)"),
        "operator_remove": _l("removing a partnership operator")}),
    proposal_status=Labels({"pending": lazy_pgettext("proposal", "awaiting decision"),
        "accepted": lazy_pgettext("proposal", "accepted"),
        "rejected": lazy_pgettext("proposal", "rejected")}),
)
