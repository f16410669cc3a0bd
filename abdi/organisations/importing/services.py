"""The employee import's services: what views, tasks and the ``import_employees`` command call.

An import goes ``VALIDATING`` (file stored, rows being checked) → ``READY`` or ``INVALID`` →
``APPLYING`` (confirmed) → ``DONE``, or ``FAILED`` on an unexpected error.
"""

from __future__ import annotations

import os
import uuid
from datetime import date
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record
from abdi.core.exceptions import ConflictError

from ..choices import ImportStatus
from ..models import EmployeeImport, Instansi
from ..services import require_instansi_admin
from .applying import write_rows
from .reading import ImportFileError, _extension, check_file, read_rows
from .validation import RowResult, summarise, validate_rows

__all__ = [
    "apply_rows",
    "employee_import_confirm",
    "employee_import_create",
    "employee_import_fail",
    "employee_import_list_for_actor",
    "employee_import_preview",
    "employee_import_validate",
]


def _language(import_: EmployeeImport) -> str:
    """Return the uploader's language: problems are written in it."""
    return str(import_.summary.get("language") or settings.LANGUAGE_CODE)


def _store(import_: EmployeeImport, results: list[RowResult], status: str) -> None:
    """Keep the checked rows, their counts and problems on the import, now in ``status``."""
    import_.rows = [r.as_json() for r in results]
    import_.total_rows = import_.processed_rows = len(results)
    import_.error_count = sum(1 for r in results if r.errors)
    import_.summary = {**import_.summary, **summarise(results)}
    import_.status = status
    import_.save(
        update_fields=["rows", "total_rows", "processed_rows", "error_count", "summary", "status",
                       "updated_at"]
    )  # fmt: skip


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
    from .. import tasks

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
    from .. import tasks

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
        counts = write_rows(import_, results, actor=actor)
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


def employee_import_fail(*, import_id: int, failure: str) -> None:
    """Mark an import that stopped on an unexpected error as ``FAILED``."""
    EmployeeImport.objects.filter(
        pk=import_id, status__in=[ImportStatus.VALIDATING, ImportStatus.APPLYING]
    ).update(status=ImportStatus.FAILED, failure=failure, updated_at=timezone.now())
