"""Checking employee rows against each other and the database, writing nothing.

:func:`validate_rows` normalises every row (:func:`_check_row`), then checks the file as a
whole (repeated NIPs, unknown units and leaders, leader cycles, two heads for a unit) with a
few set-based queries. Each row's problems are recorded on its :class:`RowResult`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from abdi.core.exceptions import render_in_languages, render_message
from abdi.core.trees import path_ids

from ..choices import EmployeeStatus, PositionKind
from ..exceptions import IdentifierError
from ..models import Employee, Instansi, Position, UnitKerja
from ..rules import ParsedNip, find_cycle, normalise_nip, parse_nip
from .reading import COLUMNS

__all__ = ["ACTION_CREATE", "ACTION_UPDATE", "RowResult", "summarise", "validate_rows"]

ACTION_CREATE = "create"
ACTION_UPDATE = "update"

#: SQLite refuses statements with more than 999 parameters; ``__in`` lists are cut below that.
IN_CHUNK = 900
PROGRESS_EVERY = 500

T = TypeVar("T")

_BY_NAME = {c.name: c for c in COLUMNS}

_TRUE = {"ya", "y", "1", "true", "yes", "benar"}
_FALSE = {"tidak", "t", "n", "0", "false", "no", "salah", ""}
# What Excel writes when an 18-digit NIP was typed into a number cell: "1.96608E+17".
_NUMBER_LOOK = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$|^\d+\.0$")


@dataclass
class RowResult:
    """One row after validation: its line, normalised data, problems and planned action."""

    line: int
    data: dict[str, Any]
    errors: list[dict[str, Any]] = field(default_factory=list)
    action: str = ACTION_CREATE
    parsed: ParsedNip | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, code: str, message: str | Promise, field_name: str, /, **params: Any) -> None:
        """Record a problem on column ``field_name``, worded in every language now.

        ``message`` is the active language's text, for logs and the command line; the page
        shows ``messages`` in its reader's language.
        """
        self.errors.append(
            {
                "code": code,
                "message": render_message(message, params),
                "messages": render_in_languages(message, params),
                "field": field_name,
            }
        )

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "action": self.action, "data": self.data, "errors": self.errors}


def _chunks(values: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    chunk: list[T] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _nip_text(value: Any) -> tuple[str, bool]:
    """Return the NIP as text and whether Excel stored it as a number that lost digits."""
    if isinstance(value, float):
        return repr(value), True
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value), False
    text = normalise_nip(_text(value))
    return text, bool(_NUMBER_LOOK.match(text))


def _add_lost_digits(result: RowResult, column: str) -> None:
    result.add(
        "import.nip_not_text",
        _("Excel stored this NIP as a number and lost its last digits. Format the %(column)s "
          "column as text and type the NIP again."),
        column,
        column=column,
    )  # fmt: skip


def _invalid_choice(result: RowResult, value: str, column: str, choices: Sequence[str]) -> None:
    result.add(
        "import.invalid_choice",
        _("“%(value)s” is not a valid value for %(column)s. Use one of: %(choices)s."),
        column,
        value=value,
        column=column,
        choices=", ".join(choices),
    )


def _choice(result: RowResult, raw: Any, column: str, choices: Sequence[str], default: str) -> str:
    text = _text(raw).lower()
    if not text:
        return default
    if text not in choices:
        _invalid_choice(result, _text(raw), column, choices)
        return _text(raw)
    return text


def _check_row(raw: Mapping[str, Any], today: date) -> RowResult:
    """Normalise one row and check what can be checked without the rest of the file."""
    result = RowResult(line=int(raw.get("line") or 0), data={})
    data = result.data

    nip, lost = _nip_text(raw.get("nip"))
    data["nip"] = nip
    if lost:
        _add_lost_digits(result, "nip")
    else:
        try:
            result.parsed = parse_nip(nip, today=today)
        except IdentifierError as exc:
            result.add(exc.code, exc.message_template, "nip", **exc.params)

    for name in ("nama", "gelar_depan", "gelar_belakang", "kode_unit", "jabatan", "email",
                 "telepon"):  # fmt: skip
        data[name] = " ".join(_text(raw.get(name)).split())
    if not data["nama"]:
        result.add("import.name_required", _("The name (nama) is required."), "nama")
    for name in ("kode_unit", "jabatan"):
        if not data[name]:
            result.add("import.value_required", _("%(column)s is required."), name, column=name)
    for name, value in data.items():
        limit = _BY_NAME[name].max_length
        if limit is not None and len(value) > limit:
            result.add(
                "import.too_long",
                _("%(column)s is longer than %(max)s characters."),
                name,
                column=name,
                max=limit,
            )

    leader, lost = _nip_text(raw.get("nip_atasan"))
    data["nip_atasan"] = leader
    if lost:
        _add_lost_digits(result, "nip_atasan")

    data["jenis_jabatan"] = _choice(
        result,
        raw.get("jenis_jabatan"),
        "jenis_jabatan",
        PositionKind.values,
        PositionKind.PELAKSANA,
    )
    data["status"] = _choice(
        result, raw.get("status"), "status", EmployeeStatus.values, EmployeeStatus.ACTIVE
    )
    head = raw.get("kepala_unit")
    head_text = _text(head).lower()
    if head_text in _TRUE:
        data["kepala_unit"] = True
    elif head_text in _FALSE:
        data["kepala_unit"] = False
    else:
        data["kepala_unit"] = _text(head)
        _invalid_choice(result, _text(head), "kepala_unit", ["ya", "tidak"])

    if data["email"]:
        try:
            validate_email(data["email"])
        except DjangoValidationError:
            result.add(
                "import.email_invalid",
                _("“%(value)s” is not a valid email address."),
                "email",
                value=data["email"],
            )
    return result


@dataclass(frozen=True)
class _Known:
    """What the database already holds about the NIPs and unit codes of a file."""

    employees: dict[str, dict[str, Any]]
    units: dict[str, dict[str, Any]]
    usernames: set[str]


def _units_by_code(instansi: Instansi) -> dict[str, dict[str, Any]]:
    """Return the agency's units by code, also by lower-cased code for a forgiving match."""
    units: dict[str, dict[str, Any]] = {}
    for values in UnitKerja.objects.filter(instansi=instansi).values("id", "code", "name"):
        unit: dict[str, Any] = dict(values)
        units.setdefault(unit["code"].lower(), unit)
        units[unit["code"]] = unit
    return units


