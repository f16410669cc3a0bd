"""Who may open which dashboard. One condition per line; every branch is tested.

- the national roll-up: platform administrators;
- an agency's dashboard: its administrators, platform administrators, and the head of its
  only top-level unit (the head of the agency; an agency with several top-level offices has
  none);
- a unit's dashboard: the above, and the head of the unit or of a unit above it;
- a person's figures: the above for the person's unit, their leaders up the position
  chain, and the person themselves.
"""

from typing import Any

from abdi.organisations.access import administered_instansi_ids, can_view_unit_staff, employee_of
from abdi.organisations.models import Employee, Instansi, UnitKerja

__all__ = [
    "can_view_agency",
    "can_view_national",
    "can_view_person",
    "can_view_unit",
    "heads_the_agency",
    "home_scope_of",
]


def can_view_national(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


def can_view_agency(user: Any, instansi: Instansi) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if instansi.pk in administered_instansi_ids(user):
        return True
    employee = employee_of(user)
    if employee is None or employee.instansi_id != instansi.pk:
        return False
    return heads_the_agency(employee)


def heads_the_agency(employee: Employee) -> bool:
    """Whether ``employee`` heads the agency's only top-level unit.

    An agency modelled as several top-level offices (a regency's dinas and badan side by
    side) has no single head here: each office's head sees their own office.
    """
    position = employee.position
    if position is None or not position.is_unit_head or position.unit.parent_id is not None:
        return False
    roots = UnitKerja.objects.filter(instansi_id=employee.instansi_id, parent__isnull=True)
    return roots.count() == 1


def can_view_unit(user: Any, unit: UnitKerja) -> bool:
    return can_view_unit_staff(user, unit)


def can_view_person(user: Any, employee: Employee) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    me = employee_of(user)
    if me is not None and me.pk == employee.pk:
        return True
    position = employee.position
    if position is None:
        return user.is_superuser or employee.instansi_id in administered_instansi_ids(user)
    if can_view_unit_staff(user, position.unit):
        return True
    if me is None or me.position is None or me.position.pk == position.pk:
        return False
    return position.chain.startswith(me.position.chain)


def home_scope_of(user: Any) -> tuple[Instansi | None, UnitKerja | None]:
    """The dashboard a user lands on: their agency for administrators and the head of the
    agency, their unit for a unit head; (None, None) for someone with no dashboard."""
    if not getattr(user, "is_authenticated", False):
        return None, None
    employee = employee_of(user)
    administered = administered_instansi_ids(user)
    if administered:
        if employee is not None and employee.instansi_id in administered:
            return employee.instansi, None
        return Instansi.objects.filter(pk__in=administered).order_by("name").first(), None
    if employee is None or employee.position is None or not employee.position.is_unit_head:
        return None, None
    unit = employee.position.unit
    return employee.instansi, (None if heads_the_agency(employee) else unit)
