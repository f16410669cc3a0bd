"""Kinerja data: SKP planning and realisation (``planning``), and the evaluation that follows
it (``evaluation``): behaviour ratings, predicates, calibration, consequences and appeals."""

from .evaluation import (
    Appeal,
    CalibrationChange,
    CalibrationSession,
    Consequence,
    ConsequenceRule,
    EvaluationSettings,
    FeedbackNote,
    OrganisationPredicate,
    PeerReview,
    PeriodClosure,
    PeriodEvaluation,
)
from .planning import (
    ActingAssignment,
    Evidence,
    Indicator,
    OutputEntry,
    PerformanceYear,
    Realisation,
    Rhk,
    RhkContributor,
    RhkFeedback,
    SkpPlan,
)

__all__ = [
    "ActingAssignment",
    "Appeal",
    "CalibrationChange",
    "CalibrationSession",
    "Consequence",
    "ConsequenceRule",
    "EvaluationSettings",
    "Evidence",
    "FeedbackNote",
    "Indicator",
    "OrganisationPredicate",
    "OutputEntry",
    "PeerReview",
    "PerformanceYear",
    "PeriodClosure",
    "PeriodEvaluation",
    "Realisation",
    "Rhk",
    "RhkContributor",
    "RhkFeedback",
    "SkpPlan",
]
