"""Evaluation settings, the organisation predicate, annual predicates and calibration.

SE MenPANRB 3/2023: the organisation predicate sets the pattern the employees' predicates
are expected to follow; the head of the agency (or a panel) reviews the distribution and
may change predicates, each change with its reason.
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record
from abdi.organisations.access import employee_of
from abdi.organisations.models import Employee, Instansi, UnitKerja
from abdi.organisations.services import require_instansi_admin

from ..choices import ANNUAL, AnnualPolicy, OrgPredicate, Predicate, PredicateSource, SessionStatus
from ..evaluation import rules
from ..evaluation.access import is_head_of_agency, may_calibrate
from ..exceptions import EvaluationErrorCode, SkpConflict, SkpError, SkpForbidden
from ..models import (
    CalibrationChange,
    CalibrationSession,
    EvaluationSettings,
    OrganisationPredicate,
    PerformanceYear,
    PeriodEvaluation,
)
from ._common import _period, _require_text, facts_changed
from .evaluation import require_open_period

__all__ = [
    "annual_evaluations_compute",
    "calibration_change",
    "calibration_close",
    "calibration_open",
    "evaluation_settings_update",
    "organisation_predicate_set",
]


@transaction.atomic
def evaluation_settings_update(
    *, actor: Any, instansi: Instansi, annual_policy: str, appeal_working_days: int
) -> EvaluationSettings:
    """Set the agency's annual predicate policy and the appeal window (working days)."""
    require_instansi_admin(actor, instansi)
    if annual_policy not in AnnualPolicy.values:
        raise SkpError(
            _("Unknown annual policy."), code=EvaluationErrorCode.SETTINGS_INVALID,
            field="annual_policy",
        )  # fmt: skip
    if not 1 <= appeal_working_days <= 90:
        raise SkpError(
            _("The appeal window is 1 to 90 working days."),
            code=EvaluationErrorCode.SETTINGS_INVALID,
            field="appeal_working_days",
        )
    settings_row, _created = EvaluationSettings.objects.select_for_update().get_or_create(
        instansi=instansi
    )
    before = {
        "annual_policy": settings_row.annual_policy,
        "appeal_working_days": settings_row.appeal_working_days,
    }
    settings_row.annual_policy = annual_policy
    settings_row.appeal_working_days = appeal_working_days
    settings_row.save(update_fields=["annual_policy", "appeal_working_days", "updated_at"])
    audit_record(
        actor=actor, action="kinerja.evaluation_settings.updated", target=settings_row,
        instansi_id=instansi.pk, before=before,
        after={"annual_policy": annual_policy, "appeal_working_days": appeal_working_days},
    )  # fmt: skip
    return settings_row


@transaction.atomic
def organisation_predicate_set(
    *, actor: Any, year: PerformanceYear, predicate: str, unit: UnitKerja | None = None
) -> OrganisationPredicate:
    """Record the organisation predicate of the agency (no ``unit``) or a unit for the year."""
    require_instansi_admin(actor, year.instansi)
    if predicate not in OrgPredicate.values:
        raise SkpError(
            _("Unknown organisation predicate."), code=EvaluationErrorCode.PREDICATE_INVALID,
            field="predicate",
        )  # fmt: skip
    if unit is not None and unit.instansi_id != year.instansi_id:
        raise SkpError(
            _("The unit belongs to another agency."), code="skp.other_instansi", field="unit"
        )
    row = (
        OrganisationPredicate.objects.select_for_update(of=("self",))
        .filter(year=year, unit=unit)
        .order_by("pk")
        .first()
    )
    before = {"predicate": row.predicate} if row is not None else None
    if row is None:
        row = OrganisationPredicate(year=year, unit=unit, recorded_by=actor)
    row.predicate = predicate
    row.recorded_by = actor
    row.save()
    audit_record(
        actor=actor, action="kinerja.org_predicate.recorded", target=row,
        instansi_id=year.instansi_id, before=before,
        after={"predicate": predicate, "unit": unit.code if unit else None, "year": year.year},
    )  # fmt: skip
    return row


