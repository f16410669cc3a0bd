"""Import employees from an Excel (.xlsx) or CSV file: read, check, then apply all or nothing.

The pipeline is split so each step can be tested alone:

* :func:`read_rows` turns a file into plain dicts keyed by column name (no database);
* :func:`validate_rows` checks every row against the file and the database with a few
  set-based queries and returns each row's problems (writes nothing);
* :func:`apply_rows` re-checks and writes everything in one transaction.

The services at the bottom (``employee_import_*``) are what views, tasks and the
``import_employees`` command call.
"""

from __future__ import annotations

import csv
import io
import os
import re
import uuid
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import IO, Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from abdi.core.audit import audit_record, audit_record_bulk, snapshot
from abdi.core.exceptions import ConflictError, ValidationError
from abdi.core.trees import child_path

from .choices import EmployeeStatus, ImportStatus, PositionKind
from .exceptions import IdentifierError
from .models import Employee, EmployeeImport, Instansi, Position, UnitKerja
from .rules import ParsedNip, find_cycle, normalise_nip, parse_nip
from .services import require_instansi_admin

__all__ = [
    "ACTION_CREATE",
    "ACTION_UPDATE",
    "COLUMNS",
    "COLUMN_NAMES",
    "Column",
    "ImportFileError",
    "RowResult",
    "apply_rows",
    "check_file",
    "employee_import_confirm",
    "employee_import_create",
    "employee_import_fail",
    "employee_import_list_for_actor",
    "employee_import_preview",
    "employee_import_validate",
    "read_rows",
    "summarise",
    "template_workbook",
    "validate_rows",
]

ACTION_CREATE = "create"
ACTION_UPDATE = "update"

#: SQLite refuses statements with more than 999 parameters; ``__in`` lists are cut below that.
IN_CHUNK = 900
BATCH_SIZE = 500
PROGRESS_EVERY = 500

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_TYPES = {".xlsx": "Excel (.xlsx)", ".csv": "CSV"}

T = TypeVar("T")


class ImportFileError(ValidationError):
    """A file that cannot be imported at all (type, size, encoding, columns)."""

    default_code = "import.file_unreadable"


# --------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the import file: its Indonesian name, accepted aliases and meaning."""

    name: str
    description: str | Promise
    example: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()
    max_length: int | None = None


COLUMNS: tuple[Column, ...] = (
    Column("nip", _("18-digit NIP; spaces are allowed. Format the column as text in Excel."),
           "198503152010031002", required=True, aliases=("nip_baru",)),
    Column("nama", _("Full name without academic titles."), "Ahmad Fauzi", required=True,
           aliases=("name", "nama_lengkap"), max_length=200),
    Column("gelar_depan", _("Front academic title."), "Dr.", aliases=("front_title",),
           max_length=50),
    Column("gelar_belakang", _("Back academic title."), "S.Kom., M.T.",
           aliases=("back_title",), max_length=80),
    Column("kode_unit", _("Code of an existing unit of the agency."), "BID-A", required=True,
           aliases=("unit_code", "unit"), max_length=40),
    Column("jabatan", _("Position title; the import creates or updates the employee's position."),
           "Kepala Bidang A", required=True, aliases=("position", "position_title", "title"),
           max_length=200),
    Column("jenis_jabatan", _("One of: jpt, administrator, pengawas, fungsional, pelaksana "
                              "(default pelaksana)."), "administrator",
           aliases=("position_kind", "kind")),
    Column("kepala_unit", _("ya or tidak (also y/n, 1/0, true/false): whether the position heads "
                            "the unit (default tidak)."), "ya",
           aliases=("unit_head", "is_unit_head", "head")),
    Column("nip_atasan", _("NIP of the direct leader: a row of this file or an employee of the "
                           "agency who has a position. Leave blank for the top of the agency."),
           "", aliases=("leader_nip", "atasan", "reports_to")),
    Column("email", _("Email address."), "ahmad.fauzi@example.go.id", aliases=("surel",),
           max_length=254),
    Column("telepon", _("Phone number."), "081234567890", aliases=("phone", "hp", "no_hp"),
           max_length=20),
    Column("status", _("One of: aktif, cuti, nonaktif, pensiun (default aktif)."), "aktif",
           aliases=("employee_status",)),
)  # fmt: skip

