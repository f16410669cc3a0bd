"""Who leads whom for the SKP, and who may see a plan. One condition per line.

The direct leader (atasan langsung) is the pejabat penilai kinerja: the only person who
approves or returns a plan, accepts or returns realisations and output entries, and gives
feedback (PermenPANRB 6/2022). Peers, leaders further up and agency administrators do not;
an official the agency administrator assigns to act in the leader's position (Plt/Plh) does,
while the assignment lasts.
"""

from datetime import date
from typing import Any

from abdi.core.queries import CompiledQuery
from abdi.core.trees import path_ids
from abdi.organisations.access import administered_instansi_ids, can_admin_instansi, employee_of
from abdi.organisations.models import Employee
from abdi.organisations.selectors import chain_of_command

from .models import ActingAssignment, SkpPlan

__all__ = [
    "acting_leaders",
    "acting_position_ids",
    "can_decide_for",
    "can_view_plan",
    "direct_leader",
    "leader_position_ids",
    "may_decide",
]


# Asked on every decision and team page (compiled once, ADR 0007): who acts on the given
# positions on a day, and on which positions an official acts.
_ACTING_IN = CompiledQuery(
    lambda today, instansi_id, position_ids: Employee.objects.filter(
        pk__in=ActingAssignment.objects.active_on(today)
        .filter(instansi_id=instansi_id, position_id__in=position_ids)
        .values("acting_id")
    ).select_related("position__unit")
)
_ACTING_ON = CompiledQuery(
    lambda today, instansi_id, employee_id: (
        ActingAssignment.objects.active_on(today)
        .filter(instansi_id=instansi_id, acting_id=employee_id)
        .order_by("position_id")
        .values_list("position_id", flat=True)
        .distinct()
    )
)


def direct_leader(employee: Employee) -> Employee | None:
    """Return the holder of the nearest filled position above ``employee``'s, or None."""
    chain = chain_of_command(employee=employee)
    return chain[-1] if chain else None


def leader_position_ids(employee: Employee, *, chain: list[Employee] | None = None) -> list[int]:
    """Return the positions whose acting official would lead ``employee``, nearest first.

    That is the position ``employee``'s reports to and, while it is vacant, the next one up,
    through the position of the direct leader (as :func:`direct_leader` skips vacancies).
    ``chain``, when the caller has it, is ``employee``'s :func:`chain_of_command`.
    """
    position = employee.position
    if position is None:
        return []
    above = path_ids(position.chain)[:-1]
    filled: set[int | None]
    if chain is None:
        filled = set(
            Employee.objects.filter(position_id__in=above).values_list("position_id", flat=True)
        )
    else:
        filled = {holder.position_id for holder in chain}
    covered: list[int] = []
    for position_id in reversed(above):
        covered.append(position_id)
        if position_id in filled:
            break
    return covered


def acting_leaders(
    employee: Employee, *, today: date | None = None, chain: list[Employee] | None = None
) -> list[Employee]:
    """Return the officials acting (Plt/Plh) as ``employee``'s leader today.

    An assignment counts from its first to its last day inclusive, in the agency's time zone,
    on any position :func:`leader_position_ids` names. :func:`can_decide_for` lets these
    officials decide in the leader's place.
    """
    position_ids = leader_position_ids(employee, chain=chain)
    if not position_ids:
        return []
    if today is None:
        today = employee.instansi.local_date()
    return _ACTING_IN.all(today, employee.instansi_id, position_ids)


def acting_position_ids(employee: Employee, *, today: date | None = None) -> list[int]:
    """Return the positions ``employee`` acts on (Plt/Plh) today, in one query.

    Those the positions lead (see :func:`acting_leaders`) have ``employee`` as their decider.
    """
    if today is None:
        today = employee.instansi.local_date()
    return _ACTING_ON.all(today, employee.instansi_id, employee.pk)


def can_decide_for(actor_employee: Employee | None, subject_employee: Employee) -> bool:
    """Return whether ``actor_employee`` decides on ``subject_employee``'s SKP records.

    Two queries: the chain of command above the subject, and who acts in it today.
    """
    if actor_employee is None:
        return False
    if actor_employee.pk == subject_employee.pk:
        return False
    if actor_employee.instansi_id != subject_employee.instansi_id:
        return False
    chain = chain_of_command(employee=subject_employee)
    # The same agency: its date is the actor's, whose agency the session's read brought.
    today = actor_employee.instansi.local_date()
    acting = acting_leaders(subject_employee, today=today, chain=chain)
    if acting:
        # While an acting official (Plt/Plh) is assigned, they decide in the leader's place:
        # one decider at a time, so the same item is never decided twice.
        return any(official.pk == actor_employee.pk for official in acting)
    return bool(chain) and chain[-1].pk == actor_employee.pk


def can_view_plan(user: Any, plan: SkpPlan) -> bool:
    """Return whether ``user`` may see ``plan``: its owner, their leaders, admins."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if plan.employee.instansi_id in administered_instansi_ids(user):
        return True
    viewer = employee_of(user)
    if viewer is None:
        return False
    if viewer.pk == plan.employee_id:
        return True
    if viewer.pk == plan.assessor_id:
        return True
    owner_position = plan.employee.position
    if owner_position is None:
        return False
    # Leaders up the chain of command (not the owner's own position, the last id).
    if viewer.position_id is not None and viewer.position_id in path_ids(owner_position.chain)[:-1]:
        return True
    # An acting leader (Plt/Plh) sees the plans they decide on.
    return any(acting.pk == viewer.pk for acting in acting_leaders(plan.employee))


def may_decide(user: Any, subject: Employee) -> bool:
    """Return whether ``user`` decides on ``subject``'s SKP records.

    The direct leader (or the acting official) decides. The head of an agency has no leader
    inside it: their assessor is an official outside the platform (the regional head or the
    minister), whose decision the agency administrator records.
    """
    if can_decide_for(employee_of(user), subject):
        return True
    # The administrator check first: it is remembered on the user, the leader lookup is not.
    return can_admin_instansi(user, subject.instansi_id) and direct_leader(subject) is None
