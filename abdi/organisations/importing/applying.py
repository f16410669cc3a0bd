"""Writing valid employee rows: users, positions, employees, chains and audit, in bulk.

:func:`write_rows` runs inside the caller's transaction (see
:func:`~.services.apply_rows`) on rows that :func:`~.validation.validate_rows` has just
passed, so everything it writes is either committed together or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from abdi.core.audit import audit_record_bulk, snapshot
from abdi.core.trees import child_path

from ..models import Employee, EmployeeImport, Instansi, Position
from ..services import new_employee_user
from .validation import RowResult, _chunks, _find_unit, _units_by_code

__all__ = ["write_rows"]

BATCH_SIZE = 500


def _leader_position_ids(results: list[RowResult], instansi: Instansi) -> dict[str, int]:
    file_nips = {r.data["nip"] for r in results}
    outside = sorted({r.data["nip_atasan"] for r in results} - file_nips - {""})
    found: dict[str, int] = {}
    for chunk in _chunks(outside):
        found.update(
            Employee.objects.filter(
                instansi=instansi, nip__in=chunk, position__isnull=False
            ).values_list("nip", "position_id")
        )
    return found


def _fill_missing_pks(model: type[Any], objects: list[Any], key: str) -> None:
    """Give bulk-created ``objects`` their ids on databases that do not return them."""
    missing = [o for o in objects if o.pk is None]
    if not missing:
        return
    ids: dict[Any, int] = {}
    for chunk in _chunks([getattr(o, key) for o in missing]):
        ids.update(model.objects.filter(**{f"{key}__in": chunk}).values_list(key, "pk"))
    for obj in missing:
        obj.pk = ids[getattr(obj, key)]


def _compute_chains(instansi: Instansi) -> int:
    """Recompute every position's ``chain`` of the agency from ``reports_to``; return changes."""
    parent: dict[int, int | None] = {}
    old: dict[int, str] = {}
    for pk, reports_to, chain in Position.objects.filter(instansi=instansi).values_list(
        "pk", "reports_to_id", "chain"
    ):
        parent[pk], old[pk] = reports_to, chain
    chains: dict[int, str] = {}
    for start in parent:
        stack: list[int] = []
        node: int | None = start
        while node is not None and node not in chains:
            stack.append(node)
            node = parent.get(node)
            if len(stack) > len(parent):
                raise RuntimeError("The positions of the agency form a cycle.")
        base = chains.get(node) if node is not None else None
        for pk in reversed(stack):
            base = chains[pk] = child_path(base, pk)
    changed = [(chain, pk) for pk, chain in chains.items() if old[pk] != chain]
    # One prepared UPDATE run many times: bulk_update() builds a CASE per row, ~30x slower.
    quote = connection.ops.quote_name
    table = quote(Position._meta.db_table)
    sql = f"UPDATE {table} SET {quote('chain')} = %s WHERE {quote('id')} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for batch in _chunks(changed, BATCH_SIZE):
            cursor.executemany(sql, batch)
    return len(changed)


EMPLOYEE_WRITE_FIELDS = ["name", "front_title", "back_title", "status", "email", "phone",
                         "position", "user"]  # fmt: skip
EMPLOYEE_AUDIT_FIELDS = ["nip", "name", "front_title", "back_title", "position", "status", "email",
                         "phone"]  # fmt: skip


def _existing_employees(instansi: Instansi, nips: Iterable[str]) -> dict[str, Employee]:
    existing: dict[str, Employee] = {}
    for chunk in _chunks(sorted(nips)):
        for found in Employee.objects.select_related("position").filter(
            instansi=instansi, nip__in=chunk
        ):
            existing[found.nip] = found
    return existing


def _create_users(by_nip: dict[str, RowResult], existing: dict[str, Employee]) -> dict[str, int]:
    """Create the sign-in accounts (username = NIP, no usable password); return their ids."""
    user_model = get_user_model()
    users = []
    for nip, result in by_nip.items():
        employee = existing.get(nip)
        if employee is None or employee.user_id is None:
            users.append(
                new_employee_user(nip=nip, name=result.data["nama"], email=result.data["email"])
            )
    user_model.objects.bulk_create(users, batch_size=BATCH_SIZE)
    _fill_missing_pks(user_model, users, "username")
    return {user.get_username(): user.pk for user in users}