COLUMN_NAMES = tuple(c.name for c in COLUMNS)
_BY_NAME = {c.name: c for c in COLUMNS}
_ALIASES = {alias: c.name for c in COLUMNS for alias in (c.name, *c.aliases)}

_TRUE = {"ya", "y", "1", "true", "yes", "benar"}
_FALSE = {"tidak", "t", "n", "0", "false", "no", "salah", ""}
# What Excel writes when an 18-digit NIP was typed into a number cell: "1.96608E+17".
_NUMBER_LOOK = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$|^\d+\.0$")


def _header_key(value: Any) -> str:
    text = "" if value is None else str(value)
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


# --------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------


def _file_size(fileobj: IO[bytes]) -> int:
    size = getattr(fileobj, "size", None)
    if isinstance(size, int):
        return size
    position = fileobj.tell()
    fileobj.seek(0, os.SEEK_END)
    end = fileobj.tell()
    fileobj.seek(position)
    return end


def _extension(filename: str) -> str:
    ext = os.path.splitext(filename or "")[1].lower()
    if ext not in FILE_TYPES:
        raise ImportFileError(
            _("Upload an Excel (.xlsx) or CSV (.csv) file."), code="import.file_type", field="file"
        )
    return ext


def _unreadable(ext: str) -> ImportFileError:
    return ImportFileError(
        _("The file could not be read as %(kind)s. Save it again from your spreadsheet program."),
        code="import.file_unreadable",
        params={"kind": FILE_TYPES[ext]},
        field="file",
    )


def _too_many_rows(max_rows: int) -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(max)s employee rows. Split it into smaller files."),
        code="import.too_many_rows",
        params={"max": max_rows},
        field="file",
    )


def _open_csv(fileobj: IO[bytes]) -> tuple[list[Any], Iterator[Sequence[Any]], Callable[[], None]]:
    try:
        text = fileobj.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The CSV file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."),
            code="import.file_unreadable",
            field="file",
        ) from exc
    first_line = text.split("\n", 1)[0]
    # Excel with Indonesian regional settings separates CSV fields with ";".
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise _unreadable(".csv") from exc
    return list(header), reader, lambda: None


def _open_xlsx(
    fileobj: IO[bytes], max_rows: int
) -> tuple[list[Any], Iterator[Sequence[Any]], Callable[[], None]]:
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, ())
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError,
            IndexError, TypeError) as exc:  # fmt: skip
        raise _unreadable(".xlsx") from exc
    # The sheet's declared size, when present, refuses a huge file before reading it.
    if isinstance(sheet.max_row, int) and sheet.max_row - 1 > max_rows:
        workbook.close()
        raise _too_many_rows(max_rows)
    return list(header), rows, workbook.close


def _map_header(header: list[Any]) -> dict[int, str]:
    positions: dict[int, str] = {}
    for index, cell in enumerate(header):
        name = _ALIASES.get(_header_key(cell))
        if name is not None and name not in positions.values():
            positions[index] = name
    missing = [c.name for c in COLUMNS if c.required and c.name not in positions.values()]
    if missing:
        raise ImportFileError(
            _("The file lacks these required columns: %(columns)s. Use the template's header row."),
            code="import.missing_columns",
            params={"columns": ", ".join(missing)},
            field="file",
            errors=[{"column": name} for name in missing],
        )
    return positions


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _generate(
    columns: dict[int, str],
    body: Iterator[Sequence[Any]],
    close: Callable[[], None],
    max_rows: int,
) -> Iterator[dict[str, Any]]:
    try:
        count = 0
        for line, values in enumerate(body, start=2):
            if all(_is_blank(v) for v in values):
                continue
            count += 1
            if count > max_rows:
                raise _too_many_rows(max_rows)
            row: dict[str, Any] = {"line": line}
            for index, name in columns.items():
                row[name] = values[index] if index < len(values) else None
            yield row
    finally:
        close()