def _find_unit(units: Mapping[str, dict[str, Any]], code: str) -> dict[str, Any] | None:
    return units.get(code) or units.get(code.lower())


def _load_known(results: list[RowResult], instansi: Instansi) -> _Known:
    nips = {r.data["nip"] for r in results if r.data["nip"]}
    nips |= {r.data["nip_atasan"] for r in results if r.data["nip_atasan"]}
    employees: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(sorted(nips)):
        for row in Employee.objects.filter(nip__in=chunk).values(
            "id", "nip", "name", "instansi_id", "position_id", "position__chain", "user_id"
        ):
            employees[row["nip"]] = dict(row)
    units = _units_by_code(instansi)
    usernames: set[str] = set()
    user_model = get_user_model()
    file_nips = sorted({r.parsed.nip for r in results if r.parsed})
    for chunk in _chunks(file_nips):
        usernames.update(
            user_model.objects.filter(username__in=chunk).values_list("username", flat=True)
        )
    return _Known(employees=employees, units=units, usernames=usernames)


def _find_cycles(edges: dict[str, str]) -> list[list[str]]:
    """Return every cycle of a leader mapping (each node has at most one leader).

    Such a graph has at most one cycle per connected group, so the groups are found with a
    union-find and :func:`find_cycle` runs once per group: linear overall.
    """
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        top = node
        while parent.get(top, top) != top:
            top = parent[top]
        while node != top:
            parent[node], node = top, parent.get(node, node)
        return top

    for node, leader in edges.items():
        a, b = root(node), root(leader)
        if a != b:
            parent[a] = b
    groups: dict[str, dict[str, str]] = defaultdict(dict)
    for node, leader in edges.items():
        groups[root(node)][node] = leader
    return [cycle for group in groups.values() if (cycle := find_cycle(group))]


