"""Every write to agencies, units, positions, employees and citizens.

Each service takes keyword-only arguments with the acting user, authorises, runs in one
transaction and appends an audit event.
"""

import re
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record, snapshot
from abdi.core.exceptions import (
    ConflictError,
    PermissionDeniedError,
    ValidationError,
    full_clean,
)
from abdi.core.trees import child_path, rebase_subtree

from .access import can_admin_instansi
from .choices import EmployeeStatus, InstansiKind, PositionKind, TimeZone
from .models import Citizen, Employee, Instansi, Position, UnitKerja
from .rules import normalise_nip, parse_nik, parse_nip

__all__ = [
    "employee_create",
    "employee_update",
    "instansi_add_administrator",
    "instansi_create",
    "position_create",
    "position_update",
    "unit_create",
    "unit_update",
]

EMPLOYEE_FIELDS = [
    "nip", "asn_kind", "name", "front_title", "back_title", "gender", "birth_date",
    "position", "status", "email", "phone",
]  # fmt: skip
POSITION_FIELDS = ["unit", "title", "kind", "is_unit_head", "reports_to"]
UNIT_FIELDS = ["code", "name", "parent"]
UNIT_CODE = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,39}")


def require_instansi_admin(actor: Any, instansi: Instansi) -> None:
    """Raise unless ``actor`` administers ``instansi`` (or the platform)."""
    if not can_admin_instansi(actor, instansi.pk):
        raise PermissionDeniedError(
            _("Only an administrator of %(instansi)s may do this."),
            code="instansi.admin_required",
            params={"instansi": instansi.name},
        )


@transaction.atomic
def instansi_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str = InstansiKind.KABUPATEN,
    timezone_name: str = TimeZone.WIB,
) -> Instansi:
    """Create an agency; only platform administrators may."""
    if not actor.is_superuser:
        raise PermissionDeniedError(
            _("Only a platform administrator may create agencies."), code="platform.admin_required"
        )
    instansi = Instansi(code=code, name=name, kind=kind, timezone=timezone_name)
    full_clean(instansi, code="instansi.invalid")
    instansi.save()
    audit_record(
        actor=actor,
        action="organisations.instansi.created",
        target=instansi,
        instansi_id=instansi.pk,
        after=snapshot(instansi, ["code", "name", "kind", "timezone"]),
    )
    return instansi


@transaction.atomic
def instansi_add_administrator(*, actor: Any, instansi: Instansi, user: Any) -> None:
    """Make ``user`` an administrator of ``instansi``."""
    require_instansi_admin(actor, instansi)
    instansi.administrators.add(user)
    audit_record(
        actor=actor,
        action="organisations.instansi.administrator_added",
        target=instansi,
        instansi_id=instansi.pk,
        after={"user": user.get_username()},
    )


def _normalise_unit_code(code: str) -> str:
    """Return ``code`` in upper case, or raise if it is not a well-formed unit code."""
    normalised = code.strip().upper()
    if not UNIT_CODE.fullmatch(normalised):
        raise ValidationError(
            _(
                "Use letters, digits, dots, hyphens or underscores for the unit code, "
                "without spaces."
            ),
            code="unit.code_invalid",
            field="code",
        )
    return normalised


def _check_unit_code(unit: UnitKerja) -> None:
    # Codes written before they were upper-cased may still be in lower case.
    taken = UnitKerja.objects.filter(instansi_id=unit.instansi_id, code__iexact=unit.code)
    if taken.exclude(pk=unit.pk).exists():
        raise ConflictError(
            _("A unit with the code %(code)s already exists in the agency."),
            code="unit.code_duplicate",
            params={"code": unit.code},
            field="code",
        )


