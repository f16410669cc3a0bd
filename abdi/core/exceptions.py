"""One error hierarchy for the whole platform.

Services raise these; only the edges translate them: the API into RFC 7807 problem+json
with a stable ``code``, HTML views into a form error or a message.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.functional import Promise

__all__ = [
    "ConflictError",
    "DomainError",
    "NotFoundError",
    "PermissionDeniedError",
    "ValidationError",
    "full_clean",
]


class DomainError(Exception):
    """A refusal the user can understand: a stable code plus a translated message.

    ``message`` is a lazy translation with named placeholders filled from ``params``.
    """

    status = 400
    title = "Bad request"
    default_code = "error"

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        params: Mapping[str, Any] | None = None,
        field: str | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        self.code = code or self.default_code
        self.params = dict(params or {})
        self.field = field
        self.errors = errors or []
        self._message = message
        super().__init__(self.code)

    @property
    def message(self) -> str:
        """Return the message in the active language with its placeholders filled."""
        text = str(self._message)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class ValidationError(DomainError):
    status = 422
    title = "Unprocessable content"
    default_code = "validation_error"


class PermissionDeniedError(DomainError):
    status = 403
    title = "Forbidden"
    default_code = "permission_denied"


class NotFoundError(DomainError):
    status = 404
    title = "Not found"
    default_code = "not_found"


class ConflictError(DomainError):
    status = 409
    title = "Conflict"
    default_code = "conflict"


def full_clean(instance: models.Model, *, code: str, exclude: list[str] | None = None) -> None:
    """Run ``instance.full_clean()`` and raise its refusals as one :class:`ValidationError`.

    Django's own ``ValidationError`` is not a :class:`DomainError`, so without this a model
    rule (an invalid email, a unique constraint) would reach the API as a 500.
    """
    try:
        instance.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        errors = [
            {
                "field": "" if field == NON_FIELD_ERRORS else field,
                "code": error.code or "invalid",
                "message": " ".join(error.messages),
            }
            for field, field_errors in exc.error_dict.items()
            for error in field_errors
        ]
        first = errors[0]
        raise ValidationError(
            first["message"], code=code, field=first["field"] or None, errors=errors
        ) from exc