def _save_positions(
    instansi: Instansi, by_nip: dict[str, RowResult], existing: dict[str, Employee]
) -> tuple[dict[str, Position], int]:
    """Create or update each row's own position under its leader's; return them by NIP."""
    now = timezone.now()
    units = _units_by_code(instansi)
    # Free the head flags of reused positions first: the one-head-per-unit index is checked
    # row by row, so a new head must not meet an old flag that is about to be cleared.
    heads = [e.position.pk for e in existing.values() if e.position and e.position.is_unit_head]
    for chunk in _chunks(heads):
        Position.objects.filter(pk__in=chunk).update(is_unit_head=False)

    positions: dict[str, Position] = {}
    reused: dict[str, Position] = {}
    for nip, result in by_nip.items():
        data = result.data
        unit = _find_unit(units, data["kode_unit"])
        assert unit is not None
        holder = existing.get(nip)
        position = holder.position if holder is not None else None
        if position is None:
            position = Position(instansi=instansi, chain="")
        else:
            position.updated_at = now
            reused[nip] = position
        position.unit_id = unit["id"]
        position.title = data["jabatan"]
        position.kind = data["jenis_jabatan"]
        position.is_unit_head = data["kepala_unit"]
        positions[nip] = position

    outside = _leader_position_ids(list(by_nip.values()), instansi)

    def leader_position(nip: str) -> int | None:
        leader = by_nip[nip].data["nip_atasan"]
        if not leader:
            return None
        return positions[leader].pk if leader in positions else outside[leader]

    # New positions are inserted leaders first, so each knows its leader's id when created.
    level: dict[str, int] = {}
    for start in positions:
        stack: list[str] = []
        node = start
        while node not in level:
            leader = by_nip[node].data["nip_atasan"]
            if leader in positions and positions[leader].pk is None:
                stack.append(node)
                node = leader
                if len(stack) > len(positions):
                    raise RuntimeError("The leaders of the import form a cycle.")
            else:
                level[node] = 0
        for nip in reversed(stack):
            level[nip] = level[by_nip[nip].data["nip_atasan"]] + 1
    new_by_level: dict[int, list[tuple[str, Position]]] = defaultdict(list)
    for nip, position in positions.items():
        if position.pk is None:
            new_by_level[level[nip]].append((nip, position))
    for depth in sorted(new_by_level):
        batch = new_by_level[depth]
        for nip, position in batch:
            position.reports_to_id = leader_position(nip)
        created = [position for _nip, position in batch]
        Position.objects.bulk_create(created, batch_size=BATCH_SIZE)
        _fill_missing_pks(Position, created, "public_id")
    for nip, position in reused.items():
        position.reports_to_id = leader_position(nip)
    Position.objects.bulk_update(
        list(reused.values()),
        ["unit", "title", "kind", "is_unit_head", "reports_to", "updated_at"],
        batch_size=BATCH_SIZE,
    )
    return positions, len(reused)


def _save_employees(
    instansi: Instansi,
    by_nip: dict[str, RowResult],
    existing: dict[str, Employee],
    positions: dict[str, Position],
    user_ids: dict[str, int],
) -> tuple[list[Employee], list[Employee]]:
    """Create the new employees and update the existing ones; return both lists."""
    now = timezone.now()
    created: list[Employee] = []
    updated: list[Employee] = []
    for nip, result in by_nip.items():
        data, parsed = result.data, result.parsed
        assert parsed is not None
        employee = existing.get(nip)
        if employee is None:
            employee = Employee(
                instansi=instansi,
                nip=nip,
                asn_kind=parsed.asn_kind,
                gender=parsed.gender,
                birth_date=parsed.birth_date,
            )
            created.append(employee)
        else:
            employee.updated_at = now
            updated.append(employee)
        employee.name, employee.front_title = data["nama"], data["gelar_depan"]
        employee.back_title, employee.status = data["gelar_belakang"], data["status"]
        employee.email, employee.phone = data["email"], data["telepon"]
        employee.position_id = positions[nip].pk
        if nip in user_ids:
            employee.user_id = user_ids[nip]
    Employee.objects.bulk_create(created, batch_size=BATCH_SIZE)
    _fill_missing_pks(Employee, created, "nip")
    Employee.objects.bulk_update(
        updated,
        [*EMPLOYEE_WRITE_FIELDS, "updated_at"],
        batch_size=BATCH_SIZE,
    )
    return created, updated


def write_rows(import_: EmployeeImport, results: list[RowResult], *, actor: Any) -> dict[str, int]:
    """Write users, positions, employees, chains and audit events for valid ``results``."""
    instansi = import_.instansi
    by_nip = {r.data["nip"]: r for r in results}
    existing = _existing_employees(instansi, by_nip)
    before = {nip: snapshot(e, EMPLOYEE_AUDIT_FIELDS) for nip, e in existing.items()}
    user_ids = _create_users(by_nip, existing)
    positions, reused = _save_positions(instansi, by_nip, existing)
    created, updated = _save_employees(instansi, by_nip, existing, positions, user_ids)
    chains_changed = _compute_chains(instansi)
    audit_record_bulk(
        actor=actor,
        action="organisations.employee.imported",
        instansi_id=instansi.pk,
        reason=str(import_.public_id),
        entries=[
            (e, before.get(e.nip), snapshot(e, EMPLOYEE_AUDIT_FIELDS)) for e in [*created, *updated]
        ],
    )
    return {
        "created": len(created),
        "updated": len(updated),
        "users_created": len(user_ids),
        "positions_created": len(positions) - reused,
        "positions_updated": reused,
        "chains_changed": chains_changed,
    }