def _open(
    fileobj: IO[bytes], filename: str
) -> tuple[dict[int, str], Iterator[Sequence[Any]], Callable[[], None], int]:
    ext = _extension(filename)
    max_bytes: int = settings.ABDI_IMPORT_MAX_BYTES
    max_rows: int = settings.ABDI_IMPORT_MAX_ROWS
    if _file_size(fileobj) > max_bytes:
        raise ImportFileError(
            _("The file is larger than %(max)s."),
            code="import.file_too_large",
            params={"max": filesizeformat(max_bytes)},
            field="file",
        )
    fileobj.seek(0)
    if ext == ".csv":
        header, body, close = _open_csv(fileobj)
    else:
        header, body, close = _open_xlsx(fileobj, max_rows)
    try:
        columns = _map_header(header)
    except ImportFileError:
        close()
        raise
    return columns, body, close, max_rows


def read_rows(fileobj: IO[bytes], filename: str) -> Iterator[dict[str, Any]]:
    """Return an iterator of the file's rows as ``{"line": n, <column>: <cell value>, …}``.

    Checks type, size and header at once (raising :class:`ImportFileError`); the row limit is
    checked while iterating. Blank rows are skipped; ``line`` is the spreadsheet's row number
    with the header on line 1. Cell values are left as the file gives them (str, int, float,
    bool, None); :func:`validate_rows` normalises them.
    """
    columns, body, close, max_rows = _open(fileobj, filename)
    return _generate(columns, body, close, max_rows)


def check_file(fileobj: IO[bytes], filename: str) -> None:
    """Raise :class:`ImportFileError` unless the file's type, size and header are importable."""
    _columns, _body, close, _max_rows = _open(fileobj, filename)
    close()


def template_workbook() -> bytes:
    """Return the import template: the header row and one example row, NIP columns as text."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "pegawai"
    sheet.append(list(COLUMN_NAMES))
    sheet.append([c.example for c in COLUMNS])
    for name in ("nip", "nip_atasan", "telepon"):
        letter = sheet.cell(row=1, column=COLUMN_NAMES.index(name) + 1).column_letter
        sheet.column_dimensions[letter].number_format = "@"
        sheet.column_dimensions[letter].width = 22
        for row in range(2, 1002):
            sheet[f"{letter}{row}"].number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


@dataclass
class RowResult:
    """One row after validation: its line, normalised data, problems and planned action."""

    line: int
    data: dict[str, Any]
    errors: list[dict[str, str]] = field(default_factory=list)
    action: str = ACTION_CREATE
    parsed: ParsedNip | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, code: str, message: str | Promise, field_name: str, /, **params: Any) -> None:
        """Record a problem on column ``field_name``; ``message`` is translated now."""
        text = str(message)
        self.errors.append(
            {"code": code, "message": text % params if params else text, "field": field_name}
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
            result.add(exc.code, exc.message, "nip")

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
            chain = [int(p) for p in found["position__chain"].strip("/").split("/") if p]
            for position_id in reversed(chain):
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
    """Return the counts shown on the preview page."""
    codes = Counter(e["code"] for r in results for e in r.errors)
    return {
        "total": len(results),
        "create": sum(1 for r in results if r.action == ACTION_CREATE),
        "update": sum(1 for r in results if r.action == ACTION_UPDATE),
        "problems": sum(1 for r in results if r.errors),
        "codes": dict(sorted(codes.items())),
    }


# --------------------------------------------------------------------------------------------
# Applying
# --------------------------------------------------------------------------------------------


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
            user = user_model(
                username=nip, first_name=result.data["nama"][:150], email=result.data["email"]
            )
            user.set_unusable_password()
            users.append(user)
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


def _write(import_: EmployeeImport, results: list[RowResult], *, actor: Any) -> dict[str, int]:
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


def _language(import_: EmployeeImport) -> str:
    """Return the uploader's language: problems are written in it."""
    return str(import_.summary.get("language") or settings.LANGUAGE_CODE)


