"""Who may see and change what. One condition per line; every branch is tested.

Roles: platform admin (``is_superuser``), agency admin (listed in ``Instansi.administrators``),
unit head (an employee whose position heads a unit, derived from the position tree),
employee, citizen.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from abdi.core.queries import unique_or_none
from abdi.core.trees import path_ids

from .models import Employee, Instansi, UnitKerja

__all__ = [
    "Role",
    "administered_instansi_ids",
    "can_admin_instansi",
    "can_view_employee",
    "can_view_unit_staff",
    "employee_of",
    "employee_record_of",
    "remember_identity",
    "roles_of",
    "visible_employee_filter",
    "visible_unit_filter",
    "with_identity",
]


class Role:
    PLATFORM_ADMIN = "platform_admin"
    AGENCY_ADMIN = "agency_admin"
    UNIT_HEAD = "unit_head"
    EMPLOYEE = "employee"
    CITIZEN = "citizen"


# What :func:`employee_of` brings along with an employee record, and the joins that bring
# that record and the citizen record along with a user.
EMPLOYEE_JOINS = ("position__unit", "instansi")
IDENTITY_JOINS = (*(f"employee__{join}" for join in EMPLOYEE_JOINS), "citizen")


def with_identity(users: QuerySet[Any]) -> QuerySet[Any]:
    """``users`` with, in the same query, what nearly every page asks next: the employee
    record with its position, unit and agency, the citizen record, and whether the user
    administers any agency.

    Pass each user loaded so to :func:`remember_identity`: :func:`employee_of`,
    :func:`roles_of` and :func:`administered_instansi_ids` then answer without a query.
    """
    administers = Instansi.administrators.through.objects.filter(user_id=OuterRef("pk"))
    return users.select_related(*IDENTITY_JOINS).annotate(abdi_administers=Exists(administers))


def remember_identity(user: Any) -> Any:
    """Keep what :func:`with_identity` loaded on ``user``, where the helpers here look."""
    user._abdi_employee = getattr(user, "employee", None)  # None: the join found no row
    if user.abdi_administers is False:
        user._abdi_admin_of = set()  # True: which agencies, read when first asked
    return user


def employee_of(user: Any) -> Employee | None:
    """Return the user's employee record with its position and unit, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if hasattr(user, "_abdi_employee"):
        cached: Employee | None = user._abdi_employee
        return cached
    employee = unique_or_none(Employee.objects.select_related(*EMPLOYEE_JOINS).filter(user=user))
    user._abdi_employee = employee
    return employee


def employee_record_of(user: Any) -> Employee | None:
    """Return the user's employee row alone (no position, unit or agency), or None.

    For writes that need only who the employee is (a registration, say): a third of the
    cost of :func:`employee_of`, whose answer it reuses when that already ran.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    if hasattr(user, "_abdi_employee"):
        cached: Employee | None = user._abdi_employee
        return cached
    return unique_or_none(
        Employee.objects.only("pk", "nip", "name", "instansi_id", "user_id").filter(user=user)
    )


def administered_instansi_ids(user: Any) -> set[int]:
    """Return the ids of the agencies the user administers."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached: set[int] | None = getattr(user, "_abdi_admin_of", None)
    if cached is None:
        cached = set(Instansi.objects.filter(administrators=user).values_list("id", flat=True))
        user._abdi_admin_of = cached
    return cached


def roles_of(user: Any) -> set[str]:
    """Return every role the user holds."""
    roles: set[str] = set()
    if not getattr(user, "is_authenticated", False):
        return roles
    if user.is_superuser:
        roles.add(Role.PLATFORM_ADMIN)
    if administered_instansi_ids(user):
        roles.add(Role.AGENCY_ADMIN)
    employee = employee_of(user)
    if employee is not None:
        roles.add(Role.EMPLOYEE)
        if employee.position is not None and employee.position.is_unit_head:
            roles.add(Role.UNIT_HEAD)
    if hasattr(user, "citizen"):
        roles.add(Role.CITIZEN)
    return roles


def can_admin_instansi(user: Any, instansi_id: int) -> bool:
    """Return whether the user may change the agency's units, positions and employees."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return instansi_id in administered_instansi_ids(user)


def visible_employee_filter(user: Any) -> Q | None:
    """Return the filter of employees the user may see; None means all of them.

    An employee sees their own chain of command upwards and everyone below them in the
    position tree; a unit head also sees everyone in their unit's subtree.
    """
    if user.is_superuser:
        return None
    allowed = Q(instansi_id__in=administered_instansi_ids(user))
    employee = employee_of(user)
    if employee is None:
        return allowed
    allowed |= Q(pk=employee.pk)
    position = employee.position
    if position is not None:
        allowed |= Q(position_id__in=path_ids(position.chain))
        allowed |= Q(position__chain__startswith=position.chain)
        if position.is_unit_head:
            allowed |= Q(position__unit__path__startswith=position.unit.path)
    return allowed


def visible_unit_filter(user: Any) -> Q | None:
    """Return the filter of units the user may see; None means all of them."""
    if user.is_superuser:
        return None
    allowed = Q(instansi_id__in=administered_instansi_ids(user))
    employee = employee_of(user)
    if employee is not None:
        # Every employee may see their own agency's unit tree (names of units are not secret).
        allowed |= Q(instansi_id=employee.instansi_id)
    return allowed


def can_view_employee(user: Any, employee: Employee) -> bool:
    """Return whether the user may see ``employee``'s profile."""
    if not getattr(user, "is_authenticated", False):
        return False
    condition = visible_employee_filter(user)
    if condition is None:
        return True
    return Employee.objects.filter(condition, pk=employee.pk).exists()


def can_view_unit_staff(user: Any, unit: UnitKerja) -> bool:
    """Return whether the user may see everyone in ``unit`` and its sub-units.

    Names of position holders are directory information; the list of a unit's staff is
    for administrators and for the heads of the unit or of a unit above it.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if unit.instansi_id in administered_instansi_ids(user):
        return True
    employee = employee_of(user)
    if employee is None or employee.position is None:
        return False
    position = employee.position
    return position.is_unit_head and unit.path.startswith(position.unit.path)
