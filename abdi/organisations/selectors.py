"""Reads scoped to the actor. A record the actor may not see is reported as not found."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from abdi.core.exceptions import NotFoundError
from abdi.core.queries import CompiledQuery
from abdi.core.trees import path_ids

from .access import visible_employee_filter, visible_unit_filter
from .models import Employee, EmployeeImport, Instansi, Position, UnitKerja

__all__ = [
    "EmployeeOrbit",
    "chain_of_command",
    "employee_get_for_actor",
    "employee_list_for_actor",
    "employee_orbit",
    "import_get_for_actor",
    "instansi_list_for_actor",
    "position_list_for_actor",
    "position_subordinates",
    "unit_get_for_actor",
    "unit_list_for_actor",
]


def _scoped(qs: QuerySet[Any], condition: Q | None) -> QuerySet[Any]:
    return qs if condition is None else qs.filter(condition).distinct()


def instansi_list_for_actor(*, actor: Any) -> QuerySet[Instansi]:
    """Return the agencies the actor belongs to or administers."""
    if actor.is_superuser:
        return Instansi.objects.all()
    return Instansi.objects.filter(Q(administrators=actor) | Q(employees__user=actor)).distinct()


def unit_list_for_actor(*, actor: Any, instansi: Instansi | None = None) -> QuerySet[UnitKerja]:
    """Return the visible units in tree order, each with its head's position and holder."""
    qs = UnitKerja.objects.select_related("instansi", "parent").annotate(
        employee_count=Count("positions__holder")
    )
    if instansi is not None:
        qs = qs.filter(instansi=instansi)
    heads = Position.objects.filter(is_unit_head=True).select_related("holder")
    qs = qs.prefetch_related(Prefetch("positions", queryset=heads, to_attr="head_positions"))
    return _scoped(qs, visible_unit_filter(actor)).order_by("instansi__name", "path")


def unit_get_for_actor(*, actor: Any, public_id: UUID) -> UnitKerja:
    """Return one visible unit or raise :class:`NotFoundError`."""
    unit = (
        _scoped(UnitKerja.objects.select_related("instansi", "parent"), visible_unit_filter(actor))
        .filter(public_id=public_id)
        .first()
    )
    if unit is None:
        raise NotFoundError(_("Unit not found."), code="unit.not_found")
    return unit


def position_list_for_actor(*, actor: Any, instansi: Instansi) -> QuerySet[Position]:
    """Return the agency's positions in chain order, for actors who may see its units."""
    units = _scoped(UnitKerja.objects.filter(instansi=instansi), visible_unit_filter(actor))
    return (
        Position.objects.filter(unit__in=units)
        .select_related("unit", "reports_to", "holder")
        .order_by("chain")
    )


def employee_list_for_actor(
    *,
    actor: Any,
    instansi: Instansi | None = None,
    unit: UnitKerja | None = None,
    search: str = "",
) -> QuerySet[Employee]:
    """Return the employees the actor may see, optionally within a unit's subtree."""
    qs = Employee.objects.select_related("instansi", "position__unit", "position__reports_to")
    if instansi is not None:
        qs = qs.filter(instansi=instansi)
    if unit is not None:
        qs = qs.filter(position__unit__path__startswith=unit.path)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(nip__startswith=search.replace(" ", "")))
    return _scoped(qs, visible_employee_filter(actor)).order_by("name", "id")


def employee_get_for_actor(*, actor: Any, public_id: UUID | str) -> Employee:
    """Return one visible employee or raise :class:`NotFoundError` (also when forbidden)."""
    employee = employee_list_for_actor(actor=actor).filter(public_id=public_id).first()
    if employee is None:
        raise NotFoundError(_("Employee not found."), code="employee.not_found")
    return employee


@dataclass(frozen=True)
class EmployeeOrbit:
    """An employee's place in the chain of command."""

    employee: Employee
    leader: Employee | None
    chain: list[Employee]  # from the top of the agency down to the direct leader
    subordinates: list[Employee]  # direct reports


# Asked on every decision and team page (compiled once for each number of positions).
_HOLDERS = CompiledQuery(
    lambda position_ids: Employee.objects.select_related("position__unit").filter(
        position_id__in=position_ids
    )
)
_VACANT_BELOW = CompiledQuery(
    lambda leader_ids: Position.objects.filter(
        reports_to__in=leader_ids, holder__isnull=True
    ).values_list("pk", flat=True)
)
_REPORTING_TO = CompiledQuery(
    lambda leader_ids: (
        Employee.objects.select_related("position__unit")
        .filter(position__reports_to__in=leader_ids)
        .order_by("name")
    )
)


def _holders(position_ids: list[int]) -> dict[int, Employee]:
    employees = _HOLDERS.all(position_ids)
    return {e.position_id: e for e in employees if e.position_id is not None}


def chain_of_command(*, employee: Employee) -> list[Employee]:
    """Return the holders of the positions above ``employee``'s, from the top of the agency
    down to the direct leader (the last), in one query. Vacant positions have no holder."""
    position = employee.position
    if position is None:
        return []
    chain_ids = path_ids(position.chain)[:-1]
    holders = _holders(chain_ids)
    return [holders[pid] for pid in chain_ids if pid in holders]


def employee_orbit(*, employee: Employee) -> EmployeeOrbit:
    """Return the leader ("atasan langsung"), chain and direct subordinates of ``employee``.

    A vacant leader position is skipped: the next holder up the chain leads.
    """
    position = employee.position
    if position is None:
        return EmployeeOrbit(employee=employee, leader=None, chain=[], subordinates=[])
    chain = chain_of_command(employee=employee)
    return EmployeeOrbit(
        employee=employee,
        leader=chain[-1] if chain else None,
        chain=chain,
        subordinates=position_subordinates(position_ids=[position.pk]),
    )


def position_subordinates(*, position_ids: list[int]) -> list[Employee]:
    """Return the holders of the positions led from ``position_ids``, nearest level first.

    Holders of positions below a vacant one also report here, however many vacant levels lie
    between, so that they are in the orbit of the leader their own orbit names. Two queries
    per level of vacancies, whatever the number of subordinates.
    """
    subordinates: list[Employee] = []
    leader_ids = list(position_ids)
    while leader_ids:
        subordinates += _REPORTING_TO.all(leader_ids)
        leader_ids = _VACANT_BELOW.all(leader_ids)
    return subordinates


def import_get_for_actor(*, actor: Any, public_id: UUID | str) -> EmployeeImport:
    """Return an import the actor may manage or raise :class:`NotFoundError`."""
    qs = EmployeeImport.objects.select_related("instansi")
    if not actor.is_superuser:
        qs = qs.filter(instansi__administrators=actor)
    found = qs.filter(public_id=public_id).first()
    if found is None:
        raise NotFoundError(_("Import not found."), code="import.not_found")
    return found