def _store(import_: EmployeeImport, results: list[RowResult], status: str) -> None:
    import_.rows = [r.as_json() for r in results]
    import_.total_rows = import_.processed_rows = len(results)
    import_.error_count = sum(1 for r in results if r.errors)
    import_.summary = {**import_.summary, **summarise(results)}
    import_.status = status
    import_.save(
        update_fields=["rows", "total_rows", "processed_rows", "error_count", "summary", "status",
                       "updated_at"]
    )  # fmt: skip


def apply_rows(import_: EmployeeImport, *, actor: Any, today: date | None = None) -> EmployeeImport:
    """Re-check the stored rows and write them all in one transaction, or write nothing.

    Runs only on an import in ``APPLYING`` (so a second run does nothing). If the rows have
    problems now (the database changed since the preview) the import becomes ``INVALID``
    with the new problems and no employee, user or position is written.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        import_ = (
            EmployeeImport.objects.select_for_update().select_related("instansi").get(pk=import_.pk)
        )
        if import_.status != ImportStatus.APPLYING:
            return import_
        require_instansi_admin(actor, import_.instansi)
        stored = [{"line": row["line"], **row["data"]} for row in import_.rows]
        with translation.override(_language(import_)):
            results = validate_rows(stored, instansi=import_.instansi, today=today)
        if not results or any(r.errors for r in results):
            _store(import_, results, ImportStatus.INVALID)
            return import_
        counts = _write(import_, results, actor=actor)
        import_.summary = {**import_.summary, "applied": counts}
        import_.status = ImportStatus.DONE
        import_.processed_rows = import_.total_rows = len(results)
        import_.failure = ""
        import_.save(
            update_fields=["summary", "status", "processed_rows", "total_rows", "failure",
                           "updated_at"]
        )  # fmt: skip
        audit_record(
            actor=actor,
            action="organisations.employee_import.applied",
            target=import_,
            instansi_id=import_.instansi_id,
            after={"file": import_.original_name, "rows": len(results), **counts},
        )
    return import_


# --------------------------------------------------------------------------------------------
# Services
# --------------------------------------------------------------------------------------------


def employee_import_list_for_actor(*, actor: Any) -> QuerySet[EmployeeImport]:
    """Return the imports of the agencies the actor administers, newest first, without rows."""
    qs = EmployeeImport.objects.select_related("instansi", "created_by").defer("rows")
    if not actor.is_superuser:
        qs = qs.filter(instansi__administrators=actor)
    return qs.order_by("-created_at", "-id")


def employee_import_preview(
    *, actor: Any, instansi: Instansi, fileobj: IO[bytes], filename: str, today: date | None = None
) -> list[RowResult]:
    """Read and check a file for ``instansi`` without storing or writing anything."""
    require_instansi_admin(actor, instansi)
    rows = read_rows(fileobj, filename)
    return validate_rows(rows, instansi=instansi, today=today or timezone.localdate())


@transaction.atomic
def employee_import_create(*, actor: Any, instansi: Instansi, uploaded_file: Any) -> EmployeeImport:
    """Store an uploaded file for ``instansi`` and queue its validation.

    The type, size and header are checked now, so a wrong file is refused at once; the
    rows are checked by the ``validate_employee_import`` task.
    """
    from . import tasks

    require_instansi_admin(actor, instansi)
    filename = os.path.basename(getattr(uploaded_file, "name", "") or "")
    ext = _extension(filename)
    uploaded_file.seek(0)
    check_file(uploaded_file, filename)
    uploaded_file.seek(0)
    import_ = EmployeeImport(
        instansi=instansi,
        created_by=actor,
        original_name=filename[:255],
        status=ImportStatus.VALIDATING,
        summary={"language": translation.get_language() or settings.LANGUAGE_CODE},
    )
    import_.file.save(f"{uuid.uuid4().hex}{ext}", uploaded_file, save=False)
    import_.save()
    audit_record(
        actor=actor,
        action="organisations.employee_import.created",
        target=import_,
        instansi_id=instansi.pk,
        after={"file": import_.original_name},
    )
    transaction.on_commit(partial(tasks.validate_employee_import.delay, import_.pk))
    return import_


def _set_progress(import_id: int, count: int) -> None:
    EmployeeImport.objects.filter(pk=import_id).update(processed_rows=count)


def employee_import_validate(*, import_id: int, today: date | None = None) -> EmployeeImport | None:
    """Read the stored file and record each row's problems; ``READY`` when there are none.

    Does nothing unless the import is ``VALIDATING``. Progress is committed as it goes so a
    polling page can show it.
    """
    import_ = EmployeeImport.objects.select_related("instansi").filter(pk=import_id).first()
    if import_ is None or import_.status != ImportStatus.VALIDATING:
        return import_
    with translation.override(_language(import_)):
        try:
            with import_.file.open("rb") as fh:
                raw = list(read_rows(fh, import_.original_name))
        except ImportFileError as exc:
            EmployeeImport.objects.filter(pk=import_id, status=ImportStatus.VALIDATING).update(
                status=ImportStatus.INVALID, failure=exc.message, updated_at=timezone.now()
            )
            return import_
        if not raw:
            EmployeeImport.objects.filter(pk=import_id, status=ImportStatus.VALIDATING).update(
                status=ImportStatus.INVALID,
                failure=str(_("The file has no employee rows below the header.")),
                updated_at=timezone.now(),
            )
            return import_
        EmployeeImport.objects.filter(pk=import_id).update(total_rows=len(raw), processed_rows=0)
        results = validate_rows(
            raw,
            instansi=import_.instansi,
            today=today or timezone.localdate(),
            progress=partial(_set_progress, import_id),
        )
    with transaction.atomic():
        import_ = EmployeeImport.objects.select_for_update().get(pk=import_id)
        if import_.status == ImportStatus.VALIDATING:
            status = ImportStatus.INVALID if any(r.errors for r in results) else ImportStatus.READY
            _store(import_, results, status)
    return import_


@transaction.atomic
def employee_import_confirm(*, actor: Any, import_: EmployeeImport) -> EmployeeImport:
    """Accept a previewed import and queue it to be applied; only a ``READY`` import can be."""
    from . import tasks

    import_ = (
        EmployeeImport.objects.select_for_update()
        .select_related("instansi")
        .defer("rows")
        .get(pk=import_.pk)
    )
    require_instansi_admin(actor, import_.instansi)
    if import_.status != ImportStatus.READY:
        raise ConflictError(
            _("Only an import that is ready can be applied; this one's status is “%(status)s”."),
            code="import.not_ready",
            params={"status": import_.get_status_display()},
        )
    import_.status = ImportStatus.APPLYING
    import_.processed_rows = 0
    import_.save(update_fields=["status", "processed_rows", "updated_at"])
    audit_record(
        actor=actor,
        action="organisations.employee_import.confirmed",
        target=import_,
        instansi_id=import_.instansi_id,
        after={"file": import_.original_name, "rows": import_.total_rows},
    )
    transaction.on_commit(partial(tasks.apply_employee_import.delay, import_.pk, actor.pk))
    return import_


def employee_import_fail(*, import_id: int, failure: str) -> None:
    """Mark an import that stopped on an unexpected error as ``FAILED``."""
    EmployeeImport.objects.filter(
        pk=import_id, status__in=[ImportStatus.VALIDATING, ImportStatus.APPLYING]
    ).update(status=ImportStatus.FAILED, failure=failure, updated_at=timezone.now())
