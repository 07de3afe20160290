"""OWES tables: the national indicator catalogue and the tenant-owned registry, plans,
values, imports and evaluation studies."""

from owes.models.evaluation import (
    ANSWERS,
    CRITERIA,
    DOCUMENT_KINDS,
    PARTICIPANTS,
    PRIORITIES,
    RECOMMENDATION_STATUSES,
    STUDY_KINDS,
    ConsultationComment,
    ConsultationRound,
    Recommendation,
    RecommendationUpdate,
    Study,
    StudyDocument,
)
from owes.models.indicators import AGGREGATIONS, DISAGGREGATIONS, UNITS, Indicator
from owes.models.registry import (
    OPERATOR_ROLES,
    PROPOSAL_KINDS,
    PROPOSAL_STATUSES,
    TARGET_MODES,
    VALUE_STATUSES,
    ActionPlan,
    ChangeProposal,
    ImportBatch,
    Owes,
    OwesOperator,
    OwesProject,
    PlanStaff,
    PlanTarget,
    ReportedValue,
)

__all__ = [
    "AGGREGATIONS", "ANSWERS", "CRITERIA", "DISAGGREGATIONS", "DOCUMENT_KINDS", "OPERATOR_ROLES",
    "PARTICIPANTS", "PRIORITIES", "PROPOSAL_KINDS", "PROPOSAL_STATUSES", "RECOMMENDATION_STATUSES", "STUDY_KINDS", "TARGET_MODES",
    "UNITS", "VALUE_STATUSES", "ActionPlan", "ChangeProposal", "ConsultationComment", "ConsultationRound",
    "ImportBatch", "Indicator", "Owes", "OwesOperator", "OwesProject", "PlanStaff", "PlanTarget",
    "Recommendation", "RecommendationUpdate", "ReportedValue", "Study", "StudyDocument",
]