@transaction.atomic
def unit_create(
    *, actor: Any, instansi: Instansi, code: str, name: str, parent: UnitKerja | None = None
) -> UnitKerja:
    """Create a unit under ``parent`` (or as a root of the agency's tree).

    The code is stored in upper case and is unique in the agency whatever its case.
    """
    require_instansi_admin(actor, instansi)
    code = _normalise_unit_code(code)
    if parent is not None and parent.instansi_id != instansi.pk:
        raise ValidationError(
            _("The parent unit belongs to another agency."), code="unit.parent_other_instansi"
        )
    unit = UnitKerja(instansi=instansi, code=code, name=name.strip(), parent=parent)
    _check_unit_code(unit)
    full_clean(unit, code="unit.invalid", exclude=["path"])
    unit.save()
    unit.path = child_path(parent.path if parent else None, unit.pk)
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    audit_record(
        actor=actor,
        action="organisations.unit.created",
        target=unit,
        instansi_id=instansi.pk,
        after=snapshot(unit, UNIT_FIELDS),
    )
    return unit


@transaction.atomic
def unit_update(
    *, actor: Any, unit: UnitKerja, code: str, name: str, parent: UnitKerja | None
) -> UnitKerja:
    """Rename or move a unit; moving re-parents its whole subtree."""
    unit = UnitKerja.objects.select_for_update().get(pk=unit.pk)
    require_instansi_admin(actor, unit.instansi)
    code = _normalise_unit_code(code)
    before = snapshot(unit, UNIT_FIELDS)
    if parent is not None:
        if parent.instansi_id != unit.instansi_id:
            raise ValidationError(
                _("The parent unit belongs to another agency."), code="unit.parent_other_instansi"
            )
        if parent.path.startswith(unit.path):
            raise ValidationError(
                _("A unit cannot be moved under itself or one of its sub-units."),
                code="unit.cycle",
                field="parent",
            )
    unit.code, unit.name, unit.parent = code, name.strip(), parent
    _check_unit_code(unit)
    full_clean(unit, code="unit.invalid", exclude=["path"])
    old_path = unit.path
    new_path = child_path(parent.path if parent else None, unit.pk)
    depth_change = (parent.depth + 1 if parent else 0) - unit.depth
    unit.save(update_fields=["code", "name", "parent", "updated_at"])
    if new_path != old_path:
        subtree = UnitKerja.objects.filter(instansi_id=unit.instansi_id)
        if depth_change:
            from django.db.models import F

            subtree.filter(path__startswith=old_path).update(depth=F("depth") + depth_change)
        rebase_subtree(subtree, "path", old_path, new_path)
        unit.refresh_from_db(fields=["path", "depth"])
    audit_record(
        actor=actor,
        action="organisations.unit.updated",
        target=unit,
        instansi_id=unit.instansi_id,
        before=before,
        after=snapshot(unit, UNIT_FIELDS),
    )
    return unit


def _check_position(position: Position) -> None:
    if position.unit.instansi_id != position.instansi_id:
        raise ValidationError(_("The unit belongs to another agency."), code="position.unit_other")
    leader = position.reports_to
    if leader is not None:
        if leader.instansi_id != position.instansi_id:
            raise ValidationError(
                _("A position can only report to a position in the same agency."),
                code="position.leader_other_instansi",
                field="reports_to",
            )
        if position.pk and f"/{position.pk}/" in leader.chain:
            raise ValidationError(
                _(
                    "This would make a leadership cycle: a position cannot report to itself "
                    "or to one of its subordinates."
                ),
                code="position.cycle",
                field="reports_to",
            )
    if position.is_unit_head:
        other = Position.objects.filter(unit=position.unit, is_unit_head=True).exclude(
            pk=position.pk
        )
        if other.exists():
            raise ConflictError(
                _("%(unit)s already has a head."),
                code="position.unit_head_taken",
                params={"unit": position.unit.name},
                field="is_unit_head",
            )


