"""One error hierarchy for the whole platform.

Services raise these; only the edges translate them: the API into RFC 7807 problem+json
with a stable ``code``, HTML views into a form error or a message.
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

__all__ = [
    "ConflictError",
    "DomainError",
    "NotFoundError",
    "PermissionDeniedError",
    "TooManyRequestsError",
    "ValidationError",
    "full_clean",
    "render_in_languages",
    "render_message",
]


def render_message(message: str | Promise, params: Mapping[str, Any] | None = None) -> str:
    """Return ``message`` in the active language with its named placeholders filled."""
    text = str(message)
    return text % params if params else text


def render_in_languages(
    message: str | Promise, params: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """Return ``message`` rendered in every configured language, for text stored for later.

    A stored message (an import's row problems, say) is read by people whose language may
    differ from the writer's.
    """
    rendered = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            rendered[code] = render_message(message, params)
    return rendered


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
        return render_message(self._message, self.params)

    @property
    def message_template(self) -> str | Promise:
        """Return the untranslated message, to render later in another language."""
        return self._message

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


class TooManyRequestsError(DomainError):
    """A rate limit refused the request (429); the client should wait and retry."""

    status = 429
    title = "Too many requests"
    default_code = "rate_limited"


def full_clean(instance: models.Model, *, code: str, exclude: list[str] | None = None) -> None:
    """Run ``instance.full_clean()`` and raise its refusals as one :class:`ValidationError`.

    Django's own ``ValidationError`` is not a :class:`DomainError`, so without this a model
    rule (an invalid email, a unique constraint) would reach the API as a 500. A generated
    ``public_id`` (a random UUID, never typed) is not checked: its unique index guards it,
    and checking would cost a query on every save.
    """
    exclude = [*(exclude or []), *(["public_id"] if hasattr(instance, "public_id") else [])]
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
