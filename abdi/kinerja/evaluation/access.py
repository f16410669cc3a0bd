"""Who evaluates, who gives 360 input, who calibrates and who decides appeals. One condition
per line.

The assessing official (the direct leader, or the acting Plt/Plh) rates and evaluates
(PermenPANRB 6/2022); peers under the same leader and direct reports may give 360 input
(PP 30/2019); the head of the agency, a panel they appoint or the agency administrator
calibrates; the leader's leader (atasan pejabat penilai) decides an appeal.
"""

from typing import Any

from abdi.organisations.access import can_admin_instansi, employee_of
from abdi.organisations.models import Employee

from ..access import can_view_plan, direct_leader, may_decide
from ..choices import ReviewerRelation
from ..models import CalibrationSession, PeriodEvaluation, SkpPlan

__all__ = [
    "appeal_decider",
    "can_view_evaluation",
    "is_head_of_agency",
    "may_calibrate",
    "may_decide_appeal",
    "may_evaluate",
    "reviewer_relation",
]


def may_evaluate(user: Any, subject: Employee) -> bool:
    """Return whether ``user`` rates ``subject``: the one who decides on their SKP records."""
    return may_decide(user, subject)


def can_view_evaluation(user: Any, evaluation: PeriodEvaluation) -> bool:
    """Return whether ``user`` may see ``evaluation``: whoever may see the employee's plan."""
    plan = evaluation.plan
    if plan is None:
        plan = SkpPlan(employee=evaluation.employee, assessor=evaluation.evaluator)
    return can_view_plan(user, plan)


def reviewer_relation(reviewer: Employee | None, subject: Employee) -> str | None:
    """Return how ``reviewer`` may give 360 input on ``subject`` (peer, direct report) or None."""
    if reviewer is None:
        return None
    if reviewer.pk == subject.pk:
        return None
    if reviewer.instansi_id != subject.instansi_id:
        return None
    reviewer_leader = direct_leader(reviewer)
    if reviewer_leader is not None and reviewer_leader.pk == subject.pk:
        return ReviewerRelation.SUBORDINATE
    subject_leader = direct_leader(subject)
    if reviewer_leader is None or subject_leader is None:
        return None
    if reviewer_leader.pk == subject_leader.pk:
        return ReviewerRelation.PEER
    return None


def is_head_of_agency(employee: Employee | None, instansi_id: int) -> bool:
    """Return whether ``employee`` heads the agency: holds a position and has no leader in it."""
    if employee is None:
        return False
    if employee.instansi_id != instansi_id:
        return False
    if employee.position_id is None:
        return False
    return direct_leader(employee) is None


def may_calibrate(user: Any, session: CalibrationSession) -> bool:
    """Return whether ``user`` changes predicates in ``session``: head, panel or admin."""
    instansi_id = session.year.instansi_id
    if can_admin_instansi(user, instansi_id):
        return True
    me = employee_of(user)
    if is_head_of_agency(me, instansi_id):
        return True
    return me is not None and session.panel.filter(pk=me.pk).exists()


def appeal_decider(employee: Employee) -> Employee | None:
    """Return the leader's leader (atasan pejabat penilai), who decides an appeal, or None."""
    leader = direct_leader(employee)
    if leader is None:
        return None
    return direct_leader(leader)


def may_decide_appeal(user: Any, employee: Employee) -> bool:
    """Return whether ``user`` decides ``employee``'s appeal.

    Without a leader's leader inside the agency (the head, or someone the head leads), the
    agency administrator records the decision of the official outside the platform.
    """
    decider = appeal_decider(employee)
    me = employee_of(user)
    if decider is not None:
        return me is not None and me.pk == decider.pk
    return can_admin_instansi(user, employee.instansi_id)