@transaction.atomic
def position_create(
    *,
    actor: Any,
    unit: UnitKerja,
    title: str,
    kind: str = PositionKind.PELAKSANA,
    is_unit_head: bool = False,
    reports_to: Position | None = None,
) -> Position:
    """Create a position in ``unit`` reporting to ``reports_to``."""
    require_instansi_admin(actor, unit.instansi)
    position = Position(
        instansi_id=unit.instansi_id,
        unit=unit,
        title=title.strip(),
        kind=kind,
        is_unit_head=is_unit_head,
        reports_to=reports_to,
    )
    _check_position(position)
    full_clean(position, code="position.invalid", exclude=["chain"])
    position.save()
    position.chain = child_path(reports_to.chain if reports_to else None, position.pk)
    position.save(update_fields=["chain"])
    audit_record(
        actor=actor,
        action="organisations.position.created",
        target=position,
        instansi_id=position.instansi_id,
        after=snapshot(position, POSITION_FIELDS),
    )
    return position


@transaction.atomic
def position_update(
    *,
    actor: Any,
    position: Position,
    unit: UnitKerja,
    title: str,
    kind: str,
    is_unit_head: bool,
    reports_to: Position | None,
) -> Position:
    """Change a position; a new leader moves the whole chain below it."""
    position = Position.objects.select_for_update().select_related("instansi").get(pk=position.pk)
    require_instansi_admin(actor, position.instansi)
    before = snapshot(position, POSITION_FIELDS)
    position.unit, position.title, position.kind = unit, title.strip(), kind
    position.is_unit_head, position.reports_to = is_unit_head, reports_to
    _check_position(position)
    full_clean(position, code="position.invalid", exclude=["chain"])
    position.save(update_fields=[*POSITION_FIELDS, "updated_at"])
    new_chain = child_path(reports_to.chain if reports_to else None, position.pk)
    rebase_subtree(
        Position.objects.filter(instansi_id=position.instansi_id),
        "chain",
        position.chain,
        new_chain,
    )
    position.refresh_from_db(fields=["chain"])
    audit_record(
        actor=actor,
        action="organisations.position.updated",
        target=position,
        instansi_id=position.instansi_id,
        before=before,
        after=snapshot(position, POSITION_FIELDS),
    )
    return position


