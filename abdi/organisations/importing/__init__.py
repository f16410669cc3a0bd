"""Import employees from an Excel (.xlsx) or CSV file: read, check, then apply all or nothing.

The pipeline is split so each step can be tested alone:

* :func:`read_rows` (:mod:`.reading`) turns a file into plain dicts keyed by column name
  (no database);
* :func:`validate_rows` (:mod:`.validation`) checks every row against the file and the
  database with a few set-based queries and returns each row's problems (writes nothing);
* :func:`apply_rows` (:mod:`.services`) re-checks and, through :mod:`.applying`, writes
  everything in one transaction.

The services (``employee_import_*``, in :mod:`.services`) are what views, tasks and the
``import_employees`` command call.
"""

from .reading import (
    COLUMN_NAMES,
    COLUMNS,
    XLSX_CONTENT_TYPE,
    Column,
    ImportFileError,
    check_file,
    read_rows,
    template_workbook,
)
from .services import (
    apply_rows,
    employee_import_confirm,
    employee_import_create,
    employee_import_fail,
    employee_import_list_for_actor,
    employee_import_preview,
    employee_import_validate,
)
from .validation import ACTION_CREATE, ACTION_UPDATE, RowResult, summarise, validate_rows

__all__ = [
    "ACTION_CREATE",
    "ACTION_UPDATE",
    "COLUMNS",
    "COLUMN_NAMES",
    "XLSX_CONTENT_TYPE",
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
