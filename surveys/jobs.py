"""The daily job of the survey module (storing closed campaigns' dimension scores) and the
send-time hooks of the survey e-mails (run by the scheduler's sender).

Right before a survey e-mail leaves, :func:`survey_values` checks the respondent and the
campaign as they are *then* — reminders and the closing notice go only to people who have not
answered; nothing goes to a revoked or removed respondent or for a closed campaign — and issues
the fresh personal link the way :mod:`surveys.services.respondents` does (only its hash is
stored). The values it returns hold no answer content; the outbox stores none either.
"""

from __future__ import annotations

from coordination.extensions import db
from coordination.notifications.kinds import before_send
from coordination.tenancy import tenant_context
from surveys.models import Campaign, Respondent, campaign_status
from surveys.services.campaigns import SURVEY_KINDS

SCHEDULE = (
    ("surveys.jobs.store_closed_scores", "cron", {"hour": 0, "minute": 20}),
)


def store_closed_scores() -> int:
    """Store the dimension scores of the campaigns that have closed (daily, just after
    midnight, when yesterday's closing campaigns become closed); returns how many."""
    from surveys.services.tally import store_closed_scores as store

    stored = store()
    db.session.commit()
    return stored


def survey_values(row) -> dict | None:
    """Template values with a fresh personal link, or None when the message is not wanted."""
    from tenants.models import Tenant

    with tenant_context(row.tenant_id):
        respondent = db.session.get(Respondent, (row.context or {}).get("respondent_id") or 0)
        campaign = db.session.get(Campaign, row.object_id)
        if (respondent is None or campaign is None or respondent.campaign_id != campaign.id
                or respondent.revoked or respondent.completed or campaign_status(campaign) == "closed"):
            return None
        tenant = db.session.get(Tenant, row.tenant_id)
        values = {
            **(row.context or {}),
            "campaign": {"title": campaign.title, "year": campaign.year, "closes_on": campaign.closes_on,
                         "anonymous": campaign.anonymous},
            "region": {"operator_name": tenant.operator_name, "committee_name": tenant.committee_name},
        }
        from surveys.services.respondents import issue_link

        values["url"] = issue_link(respondent, row.kind)
    return values


for _kind in SURVEY_KINDS:
    before_send(_kind)(survey_values)
