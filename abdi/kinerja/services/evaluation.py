"""Periodic evaluation: the leader's ratings and predicate, 360 input, feedback notes.

PermenPANRB 6/2022: the assessing official rates work results and behaviour (the seven
BerAKHLAK values, against the expectations agreed in the plan); the predicate follows from
the quadrant. Input from peers and direct reports is optional material for the assessor.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record
from abdi.core.exceptions import full_clean
from abdi.organisations.access import employee_of
from abdi.organisations.models import Employee

from .. import rules as planning_rules
from ..choices import BERAKHLAK, CoreValue, FeedbackKind, PredicateSource, Rating, YearStatus
from ..evaluation import rules, selectors
from ..evaluation.access import may_evaluate, reviewer_relation
from ..exceptions import EvaluationErrorCode, SkpConflict, SkpError, SkpForbidden
from ..models import FeedbackNote, PeerReview, PerformanceYear, PeriodEvaluation, SkpPlan
from ._common import (
    _lock_plan,
    _period,
    _require_approved,
    _require_started,
    _require_text,
    facts_changed,
)

__all__ = [
    "evaluation_rate",
    "feedback_note_add",
    "peer_review_submit",
]

EVALUATION_FIELDS = [
    "result_rating",
    "result_suggested",
    "behaviour_rating",
    "matrix_predicate",
    "predicate",
]
_RATINGS = {rating.value for rating in Rating}
_VALUES = [value for value, _label, _guides in BERAKHLAK]


def require_open_period(year: PerformanceYear, period: int) -> None:
    """Refuse changes once the period is closed (only calibration and appeals change it)."""
    if selectors.closure_for(year, period) is not None:
        raise SkpConflict(
            _("The period is closed: its predicates can only change by appeal."),
            code=EvaluationErrorCode.PERIOD_CLOSED,
        )


def _rating(value: str, field: str) -> str:
    if value not in _RATINGS:
        raise SkpError(
            _("Choose Above, Meets or Below expectations."),
            code=EvaluationErrorCode.RATING_INVALID,
            field=field,
        )
    return value


def _clean_values(values: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Return ``{value: {"rating": …, "note": …}}`` for all seven values, or raise."""
    unknown = sorted(set(values) - set(_VALUES))
    if unknown:
        raise SkpError(
            _("Unknown core values: %(values)s."),
            code=EvaluationErrorCode.VALUES_INCOMPLETE,
            params={"values": ", ".join(unknown)},
            field="behaviour_values",
        )
    missing = [str(CoreValue(value).label) for value in _VALUES if value not in values]
    if missing:
        raise SkpError(
            _("Rate every BerAKHLAK value; missing: %(values)s."),
            code=EvaluationErrorCode.VALUES_INCOMPLETE,
            params={"values": ", ".join(missing)},
            field="behaviour_values",
        )
    cleaned = {}
    for value in _VALUES:
        item = values[value]
        if isinstance(item, str):
            item = {"rating": item}
        cleaned[value] = {
            "rating": _rating(str(item.get("rating", "")), "behaviour_values"),
            "note": str(item.get("note", "")).strip(),
        }
    return cleaned


@transaction.atomic
def evaluation_rate(
    *,
    actor: Any,
    plan: SkpPlan,
    period: int,
    result_rating: str,
    behaviour_rating: str,
    behaviour_values: Mapping[str, Any],
    note: str = "",
    today: date | None = None,
) -> PeriodEvaluation:
    """Record the leader's ratings for a period and the predicate that follows from them.

    The work result suggestion (realisation against target, bound metrics included) is
    computed and kept beside the leader's rating; a differing rating is recorded as such in
    the audit trail. The predicate comes from the quadrant (:func:`.rules.predicate_for`).
    """
    plan = _lock_plan(plan)
    if not may_evaluate(actor, plan.employee):
        raise SkpForbidden(
            _("Only the direct leader of %(employee)s may evaluate them."),
            code=EvaluationErrorCode.NOT_EVALUATOR,
            params={"employee": plan.employee.full_name},
        )
    _require_approved(plan)
    window = _period(plan.year, period)
    _require_started(window, today or plan.year.instansi.local_date())
    require_open_period(plan.year, period)
    result_rating = _rating(result_rating, "result_rating")
    behaviour_rating = _rating(behaviour_rating, "behaviour_rating")
    values = _clean_values(behaviour_values)
    suggested, basis = selectors.result_suggestion(plan, period)
    evaluation = (
        PeriodEvaluation.objects.select_for_update(of=("self",))
        .filter(year=plan.year, period=period, employee=plan.employee)
        .order_by("pk")
        .first()
    )
    before = None
    if evaluation is None:
        evaluation = PeriodEvaluation(year=plan.year, period=period, employee=plan.employee)
    else:
        before = {name: getattr(evaluation, name) for name in EVALUATION_FIELDS}
    predicate = rules.predicate_for(result_rating, behaviour_rating)
    evaluation.plan = plan
    evaluation.evaluator = employee_of(actor)
    evaluation.result_rating = result_rating
    evaluation.result_suggested = suggested or ""
    evaluation.result_basis = basis
    evaluation.behaviour_rating = behaviour_rating
    evaluation.behaviour_values = values
    evaluation.note = note.strip()
    evaluation.matrix_predicate = predicate
    evaluation.predicate = predicate
    evaluation.predicate_source = PredicateSource.MATRIX
    full_clean(evaluation, code=EvaluationErrorCode.RATING_INVALID)
    evaluation.save()
    audit_record(
        actor=actor,
        action="kinerja.evaluation.rated",
        target=evaluation,
        instansi_id=plan.year.instansi_id,
        before=before,
        after={
            **{name: getattr(evaluation, name) for name in EVALUATION_FIELDS},
            "period": period,
            "result_differs_from_suggestion": evaluation.result_differs,
            "result_basis": str(basis) if basis is not None else None,
        },
    )
    facts_changed(plan.year, period, plan.employee)
    return evaluation


