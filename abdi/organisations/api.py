"""``/api/v1/organisations``: agencies, units, positions and employees."""

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from abdi.core.exceptions import NotFoundError

from . import selectors, services
from .choices import EmployeeStatus, PositionKind
from .models import Employee, Instansi, Position, UnitKerja

router = Router(tags=["organisations"])


class InstansiOut(Schema):
    public_id: UUID
    code: str
    name: str
    kind: str
    timezone: str


class UnitOut(Schema):
    public_id: UUID
    code: str
    name: str
    depth: int
    parent_id: UUID | None = Field(None, alias="parent.public_id")


class UnitIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    parent_id: UUID | None = None


class PositionOut(Schema):
    public_id: UUID
    title: str
    kind: str
    is_unit_head: bool
    unit_id: UUID = Field(..., alias="unit.public_id")
    reports_to_id: UUID | None = Field(None, alias="reports_to.public_id")


class PositionIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    unit_id: UUID
    kind: PositionKind = PositionKind.PELAKSANA
    is_unit_head: bool = False
    reports_to_id: UUID | None = None


class EmployeeOut(Schema):
    public_id: UUID
    nip: str
    asn_kind: str
    name: str
    full_name: str
    gender: str
    birth_date: date
    status: str
    instansi_code: str = Field(..., alias="instansi.code")
    position_id: UUID | None = Field(None, alias="position.public_id")
    position_title: str | None = Field(None, alias="position.title")
    unit_name: str | None = Field(None, alias="position.unit.name")


class EmployeeIn(Schema):
    instansi_code: str
    nip: str = Field(..., max_length=24)
    name: str = Field(..., min_length=1, max_length=200)
    front_title: str = Field("", max_length=50)
    back_title: str = Field("", max_length=80)
    position_id: UUID | None = None
    status: EmployeeStatus = EmployeeStatus.ACTIVE
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=20)


class EmployeePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    front_title: str | None = Field(None, max_length=50)
    back_title: str | None = Field(None, max_length=80)
    position_id: UUID | None = None
    status: EmployeeStatus | None = None
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=20)


class OrbitOut(Schema):
    employee: EmployeeOut
    leader: EmployeeOut | None
    chain: list[EmployeeOut]
    subordinates: list[EmployeeOut]


def _instansi(request: HttpRequest, code: str) -> Instansi:
    found = selectors.instansi_list_for_actor(actor=request.user).filter(code=code).first()
    if found is None:
        raise NotFoundError(_("Agency not found."), code="instansi.not_found")
    return found


def _unit(instansi: Instansi, public_id: UUID | None) -> UnitKerja | None:
    if public_id is None:
        return None
    unit = UnitKerja.objects.filter(instansi=instansi, public_id=public_id).first()
    if unit is None:
        raise NotFoundError(_("Unit not found."), code="unit.not_found")
    return unit


def _position(instansi: Instansi, public_id: UUID | None) -> Position | None:
    if public_id is None:
        return None
    position = Position.objects.filter(instansi=instansi, public_id=public_id).first()
    if position is None:
        raise NotFoundError(_("Position not found."), code="position.not_found")
    return position


@router.get("/instansi", response=list[InstansiOut], operation_id="instansi_list")
@paginate(LimitOffsetPagination)
def instansi_list(request: HttpRequest) -> Any:
    """List the agencies you belong to or administer."""
    return selectors.instansi_list_for_actor(actor=request.user)


@router.get("/instansi/{code}/units", response=list[UnitOut], operation_id="unit_list")
@paginate(LimitOffsetPagination)
def unit_list(request: HttpRequest, code: str) -> Any:
    """List an agency's units in tree order (parent before children)."""
    instansi = _instansi(request, code)
    return selectors.unit_list_for_actor(actor=request.user, instansi=instansi)


