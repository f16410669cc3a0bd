"""The weekly output log of flexible work (PermenPANRB 4/2025)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record, snapshot
from abdi.core.exceptions import full_clean
from abdi.organisations.models import Employee

from .. import rules
from ..choices import (
    ReportStatus,
)
from ..exceptions import SkpConflict, SkpError, SkpErrorCode
from ..models import (
    OutputEntry,
    Rhk,
)
from ._common import (
    OUTPUT_FIELDS,
    _lock_plan,
    _require_approved,
    _require_decider,
    _require_owner,
    _require_text,
    _require_year_open,
    _today_in,
)

__all__ = [
    "output_accept",
    "output_add",
    "output_return",
]


# --- Weekly output log -----------------------------------------------------------------------


@transaction.atomic
def output_add(
    *,
    actor: Any,
    rhk: Rhk,
    week: date,
    output: str,
    quantity: Decimal = Decimal(1),
    location: str = "",
    today: date | None = None,
) -> OutputEntry:
    """Log what was produced in a week for a result of the owner's approved plan."""
    plan = _lock_plan(rhk.plan_id)
    owner = _require_owner(actor, plan.employee)
    _require_year_open(plan.year)
    _require_approved(plan)
    if week.year != plan.year.year:
        raise SkpError(
            _("The week must fall in %(year)s."),
            code=SkpErrorCode.WEEK_OUTSIDE_YEAR,
            params={"year": plan.year.year},
            field="week",
        )
    monday = rules.monday_of(week)
    if monday > (today or _today_in(plan.year.instansi)):
        raise SkpError(
            _("Outputs of future weeks cannot be logged."),
            code=SkpErrorCode.PERIOD_FUTURE,
            field="week",
        )
    if Decimal(quantity) <= 0:
        raise SkpError(
            _("The quantity must be more than zero."),
            code=SkpErrorCode.QUANTITY_INVALID,
            field="quantity",
        )
    entry = OutputEntry(
        employee=owner,
        rhk=rhk,
        week=monday,
        output=_require_text(
            output, SkpErrorCode.TEXT_REQUIRED, _("Say what was produced."), "output"
        ),
        quantity=Decimal(quantity),
        location=location.strip(),
        status=ReportStatus.SUBMITTED,
    )
    full_clean(entry, code=SkpErrorCode.TEXT_REQUIRED, exclude=["employee", "rhk"])
    entry.save()
    audit_record(
        actor=actor,
        action="kinerja.output.added",
        target=entry,
        instansi_id=plan.year.instansi_id,
        after=snapshot(entry, OUTPUT_FIELDS),
    )
    return entry


def _output_for_decision(actor: Any, entry: OutputEntry) -> tuple[OutputEntry, Employee | None]:
    entry = (
        OutputEntry.objects.select_for_update(of=("self",))
        .select_related("employee")
        .get(pk=entry.pk)
    )
    leader = _require_decider(actor, entry.employee)
    if entry.status != ReportStatus.SUBMITTED:
        raise SkpConflict(
            _("Only a submitted report can be accepted or returned."),
            code=SkpErrorCode.NOT_SUBMITTED,
        )
    return entry, leader


@transaction.atomic
def output_accept(*, actor: Any, entry: OutputEntry) -> OutputEntry:
    """Accept a submitted weekly output; only the direct leader may."""
    entry, leader = _output_for_decision(actor, entry)
    entry.status, entry.decided_by, entry.return_comment = ReportStatus.ACCEPTED, leader, ""
    entry.save(update_fields=["status", "decided_by", "return_comment", "updated_at"])
    audit_record(
        actor=actor,
        action="kinerja.output.accepted",
        target=entry,
        instansi_id=entry.employee.instansi_id,
        before={"status": ReportStatus.SUBMITTED.value},
        after={"status": entry.status},
    )
    # Bound indicators counting accepted outputs are recomputed once this commits.
    from ..tasks import refresh_bound_indicators_for_employee

    employee_id, week = entry.employee_id, entry.week.isoformat()
    transaction.on_commit(
        lambda: refresh_bound_indicators_for_employee.delay(employee_id, week), robust=True
    )
    return entry


@transaction.atomic
def output_return(*, actor: Any, entry: OutputEntry, comment: str) -> OutputEntry:
    """Return a submitted weekly output with the leader's comment."""
    entry, leader = _output_for_decision(actor, entry)
    comment = _require_text(
        comment, SkpErrorCode.COMMENT_REQUIRED, _("Say what has to change."), "comment"
    )
    entry.status, entry.decided_by, entry.return_comment = ReportStatus.RETURNED, leader, comment
    entry.save(update_fields=["status", "decided_by", "return_comment", "updated_at"])
    audit_record(
        actor=actor,
        action="kinerja.output.returned",
        target=entry,
        instansi_id=entry.employee.instansi_id,
        before={"status": ReportStatus.SUBMITTED.value},
        after={"status": entry.status},
        reason=comment,
    )
    return entry