@transaction.atomic
def annual_evaluations_compute(*, actor: Any, year: PerformanceYear) -> int:
    """Derive every employee's annual ratings and predicate from the periodic ones.

    Uses the agency's policy (:func:`..evaluation.rules.annual_ratings`, ADR 0003) on the
    periods rated so far; an annual predicate changed by calibration or appeal keeps its
    value. Four queries plus the bulk writes. Return the number of employees.
    """
    require_instansi_admin(actor, year.instansi)
    require_open_period(year, ANNUAL)
    from ..evaluation.selectors import evaluation_settings_for

    policy = evaluation_settings_for(year.instansi_id).annual_policy
    periodic: dict[int, list[tuple[str, str]]] = defaultdict(list)
    plans: dict[int, int | None] = {}
    for employee_id, result, behaviour, plan_id in (
        PeriodEvaluation.objects.filter(year=year, period__gt=ANNUAL)
        .exclude(predicate="")
        .order_by("employee_id", "period")
        .values_list("employee_id", "result_rating", "behaviour_rating", "plan_id")
    ):
        periodic[employee_id].append((result, behaviour))
        plans[employee_id] = plan_id
    existing = {
        evaluation.employee_id: evaluation
        for evaluation in PeriodEvaluation.objects.filter(year=year, period=ANNUAL)
    }
    created, updated = [], []
    for employee_id, ratings in periodic.items():
        annual = rules.annual_ratings(ratings, policy)
        assert annual is not None
        result, behaviour = annual
        predicate = rules.predicate_for(result, behaviour)
        evaluation = existing.get(employee_id)
        if evaluation is None:
            created.append(
                PeriodEvaluation(
                    year=year, period=ANNUAL, employee_id=employee_id, plan_id=plans[employee_id],
                    result_rating=result, result_suggested=result, behaviour_rating=behaviour,
                    matrix_predicate=predicate, predicate=predicate,
                )
            )  # fmt: skip
            continue
        evaluation.result_rating = evaluation.result_suggested = result
        evaluation.behaviour_rating = behaviour
        evaluation.matrix_predicate = predicate
        if evaluation.predicate_source == PredicateSource.MATRIX:
            evaluation.predicate = predicate
        updated.append(evaluation)
    PeriodEvaluation.objects.bulk_create(created, batch_size=1000)
    PeriodEvaluation.objects.bulk_update(
        updated,
        ["result_rating", "result_suggested", "behaviour_rating", "matrix_predicate", "predicate"],
        batch_size=1000,
    )
    audit_record(
        actor=actor, action="kinerja.evaluation.annual_computed", target=year,
        instansi_id=year.instansi_id,
        after={"policy": policy, "created": len(created), "updated": len(updated)},
    )  # fmt: skip
    facts_changed(year, 0)
    return len(created) + len(updated)


# --- Calibration -----------------------------------------------------------------------------


def _require_calibration_lead(actor: Any, year: PerformanceYear) -> None:
    from abdi.organisations.access import can_admin_instansi

    if can_admin_instansi(actor, year.instansi_id):
        return
    if is_head_of_agency(employee_of(actor), year.instansi_id):
        return
    raise SkpForbidden(
        _("Only the head of the agency or its administrator runs calibration."),
        code=EvaluationErrorCode.NOT_CALIBRATOR,
    )


@transaction.atomic
def calibration_open(
    *, actor: Any, year: PerformanceYear, period: int, panel: Sequence[Employee] = ()
) -> CalibrationSession:
    """Open a calibration session of the period's predicates, with an optional panel."""
    _require_calibration_lead(actor, year)
    if period != ANNUAL:
        _period(year, period)
    require_open_period(year, period)
    if any(member.instansi_id != year.instansi_id for member in panel):
        raise SkpError(
            _("Panel members must belong to the agency."), code="skp.other_instansi",
            field="panel",
        )  # fmt: skip
    try:
        with transaction.atomic():
            session = CalibrationSession.objects.create(year=year, period=period, opened_by=actor)
    except IntegrityError:
        raise SkpConflict(
            _("A calibration session is already open."), code=EvaluationErrorCode.SESSION_OPEN
        ) from None
    session.panel.set(panel)
    audit_record(
        actor=actor, action="kinerja.calibration.opened", target=session,
        instansi_id=year.instansi_id,
        after={"period": period, "panel": [member.nip for member in panel]},
    )  # fmt: skip
    return session


