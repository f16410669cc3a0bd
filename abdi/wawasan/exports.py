"""Excel and CSV exports of the dashboards' tables (what the table views show)."""

import csv
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import Table

__all__ = ["response", "to_csv", "to_xlsx"]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float):
        return value
    return str(value)


def _sheet_title(title: str) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Data"


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """One sheet per table, its header in bold."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(title=_sheet_title(str(table.title)))
        sheet.append([str(h) for h in table.header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h in table.header])
    for row in table.rows:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


def response(tables: Sequence[Table], fmt: str, *, key: str, name: str) -> HttpResponse:
    """The tables as an Excel workbook, or one table (``key``, default the first) as CSV."""
    if fmt == "xlsx":
        result = HttpResponse(
            to_xlsx(tables),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        result["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return result
    table = next((t for t in tables if t.key == key), tables[0])
    result = HttpResponse("\ufeff" + to_csv(table), content_type="text/csv; charset=utf-8")
    result["Content-Disposition"] = f'attachment; filename="{name}-{slugify(str(table.title))}.csv"'
    return result