def validate_rows(
    rows: Iterable[Mapping[str, Any]],
    *,
    instansi: Instansi,
    today: date,
    progress: Callable[[int], None] | None = None,
) -> list[RowResult]:
    """Check every row against the rest of the file and the database; write nothing.

    ``rows`` are :func:`read_rows` dicts (or the stored ``data`` of a previous validation,
    which validates the same). The database is read with a handful of set-based queries;
    ``progress`` is called with the number of rows checked so far.
    """
    results: list[RowResult] = []
    for count, raw in enumerate(rows, start=1):
        results.append(_check_row(raw, today))
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    known = _load_known(results, instansi)
    first_line = _check_duplicates(results)
    owners = _check_existing(first_line, known, instansi)
    heads, edges, via = _check_units_and_leaders(results, first_line, known, owners, instansi)
    _check_cycles(edges, via, first_line)
    _check_heads(heads, first_line, {unit["id"]: unit["name"] for unit in known.units.values()})
    return results


def _check_duplicates(results: list[RowResult]) -> dict[str, RowResult]:
    """Flag every repeat of a NIP; return the first row of each NIP."""
    first_line: dict[str, RowResult] = {}
    for result in results:
        nip = result.data["nip"]
        if not nip:
            continue
        first = first_line.setdefault(nip, result)
        if first is not result:
            result.add(
                "import.duplicate_nip_in_file",
                _("NIP %(nip)s already appears on line %(line)s of this file."),
                "nip",
                nip=nip,
                line=first.line,
            )
    return first_line


def _check_existing(
    first_line: dict[str, RowResult], known: _Known, instansi: Instansi
) -> dict[int, str]:
    """Mark updates, refuse other agencies' NIPs; return file employees' positions by id."""
    owners: dict[int, str] = {}
    for nip, result in first_line.items():
        existing = known.employees.get(nip)
        if existing is not None and existing["instansi_id"] != instansi.pk:
            result.add(
                "import.nip_other_instansi",
                _("NIP %(nip)s is registered to an employee of another agency."),
                "nip",
                nip=nip,
            )
            continue
        if existing is not None:
            result.action = ACTION_UPDATE
            if existing["position_id"] is not None:
                owners[existing["position_id"]] = nip
        needs_account = existing is None or existing["user_id"] is None
        if needs_account and result.parsed and nip in known.usernames:
            result.add(
                "import.account_exists",
                _("A user account named %(nip)s already exists without an employee record."),
                "nip",
                nip=nip,
            )
    return owners