def _lock_session(session: CalibrationSession) -> CalibrationSession:
    session = (
        CalibrationSession.objects.select_for_update(of=("self",))
        .select_related("year__instansi")
        .get(pk=session.pk)
    )
    if session.status != SessionStatus.OPEN:
        raise SkpConflict(
            _("The calibration session is closed."), code=EvaluationErrorCode.SESSION_CLOSED
        )
    return session


@transaction.atomic
def calibration_change(
    *,
    actor: Any,
    session: CalibrationSession,
    evaluation: PeriodEvaluation,
    predicate: str,
    reason: str,
) -> CalibrationChange:
    """Change one employee's predicate in an open session; the reason is mandatory."""
    session = _lock_session(session)
    if not may_calibrate(actor, session):
        raise SkpForbidden(
            _("Only the head of the agency, the panel or the administrator may calibrate."),
            code=EvaluationErrorCode.NOT_CALIBRATOR,
        )
    evaluation = PeriodEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.year_id != session.year_id or evaluation.period != session.period:
        raise SkpError(
            _("The evaluation is not part of this session."),
            code=EvaluationErrorCode.PREDICATE_INVALID,
        )
    if not evaluation.predicate:
        raise SkpConflict(
            _("The employee has no predicate yet."), code=EvaluationErrorCode.NO_PREDICATE
        )
    if predicate not in Predicate.values:
        raise SkpError(
            _("Unknown predicate."), code=EvaluationErrorCode.PREDICATE_INVALID,
            field="predicate",
        )  # fmt: skip
    if predicate == evaluation.predicate:
        raise SkpError(
            _("Choose a different predicate."), code=EvaluationErrorCode.SAME_PREDICATE,
            field="predicate",
        )  # fmt: skip
    reason = _require_text(
        reason, "skp.reason_required", _("Give the reason for the change."), "reason"
    )
    change = CalibrationChange.objects.create(
        session=session, evaluation=evaluation, before=evaluation.predicate, after=predicate,
        reason=reason, changed_by=actor,
    )  # fmt: skip
    evaluation.predicate = predicate
    evaluation.predicate_source = PredicateSource.CALIBRATION
    evaluation.save(update_fields=["predicate", "predicate_source", "updated_at"])
    audit_record(
        actor=actor, action="kinerja.calibration.changed", target=evaluation,
        instansi_id=session.year.instansi_id, before={"predicate": change.before},
        after={"predicate": predicate, "session": str(session.public_id)}, reason=reason,
    )  # fmt: skip
    facts_changed(session.year, evaluation.period, evaluation.employee)
    return change


@transaction.atomic
def calibration_close(
    *, actor: Any, session: CalibrationSession, note: str = ""
) -> CalibrationSession:
    """Close the session: its changes stand, and the breaches left are recorded."""
    session = _lock_session(session)
    _require_calibration_lead(actor, session.year)
    from ..evaluation.selectors import curve_report

    report = curve_report(session.year, session.period)
    session.status = SessionStatus.CLOSED
    session.closed_at = timezone.now()
    session.note = note.strip()
    session.save(update_fields=["status", "closed_at", "note", "updated_at"])
    audit_record(
        actor=actor, action="kinerja.calibration.closed", target=session,
        instansi_id=session.year.instansi_id,
        after={
            "changes": session.changes.count(),
            "agency_breaches": [breach.code for breach in report.agency.breaches],
            "units_breached": [unit.label for unit in report.breached_units],
        },
        reason=session.note,
    )  # fmt: skip
    return session
