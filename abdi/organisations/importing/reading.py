"""Reading an employee file: the columns, the template, and .xlsx/.csv rows as plain dicts.

Nothing here touches the database: :func:`read_rows` checks the file's type, size and header
and yields its rows; :mod:`.validation` makes sense of the values.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from abdi.core.exceptions import ValidationError

__all__ = [
    "COLUMNS",
    "COLUMN_NAMES",
    "FILE_TYPES",
    "XLSX_CONTENT_TYPE",
    "Column",
    "ImportFileError",
    "check_file",
    "read_rows",
    "template_workbook",
]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_TYPES = {".xlsx": "Excel (.xlsx)", ".csv": "CSV"}


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
_ALIASES = {alias: c.name for c in COLUMNS for alias in (c.name, *c.aliases)}


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
