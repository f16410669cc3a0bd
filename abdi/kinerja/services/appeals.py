"""Appeals (keberatan) against a predicate, decided by the leader's leader.

The employee may object within the agency's number of working days after the period is
closed; the atasan pejabat penilai decides, with a reason; a granted appeal changes the
predicate and the consequences are recomputed for that employee.
"""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record
from abdi.organisations.access import employee_of

from ..choices import AppealStatus, Predicate, PredicateSource
from ..evaluation import bulk
from ..evaluation.access import may_decide_appeal
from ..evaluation.selectors import closure_for
from ..exceptions import EvaluationErrorCode, SkpConflict, SkpError, SkpForbidden
from ..models import Appeal, PeriodClosure, PeriodEvaluation
from ._common import _require_text, facts_changed

__all__ = ["appeal_decide", "appeal_file"]


@transaction.atomic
def appeal_file(
    *,
    actor: Any,
    evaluation: PeriodEvaluation,
    reason: str,
    requested: str = "",
    today: date | None = None,
) -> Appeal:
    """File the employee's appeal against the predicate of a closed period, before the deadline."""
    evaluation = (
        PeriodEvaluation.objects.select_for_update(of=("self",))
        .select_related("employee", "year__instansi")
        .get(pk=evaluation.pk)
    )
    me = employee_of(actor)
    if me is None or me.pk != evaluation.employee_id:
        raise SkpForbidden(
            _("Only the employee may appeal against their predicate."),
            code=EvaluationErrorCode.APPEAL_NOT_OWNER,
        )
    closure: PeriodClosure | None = closure_for(evaluation.year, evaluation.period)
    if closure is None:
        raise SkpConflict(
            _("An appeal is possible once the period is closed."),
            code=EvaluationErrorCode.PERIOD_NOT_CLOSED,
        )
    today = today or evaluation.year.instansi.local_date()
    if today > closure.appeal_deadline:
        raise SkpConflict(
            _("The appeal window ended on %(deadline)s."),
            code=EvaluationErrorCode.APPEAL_LATE,
            params={"deadline": closure.appeal_deadline.isoformat()},
        )
    if requested and requested not in Predicate.values:
        raise SkpError(
            _("Unknown predicate."), code=EvaluationErrorCode.PREDICATE_INVALID,
            field="requested",
        )  # fmt: skip
    reason = _require_text(
        reason, "skp.reason_required", _("Give the grounds of the appeal."), "reason"
    )
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                evaluation=evaluation, reason=reason, requested=requested,
                deadline=closure.appeal_deadline, predicate_before=evaluation.predicate,
            )  # fmt: skip
    except IntegrityError:
        raise SkpConflict(
            _("An appeal against this predicate is pending."),
            code=EvaluationErrorCode.APPEAL_PENDING,
        ) from None
    audit_record(
        actor=actor, action="kinerja.appeal.filed", target=appeal,
        instansi_id=evaluation.year.instansi_id,
        after={"predicate": evaluation.predicate, "requested": requested}, reason=reason,
    )  # fmt: skip
    return appeal


@transaction.atomic
def appeal_decide(
    *, actor: Any, appeal: Appeal, grant: bool, reason: str, predicate: str = ""
) -> Appeal:
    """Decide an appeal as the leader's leader; a granted one sets the new predicate.

    The consequences of the employee's closed periods of that year are recomputed (a
    changed predicate may also change a "repeated" rule in later periods).
    """
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("evaluation__employee", "evaluation__year__instansi")
        .get(pk=appeal.pk)
    )
    evaluation = appeal.evaluation
    if not may_decide_appeal(actor, evaluation.employee):
        raise SkpForbidden(
            _("Only the leader's leader of %(employee)s decides this appeal."),
            code=EvaluationErrorCode.APPEAL_FORBIDDEN,
            params={"employee": evaluation.employee.full_name},
        )
    if appeal.status != AppealStatus.FILED:
        raise SkpConflict(
            _("The appeal was already decided."), code=EvaluationErrorCode.APPEAL_DECIDED
        )
    reason = _require_text(
        reason, "skp.reason_required", _("Give the reason for the decision."), "reason"
    )
    if grant:
        if predicate not in Predicate.values:
            raise SkpError(
                _("Choose the predicate that replaces the appealed one."),
                code=EvaluationErrorCode.PREDICATE_INVALID, field="predicate",
            )  # fmt: skip
        if predicate == evaluation.predicate:
            raise SkpError(
                _("Choose a different predicate."), code=EvaluationErrorCode.SAME_PREDICATE,
                field="predicate",
            )  # fmt: skip
    appeal.status = AppealStatus.GRANTED if grant else AppealStatus.REJECTED
    appeal.decider = employee_of(actor)
    appeal.decision_reason = reason
    appeal.decided_at = timezone.now()
    appeal.predicate_after = predicate if grant else evaluation.predicate
    appeal.save(
        update_fields=[
            "status", "decider", "decision_reason", "decided_at", "predicate_after", "updated_at",
        ]
    )  # fmt: skip
    recomputed = 0
    if grant:
        PeriodEvaluation.objects.filter(pk=evaluation.pk).update(
            predicate=predicate, predicate_source=PredicateSource.APPEAL
        )
        periods = list(
            PeriodClosure.objects.filter(year_id=evaluation.year_id).values_list(
                "period", flat=True
            )
        )
        recomputed = bulk.recompute_consequences(
            year=evaluation.year, periods=periods, employee_ids=[evaluation.employee_id]
        ).rows
        facts_changed(evaluation.year, evaluation.period, evaluation.employee)
    audit_record(
        actor=actor, action="kinerja.appeal.decided", target=appeal,
        instansi_id=evaluation.year.instansi_id,
        before={"predicate": appeal.predicate_before},
        after={
            "status": appeal.status, "predicate": appeal.predicate_after,
            "consequences": recomputed,
        },
        reason=reason,
    )  # fmt: skip
    return appeal
