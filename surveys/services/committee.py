"""Respondents from the region's committee group (the working-groups module's roster)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from coordination import audit
from coordination.errors import DomainError
from coordination.extensions import db
from surveys.models import Campaign, Respondent
from surveys.queries.committee import CommitteePreview, committee_preview


def import_committee(campaign: Campaign, *, actor=None, day: date | None = None,
                     is_demo: bool = False) -> CommitteePreview:
    """Add the committee's current members who are not on the list yet (by normalised e-mail),
    with their institution category and name; returns the preview that was carried out.
    Re-importing adds nothing; members without a valid e-mail are left out (the preview lists
    them). :class:`DomainError` when the region has no committee group."""
    preview = committee_preview(campaign.id, day)
    if preview.group is None:
        raise DomainError(_("The region has no committee group. Upload a list of respondents instead."))
    for member, email in preview.to_add:
        db.session.add(Respondent(campaign_id=campaign.id, full_name=member.full_name[:200], email=email,
                                  category=member.category, institution=member.institution,
                                  is_demo=is_demo))
    audit.record("survey.respondent.committee_import", actor=actor, obj=campaign,
                 summary={"added": len(preview.to_add), "already": len(preview.already),
                          "no_email": len(preview.no_email)})
    db.session.commit()
    return preview
