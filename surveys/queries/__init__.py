"""Reads shaped for survey pages.

* :mod:`surveys.queries.campaigns`: campaigns, questionnaires, respondents (status only);
* :mod:`surveys.queries.results`: results aggregated in SQL — the number of queries of a
  results page or export does not depend on the number of responses (nor on the number of
  questions, years or regions): read from the answer tallies;
* :mod:`surveys.queries.tally`: the tallies recounted from the answers (rebuild source).

Small-group suppression: any figure describing fewer than :data:`MIN_GROUP` responses
(a campaign, a respondent category, a region) is returned as ``None`` and shown as
"za mało odpowiedzi".
"""

from __future__ import annotations

from surveys.queries.campaigns import (
    campaign_with_questions,
    campaigns_page,
    flat_questions,
    latest_campaign,
    my_open_surveys,
    respondent_stats,
    respondents_page,
    sections_and_questions,
    template_with_questions,
)
from surveys.queries.committee import CommitteePreview, category_rates, committee_preview
from surveys.queries.results import (
    MIN_GROUP,
    campaign_years,
    dimension_names,
    latest_scored_year,
    national_medians,
    region_dimension_scores,
    results,
)

__all__ = ["MIN_GROUP", "CommitteePreview", "campaign_with_questions", "category_rates", "committee_preview", "campaign_years", "campaigns_page", "dimension_names", "latest_scored_year", "flat_questions",
           "latest_campaign", "my_open_surveys", "national_medians", "region_dimension_scores", "respondent_stats",
           "respondents_page", "results", "sections_and_questions", "template_with_questions"]
