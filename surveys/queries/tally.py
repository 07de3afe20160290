"""The answer tallies recounted from the answers (the source of a rebuild, and of the checks).

:func:`tally_source` is the one definition of what a :class:`~surveys.models.AnswerTally` row
holds; :mod:`surveys.services.tally` keeps the same rows up to date answer by answer, and
rebuilds them with ``INSERT … SELECT`` from this query.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, case, func, literal, select
from sqlalchemy.orm import aliased

from surveys.models import (
    CATEGORY_CODE,
    RATED_KINDS,
    TALLY_COUNTS,
    TALLY_KEY,
    Answer,
    CampaignQuestion,
)


def _ordered(column, dialect: str):
    """``column`` compared byte by byte on every database (as Python compares strings), so the
    "first row" picked here is the one :mod:`surveys.services.tally` picks."""
    return column.collate("C") if dialect == "postgresql" else column


def tally_source(campaign_ids: list[int] | None, dialect: str) -> Select:
    """``tenant_id, *TALLY_KEY, *TALLY_COUNTS`` grouped from the answers of ``campaign_ids``
    (every campaign when None). Not filtered by tenant when used in ``INSERT … SELECT``: pass
    the campaigns explicitly."""
    question = aliased(CampaignQuestion)
    profile_question = aliased(CampaignQuestion)
    profile = aliased(Answer)
    choice = func.coalesce(Answer.choice, "")
    num = func.coalesce(Answer.num, 0.0)
    rated = and_(Answer.num.is_not(None), question.dimension.is_not(None), question.kind.in_(RATED_KINDS))
    first = func.row_number().over(
        partition_by=(Answer.response_id, Answer.question_id, Answer.item),
        order_by=(_ordered(choice, dialect), num))
    dimension_first = func.row_number().over(
        partition_by=(Answer.response_id, case((rated, question.dimension), else_=literal(None))),
        order_by=(Answer.question_id, _ordered(Answer.item, dialect), num))
    rows = (select(Answer.tenant_id, Answer.campaign_id, Answer.question_id, Answer.item,
                   choice.label("choice"), Answer.num.is_not(None).label("has_num"), num.label("num"),
                   func.coalesce(profile.choice, "").label("category"),
                   case((Answer.text.is_not(None), 1), else_=0).label("has_text"),
                   first.label("rank"), case((rated, dimension_first), else_=0).label("dimension_rank"))
            .join(question, question.id == Answer.question_id)
            .outerjoin(profile_question, and_(profile_question.campaign_id == Answer.campaign_id,
                                              profile_question.code == CATEGORY_CODE))
            .outerjoin(profile, and_(profile.response_id == Answer.response_id,
                                     profile.question_id == profile_question.id)))
    if campaign_ids is not None:
        rows = rows.where(Answer.campaign_id.in_(campaign_ids))
    sub = rows.subquery()
    keys = [sub.c.tenant_id, *(sub.c[k] for k in TALLY_KEY)]
    counts = (func.count(), func.sum(case((sub.c.rank == 1, 1), else_=0)),
              func.sum(case((sub.c.dimension_rank == 1, 1), else_=0)), func.sum(sub.c.has_text))
    return select(*keys, *(c.label(name) for c, name in zip(counts, TALLY_COUNTS, strict=True))).group_by(*keys)