@router.post("/instansi/{code}/units", response={201: UnitOut}, operation_id="unit_create")
def unit_create(request: HttpRequest, code: str, payload: UnitIn) -> Any:
    """Create a unit (agency administrators)."""
    instansi = _instansi(request, code)
    unit = services.unit_create(
        actor=request.user,
        instansi=instansi,
        code=payload.code,
        name=payload.name,
        parent=_unit(instansi, payload.parent_id),
    )
    return unit


@router.get("/instansi/{code}/positions", response=list[PositionOut], operation_id="position_list")
@paginate(LimitOffsetPagination)
def position_list(request: HttpRequest, code: str) -> Any:
    """List an agency's positions in chain-of-command order."""
    instansi = _instansi(request, code)
    return selectors.position_list_for_actor(actor=request.user, instansi=instansi)


@router.post(
    "/instansi/{code}/positions", response={201: PositionOut}, operation_id="position_create"
)
def position_create(request: HttpRequest, code: str, payload: PositionIn) -> Any:
    """Create a position (agency administrators)."""
    instansi = _instansi(request, code)
    unit = _unit(instansi, payload.unit_id)
    assert unit is not None
    position = services.position_create(
        actor=request.user,
        unit=unit,
        title=payload.title,
        kind=payload.kind,
        is_unit_head=payload.is_unit_head,
        reports_to=_position(instansi, payload.reports_to_id),
    )
    return position


@router.get("/employees", response=list[EmployeeOut], operation_id="employee_list")
@paginate(LimitOffsetPagination)
def employee_list(
    request: HttpRequest, instansi: str | None = None, q: str = "", unit: UUID | None = None
) -> Any:
    """List the employees you may see, optionally by agency, unit subtree or search text."""
    found = _instansi(request, instansi) if instansi else None
    unit_obj = selectors.unit_get_for_actor(actor=request.user, public_id=unit) if unit else None
    return selectors.employee_list_for_actor(
        actor=request.user, instansi=found, unit=unit_obj, search=q
    )


@router.post("/employees", response={201: EmployeeOut}, operation_id="employee_create")
def employee_create(request: HttpRequest, payload: EmployeeIn) -> Any:
    """Register an employee and their sign-in account (agency administrators)."""
    instansi = _instansi(request, payload.instansi_code)
    employee = services.employee_create(
        actor=request.user,
        instansi=instansi,
        nip=payload.nip,
        name=payload.name,
        front_title=payload.front_title,
        back_title=payload.back_title,
        position=_position(instansi, payload.position_id),
        status=payload.status,
        email=payload.email,
        phone=payload.phone,
    )
    return employee


@router.get("/employees/{public_id}", response=EmployeeOut, operation_id="employee_get")
def employee_get(request: HttpRequest, public_id: UUID) -> Any:
    """Return one employee you may see."""
    return selectors.employee_get_for_actor(actor=request.user, public_id=public_id)


@router.patch("/employees/{public_id}", response=EmployeeOut, operation_id="employee_update")
def employee_update(request: HttpRequest, public_id: UUID, payload: EmployeePatch) -> Any:
    """Change an employee's details (agency administrators); omitted fields stay as they are."""
    employee: Employee = selectors.employee_get_for_actor(actor=request.user, public_id=public_id)
    data = payload.dict(exclude_unset=True)
    position = employee.position
    if "position_id" in data:
        position = _position(employee.instansi, data.pop("position_id"))
    current = {
        "name": employee.name, "front_title": employee.front_title,
        "back_title": employee.back_title, "status": employee.status,
        "email": employee.email, "phone": employee.phone,
    }  # fmt: skip
    current.update({k: v for k, v in data.items() if v is not None})
    return services.employee_update(
        actor=request.user, employee=employee, position=position, **current
    )


@router.get("/employees/{public_id}/orbit", response=OrbitOut, operation_id="employee_orbit")
def employee_orbit(request: HttpRequest, public_id: UUID) -> Any:
    """Return the employee's direct leader, chain of command and direct subordinates."""
    employee = selectors.employee_get_for_actor(actor=request.user, public_id=public_id)
    return selectors.employee_orbit(employee=employee)