def _current_period(year: PerformanceYear, today: date) -> int:
    if year.status != YearStatus.OPEN or today.year != year.year:
        raise SkpConflict(
            _("There is no open performance year for today."), code=EvaluationErrorCode.NO_YEAR
        )
    return planning_rules.period_containing(today, year.rhythm).index


@transaction.atomic
def peer_review_submit(
    *,
    actor: Any,
    employee: Employee,
    year: PerformanceYear,
    period: int,
    ratings: Mapping[str, str],
    comment: str = "",
) -> PeerReview:
    """Record a peer's or a direct report's 360 input on ``employee`` for a period, once.

    The leader sees it only aggregated (:func:`..evaluation.selectors.peer_summary`); the
    reviewer is kept to refuse a second review, and is never shown.
    """
    reviewer = employee_of(actor)
    relation = reviewer_relation(reviewer, employee)
    if relation is None or reviewer is None:
        raise SkpForbidden(
            _("Only peers and direct reports of %(employee)s may give 360 input."),
            code=EvaluationErrorCode.NOT_REVIEWER,
            params={"employee": employee.full_name},
        )
    _period(year, period)
    require_open_period(year, period)
    cleaned = {value: rating["rating"] for value, rating in _clean_values(dict(ratings)).items()}
    review = PeerReview(
        year=year, period=period, employee=employee, reviewer=reviewer, relation=relation,
        ratings=cleaned, comment=comment.strip(),
    )  # fmt: skip
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        raise SkpConflict(
            _("You already reviewed this colleague for the period."),
            code=EvaluationErrorCode.REVIEW_EXISTS,
        ) from None
    # The audit trail names no reviewer for the subject's side: the event targets the review.
    audit_record(
        actor=actor,
        action="kinerja.peer_review.submitted",
        target_label=f"360 {employee.nip} {year.year}/{period}",
        instansi_id=year.instansi_id,
        after={"period": period},
    )
    return review


@transaction.atomic
def feedback_note_add(
    *,
    actor: Any,
    employee: Employee,
    year: PerformanceYear,
    kind: str,
    text: str,
    today: date | None = None,
) -> FeedbackNote:
    """Record a continuous feedback note (praise or concern) on ``employee``, any day.

    The leader and the employee's peers and direct reports may write one; the note belongs
    to the period that contains today (in the agency's zone).
    """
    author = employee_of(actor)
    if author is None or not (
        may_evaluate(actor, employee) or reviewer_relation(author, employee) is not None
    ):
        raise SkpForbidden(
            _("Only the leader, peers and direct reports of %(employee)s may give feedback."),
            code=EvaluationErrorCode.NOTE_FORBIDDEN,
            params={"employee": employee.full_name},
        )
    if kind not in FeedbackKind.values:
        raise SkpError(
            _("Choose praise or concern."), code=EvaluationErrorCode.RATING_INVALID, field="kind"
        )
    text = _require_text(text, "skp.text_required", _("Write the feedback."), "text")
    period = _current_period(year, today or year.instansi.local_date())
    note = FeedbackNote.objects.create(
        year=year, period=period, employee=employee, author=author, kind=kind, text=text
    )
    audit_record(
        actor=actor,
        action="kinerja.feedback_note.added",
        target=note,
        instansi_id=year.instansi_id,
        after={"employee": employee.nip, "period": period, "kind": kind},
    )
    return note
