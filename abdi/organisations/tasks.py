"""Background work of the organisations app: checking and applying employee imports.

Tasks take ids, reload, and call the services in :mod:`.importing`; both are safe to run
twice (a finished import is left alone). Without a broker they run eagerly in-process.
"""

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _

from abdi.core.context import RequestContext, reset_context, set_context
from abdi.core.exceptions import DomainError

from . import importing
from .models import EmployeeImport

__all__ = ["apply_employee_import", "validate_employee_import"]

logger = logging.getLogger(__name__)


@contextmanager
def _import_task(import_id: int) -> Iterator[str]:
    """Run with a request id of the task's own and in the language of the upload.

    The id ends up on the audit rows and log lines; the language is the one the uploader
    saw, so the problems and failures written now read the same as the rest of the page.
    """
    request_id = f"task-{uuid.uuid4().hex}"
    summary = EmployeeImport.objects.filter(pk=import_id).values_list("summary", flat=True).first()
    language = (summary or {}).get("language") or settings.LANGUAGE_CODE
    token = set_context(RequestContext(request_id=request_id))
    try:
        with translation.override(language):
            yield request_id
    finally:
        reset_context(token)


def _fail_unexpectedly(import_id: int, stage: str, request_id: str) -> None:
    """Log the exception being handled and mark the import ``FAILED``."""
    logger.exception("Employee import %s failed while %s.", import_id, stage)
    failure = _(
        "An unexpected error stopped the import and nothing was written. Quote reference "
        "%(reference)s when you report it."
    ) % {"reference": request_id}
    importing.employee_import_fail(import_id=import_id, failure=failure)


@shared_task(acks_late=True)
def validate_employee_import(import_id: int) -> None:
    """Check every row of an uploaded employee file (an import in ``VALIDATING``)."""
    with _import_task(import_id) as request_id:
        try:
            importing.employee_import_validate(import_id=import_id)
        except Exception:
            _fail_unexpectedly(import_id, "validating", request_id)


@shared_task(acks_late=True)
def apply_employee_import(import_id: int, actor_id: int) -> None:
    """Write a confirmed import (``APPLYING``) all or nothing, acting as ``actor_id``."""
    with _import_task(import_id) as request_id:
        import_ = EmployeeImport.objects.filter(pk=import_id).defer("rows").first()
        if import_ is None:
            return
        actor = get_user_model().objects.filter(pk=actor_id).first()
        try:
            if actor is None:
                raise DomainError(
                    _("The account that confirmed the import no longer exists."),
                    code="import.actor_missing",
                )
            importing.apply_rows(import_, actor=actor)
        except DomainError as exc:
            # A refusal, such as an actor who no longer administers the agency.
            importing.employee_import_fail(import_id=import_id, failure=exc.message)
        except Exception:
            # apply_rows() writes in one transaction, which has been rolled back entirely.
            _fail_unexpectedly(import_id, "applying", request_id)
