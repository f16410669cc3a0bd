"""Who leads whom for the SKP, and who may see a plan. One condition per line.

The direct leader (atasan langsung) is the pejabat penilai kinerja: the only person who
approves or returns a plan, accepts or returns realisations and output entries, and gives
feedback (PermenPANRB 6/2022). Peers, leaders further up and agency administrators do not.
"""

from typing import Any

from abdi.core.trees import path_ids
from abdi.organisations.access import administered_instansi_ids, employee_of
from abdi.organisations.models import Employee
from abdi.organisations.selectors import employee_orbit

from .models import SkpPlan

__all__ = ["acting_leaders", "can_decide_for", "can_view_plan", "direct_leader"]


def direct_leader(employee: Employee) -> Employee | None:
    """Return the holder of the nearest filled position above ``employee``'s, or None."""
    return employee_orbit(employee=employee).leader


def acting_leaders(employee: Employee) -> list[Employee]:
    """Return the officials acting (Plt/Plh) as ``employee``'s leader; none yet.

    Extension point: once acting assignments are modelled, return their holders here and
    :func:`can_decide_for` lets them decide in the leader's place.
    """
    return []


def can_decide_for(actor_employee: Employee | None, subject_employee: Employee) -> bool:
    """Return whether ``actor_employee`` decides on ``subject_employee``'s SKP records."""
    if actor_employee is None:
        return False
    if actor_employee.pk == subject_employee.pk:
        return False
    if actor_employee.instansi_id != subject_employee.instansi_id:
        return False
    leader = direct_leader(subject_employee)
    if leader is not None and leader.pk == actor_employee.pk:
        return True
    return any(acting.pk == actor_employee.pk for acting in acting_leaders(subject_employee))


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
    if viewer.position_id is None or owner_position is None:
        return False
    # Leaders up the chain of command (not the owner's own position, the last id).
    return viewer.position_id in path_ids(owner_position.chain)[:-1]