def new_employee_user(*, nip: str, name: str, email: str, password: str | None = None) -> Any:
    """Return an employee's unsaved sign-in account: username = NIP, first name = their name.

    The account has no usable password unless ``password`` is given.
    """
    user = get_user_model()(username=nip, first_name=name.strip()[:150], email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    return user


def _check_holder(employee: Employee) -> None:
    if employee.position is None:
        return
    if employee.position.instansi_id != employee.instansi_id:
        raise ValidationError(
            _("The position belongs to another agency."), code="employee.position_other_instansi"
        )
    holder = Employee.objects.filter(position=employee.position).exclude(pk=employee.pk).first()
    if holder is not None:
        raise ConflictError(
            # Not ending on the name: a back title such as "M.A.P." would double the period.
            _("The position %(position)s is already held by %(holder)s; choose a vacant position."),
            code="employee.position_taken",
            params={"position": employee.position.title, "holder": holder.full_name},
            field="position",
        )


@transaction.atomic
def employee_create(
    *,
    actor: Any,
    instansi: Instansi,
    nip: str,
    name: str,
    front_title: str = "",
    back_title: str = "",
    position: Position | None = None,
    status: str = EmployeeStatus.ACTIVE,
    email: str = "",
    phone: str = "",
    password: str | None = None,
    today: date | None = None,
) -> Employee:
    """Register an ASN and their sign-in account (username = NIP).

    The account has no usable password unless ``password`` is given.
    """
    require_instansi_admin(actor, instansi)
    parsed = parse_nip(nip, today=today or timezone.localdate())
    if Employee.objects.filter(nip=parsed.nip).exists():
        raise ConflictError(
            _("NIP %(nip)s is already registered."),
            code="nip.duplicate",
            params={"nip": parsed.nip},
            field="nip",
        )
    employee = Employee(
        instansi=instansi,
        nip=parsed.nip,
        asn_kind=parsed.asn_kind,
        gender=parsed.gender,
        birth_date=parsed.birth_date,
        name=name.strip(),
        front_title=front_title.strip(),
        back_title=back_title.strip(),
        position=position,
        status=status,
        email=email.strip(),
        phone=phone.strip(),
    )
    _check_holder(employee)
    full_clean(employee, code="employee.invalid", exclude=["user"])
    user_model = get_user_model()
    if user_model.objects.filter(username=parsed.nip).exists():
        raise ConflictError(
            _("An account with NIP %(nip)s already exists."),
            code="nip.account_exists",
            params={"nip": parsed.nip},
        )
    user = new_employee_user(nip=parsed.nip, name=name, email=employee.email, password=password)
    user.save()
    employee.user = user
    try:
        with transaction.atomic():
            employee.save()
    except IntegrityError as exc:
        raise ConflictError(
            _("NIP %(nip)s is already registered."),
            code="nip.duplicate",
            params={"nip": parsed.nip},
        ) from exc
    audit_record(
        actor=actor,
        action="organisations.employee.created",
        target=employee,
        instansi_id=instansi.pk,
        after=snapshot(employee, EMPLOYEE_FIELDS),
    )
    return employee


@transaction.atomic
def employee_update(
    *,
    actor: Any,
    employee: Employee,
    name: str,
    front_title: str = "",
    back_title: str = "",
    position: Position | None = None,
    status: str = EmployeeStatus.ACTIVE,
    email: str = "",
    phone: str = "",
) -> Employee:
    """Change an employee's name, titles, position, status or contact details."""
    employee = Employee.objects.select_for_update().select_related("instansi").get(pk=employee.pk)
    require_instansi_admin(actor, employee.instansi)
    before = snapshot(employee, EMPLOYEE_FIELDS)
    employee.name, employee.front_title = name.strip(), front_title.strip()
    employee.back_title, employee.position, employee.status = back_title.strip(), position, status
    employee.email, employee.phone = email.strip(), phone.strip()
    _check_holder(employee)
    full_clean(employee, code="employee.invalid", exclude=["user"])
    employee.save(
        update_fields=[
            "name", "front_title", "back_title", "position", "status", "email", "phone",
            "updated_at",
        ]
    )  # fmt: skip
    if employee.user_id is not None:
        # The account's email is where activation and reset links go: keep it the same.
        get_user_model().objects.filter(pk=employee.user_id).update(email=employee.email)
    audit_record(
        actor=actor,
        action="organisations.employee.updated",
        target=employee,
        instansi_id=employee.instansi_id,
        before=before,
        after=snapshot(employee, EMPLOYEE_FIELDS),
    )
    return employee


def nip_lookup(value: str) -> Employee | None:
    """Return the employee with NIP ``value`` (spaces allowed), or None."""
    return Employee.objects.filter(nip=normalise_nip(value)).first()


@transaction.atomic
def citizen_register(
    *,
    username: str,
    password: str,
    name: str,
    nik: str,
    email: str = "",
    phone: str = "",
    today: date | None = None,
) -> Citizen:
    """Create a citizen's account and profile after validating their NIK."""
    parsed = parse_nik(nik, today=today or timezone.localdate())
    if Citizen.objects.filter(nik=parsed.nik).exists():
        raise ConflictError(
            _("This NIK is already registered. Sign in with the account that used it."),
            code="nik.duplicate",
            field="nik",
        )
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise ConflictError(
            _("An account with this email or phone number already exists."),
            code="account.duplicate",
            field="identifier",
        )
    user = user_model(username=username, first_name=name.strip()[:150], email=email, phone=phone)
    user.set_password(password)
    user.save()
    citizen = Citizen(
        user=user,
        nik=parsed.nik,
        name=name.strip(),
        gender=parsed.gender,
        birth_date=parsed.birth_date,
        region_code=parsed.district_code,
    )
    full_clean(citizen, code="citizen.invalid", exclude=["user"])
    citizen.save()
    audit_record(
        actor=user,
        action="organisations.citizen.registered",
        target=citizen,
        after={"username": username, "nik": parsed.nik[:6] + "…"},
    )
    return citizen
