"""Respondents from the region's committee group: the import preview and the response rate
by the members' institution category (status only, never answers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, select

from coordination import clock
from coordination.extensions import db
from surveys.models import Respondent
from workgroups.queries.committee import CommitteeMember, committee_roster


@dataclass
class CommitteePreview:
    """What importing the committee would do: who is added, who is already on the list, who
    cannot be added (no valid e-mail). ``group`` is None when the region has no committee group."""

    group: object | None
    to_add: list[tuple[CommitteeMember, str]] = field(default_factory=list)
    already: list[tuple[CommitteeMember, str]] = field(default_factory=list)
    no_email: list[CommitteeMember] = field(default_factory=list)


def committee_preview(campaign_id: int, day: date | None = None) -> CommitteePreview:
    """Compare the committee's current members (on ``day``, default today in Warsaw) with the
    campaign's list, deduplicated by normalised e-mail (two queries). A person with several
    current memberships is listed once."""
    # the services import these queries: imported here to keep one e-mail rule without a cycle
    from coordination.errors import DomainError
    from surveys.services.respondents import normalise_email

    group, members = committee_roster(day or clock.today())
    preview = CommitteePreview(group)
    if group is None:
        return preview
    listed = set(db.session.scalars(select(Respondent.email).where(Respondent.campaign_id == campaign_id)))
    seen: set[str] = set()
    for member in members:
        try:
            email = normalise_email(member.email or "")
        except DomainError:
            preview.no_email.append(member)
            continue
        if email in seen:
            continue
        seen.add(email)
        (preview.already if email in listed else preview.to_add).append((member, email))
    return preview


def category_rates(campaign_id: int) -> list[tuple[str | None, int, int]]:
    """``(category, people on the list, responded)`` per institution category (None: unknown),
    revoked links left out; one query. Only completions already shown on the list count
    (revealed in groups of at least 5, see :func:`surveys.services.responses.reveal_completions`),
    so the table tells nothing the list does not."""
    return [tuple(row) for row in db.session.execute(
        select(Respondent.category, func.count(Respondent.id),
               func.sum(case((and_(Respondent.completed.is_(True),
                                  Respondent.completion_shown.is_(True)), 1), else_=0)))
        .where(Respondent.campaign_id == campaign_id, Respondent.revoked.is_(False))
        .group_by(Respondent.category).order_by(Respondent.category)).all()]
