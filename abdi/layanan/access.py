"""Who may work a service's cases. One condition per line.

Officers are the employees of the service's responsible unit and of its sub-units. Heads
of that unit (or of a unit above it) also assign cases to officers. Agency administrators
manage the catalogue and the appointment slots.
"""

from typing import Any

from abdi.organisations.access import can_admin_instansi, employee_of
from abdi.organisations.models import Employee, UnitKerja

__all__ = ["can_assign", "can_manage_service", "is_officer_for", "officer_unit_prefix"]


def officer_unit_prefix(user: Any) -> str | None:
    """The unit path of the user's position (cases of units on it are theirs), or None."""
    employee = employee_of(user)
    if employee is None or employee.position is None:
        return None
    return employee.position.unit.path


def is_officer_for(user: Any, unit: UnitKerja) -> bool:
    """Whether the user works cases of ``unit``: inside its subtree, or heads a unit above."""
    employee = employee_of(user)
    if employee is None or employee.position is None:
        return False
    own = employee.position.unit
    if own.instansi_id != unit.instansi_id:
        return False
    if own.path.startswith(unit.path):
        return True
    return employee.position.is_unit_head and unit.path.startswith(own.path)


def can_assign(user: Any, unit: UnitKerja) -> bool:
    """Whether the user heads ``unit`` or a unit above it (and so assigns its cases)."""
    employee = employee_of(user)
    if employee is None or employee.position is None:
        return False
    if not employee.position.is_unit_head:
        return False
    own = employee.position.unit
    return own.instansi_id == unit.instansi_id and unit.path.startswith(own.path)


def can_be_assigned(employee: Employee, unit: UnitKerja) -> bool:
    """Whether ``employee`` may be given a case of ``unit`` (works in its subtree)."""
    position = employee.position
    if position is None or employee.instansi_id != unit.instansi_id:
        return False
    return position.unit.path.startswith(unit.path)


def can_manage_service(user: Any, instansi_id: int) -> bool:
    """Whether the user may change the agency's catalogue and slots (its administrators)."""
    return can_admin_instansi(user, instansi_id)