def _check_units_and_leaders(
    results: list[RowResult],
    first_line: dict[str, RowResult],
    known: _Known,
    owners: dict[int, str],
    instansi: Instansi,
) -> tuple[dict[int, list[RowResult]], dict[str, str], dict[str, str]]:
    """Check unit codes and leaders; return head claims by unit, and the leader graph.

    The graph maps each NIP to the file NIP it will report to. A leader outside the file
    links to the nearest file employee above them (``via`` names that leader), since those
    file employees' positions are about to move and could close a loop.
    """
    heads: dict[int, list[RowResult]] = defaultdict(list)
    edges: dict[str, str] = {}
    via: dict[str, str] = {}
    for result in results:
        data = result.data
        code = data["kode_unit"]
        unit = _find_unit(known.units, code)
        if code and unit is None:
            result.add(
                "import.unknown_unit",
                _("There is no unit with code %(code)s in this agency."),
                "kode_unit",
                code=code,
            )
        if unit is not None and data["kepala_unit"] is True:
            heads[unit["id"]].append(result)

        nip, leader = data["nip"], data["nip_atasan"]
        first = first_line.get(nip) is result
        if not leader or any(e["code"] == "import.nip_not_text" for e in result.errors):
            continue
        if leader == nip:
            result.add(
                "import.self_leader", _("An employee cannot be their own leader."), "nip_atasan"
            )
            continue
        if leader in first_line:
            if first:
                edges[nip] = leader
            continue
        found = known.employees.get(leader)
        if found is None or found["instansi_id"] != instansi.pk or found["position_id"] is None:
            result.add(
                "import.unknown_leader",
                _("The leader %(nip)s is neither in this file nor an employee of this agency "
                  "with a position."),
                "nip_atasan",
                nip=leader,
            )  # fmt: skip
        elif first:
            for position_id in reversed(path_ids(found["position__chain"])):
                if position_id in owners:
                    edges[nip], via[nip] = owners[position_id], leader
                    break
    return heads, edges, via


def _check_cycles(
    edges: dict[str, str], via: dict[str, str], first_line: dict[str, RowResult]
) -> None:
    """Flag every row of every leader cycle, naming the NIPs around it."""
    for cycle in _find_cycles(edges):
        steps: list[str] = []
        for node in cycle:
            steps.append(node)
            if node in via:
                steps.append(via[node])
        steps.append(cycle[0])
        for node in cycle:
            first_line[node].add(
                "import.leader_cycle",
                _("The leaders form a cycle: %(cycle)s. Every chain must end at the top."),
                "nip_atasan",
                cycle=" → ".join(steps),
            )


def _check_heads(
    head_claims: dict[int, list[RowResult]],
    first_line: dict[str, RowResult],
    unit_names: dict[int, str],
) -> None:
    """Refuse two heads for one unit, in the file or against a head outside it."""
    current: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(head_claims):
        for values in Position.objects.filter(unit_id__in=chunk, is_unit_head=True).values(
            "unit_id", "holder__nip", "holder__name"
        ):
            current[values["unit_id"]] = dict(values)
    for unit_id, claims in head_claims.items():
        unit_name = unit_names.get(unit_id, "")
        if len(claims) > 1:
            lines = ", ".join(str(c.line) for c in claims)
            for claim in claims:
                claim.add(
                    "import.two_heads",
                    _("More than one row makes itself head of %(unit)s (lines %(lines)s)."),
                    "kepala_unit",
                    unit=unit_name,
                    lines=lines,
                )
            continue
        head = current.get(unit_id)
        if head is None or head["holder__nip"] in first_line:
            continue
        if head["holder__nip"] is None:
            claims[0].add(
                "import.two_heads",
                _("%(unit)s already has a vacant head position. Fill or change it before "
                  "importing a new head."),
                "kepala_unit",
                unit=unit_name,
            )  # fmt: skip
        else:
            claims[0].add(
                "import.two_heads",
                _("%(unit)s already has a head, %(name)s (NIP %(nip)s), who is not in this file."),
                "kepala_unit",
                unit=unit_name,
                name=head["holder__name"],
                nip=head["holder__nip"],
            )


def summarise(results: Sequence[RowResult]) -> dict[str, Any]:
    """Return the counts shown on the preview page.

    A row with problems is counted only as a problem, never as a new or updated employee.
    """
    codes = Counter(e["code"] for r in results for e in r.errors)
    return {
        "total": len(results),
        "create": sum(1 for r in results if r.ok and r.action == ACTION_CREATE),
        "update": sum(1 for r in results if r.ok and r.action == ACTION_UPDATE),
        "problems": sum(1 for r in results if r.errors),
        "codes": dict(sorted(codes.items())),
    }
