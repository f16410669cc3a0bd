"""The ``/api/v1`` application: authentication and RFC 7807 problem responses."""

import logging
from datetime import timedelta
from typing import Any

from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from .context import get_context
from .exceptions import DomainError

__all__ = ["TokenAuth", "api", "api_not_found", "problem"]

logger = logging.getLogger(__name__)

PROBLEM_TYPE_BASE = "https://abdi.go.id/problems/"

# Request-validation messages by pydantic error type, worded for people, with the
# placeholders pydantic puts in the error's ``ctx``.
FIELD_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "string_type": gettext_lazy("Enter text."),
    "string_too_short": gettext_lazy("Enter at least %(min_length)s characters."),
    "string_too_long": gettext_lazy("Enter at most %(max_length)s characters."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "bool_type": gettext_lazy("Enter true or false."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "uuid_type": gettext_lazy("Enter a valid identifier (UUID)."),
    "uuid_parsing": gettext_lazy("Enter a valid identifier (UUID)."),
    "enum": gettext_lazy("Choose one of: %(expected)s."),
    "literal_error": gettext_lazy("Choose one of: %(expected)s."),
    "date_type": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "datetime_type": gettext_lazy("Enter a date and time in ISO 8601."),
    "datetime_parsing": gettext_lazy("Enter a date and time in ISO 8601."),
    "model_attributes_type": gettext_lazy("Send a JSON object."),
    "dict_type": gettext_lazy("Send a JSON object."),
    "list_type": gettext_lazy("Send a list."),
    "json_invalid": gettext_lazy("The body is not valid JSON."),
}


def _field_message(error: dict[str, Any]) -> str:
    template = FIELD_MESSAGES.get(error.get("type", ""))
    if template is None:
        return str(error.get("msg", ""))
    try:
        return str(template) % dict(error.get("ctx") or {})
    except (KeyError, TypeError, ValueError):
        return str(error.get("msg", ""))


def problem(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    """Return an RFC 7807 ``application/problem+json`` response carrying a stable ``code``."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        # English and stable per code; ``detail`` carries the reader's language.
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.path,
        "request_id": get_context().request_id,
    }
    if errors:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = "application/problem+json"
    return response


# ``last_used_at`` is a "seen lately" mark for the token list, not an access log (that is the
# audit trail and the request log): it is written at most once per this interval, so a client
# calling in a loop does not turn every read into a write and a commit.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from :class:`accounts.ApiToken`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from abdi.accounts.models import ApiToken, hash_token

        found = (
            # The citizen record (if any) comes along: a citizen's every call needs it, and
            # for anyone else the join finds nothing. Not the employee's whole identity, as
            # a session's user has (accounts.backends): the token calls are mostly
            # citizens', and those joins would cost each of them more than they save.
            ApiToken.objects.select_related("user__citizen")
            .filter(digest=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= TOKEN_USE_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="Abdi API",
    version="1",
    description=(
        "Abdi: platform kerja digital ASN. Errors are RFC 7807 problem+json documents "
        "with a stable `code`."
    ),
    urls_namespace="api-v1",
    auth=[TokenAuth(), django_auth],
)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    errors = list(exc.errors)
    if exc.field and not errors:
        errors = [{"field": exc.field, "code": exc.code, "message": exc.message}]
    return problem(
        request,
        status=exc.status,
        code=exc.code,
        title=exc.title,
        detail=exc.message,
        errors=errors,
    )


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(part) for part in err.get("loc", [])),
            "code": err.get("type", "invalid"),
            "message": _field_message(err),
        }
        for err in exc.errors
    ]
    return problem(
        request,
        status=422,
        code="request.invalid",
        title="Unprocessable content",
        detail=_("The request has invalid fields."),
        errors=errors,
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(
        request,
        status=401,
        code="auth.required",
        title="Unauthorized",
        detail=_("Sign in or send a valid API token."),
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(request, status=404, code="not_found", title="Not found", detail=_("Not found."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and "parse" in str(exc).lower():
        return problem(
            request,
            status=400,
            code="request.malformed",
            title="Bad request",
            detail=_("The request body is not valid JSON or form data."),
        )
    return problem(
        request,
        status=exc.status_code,
        code=f"http.{exc.status_code}",
        title=str(exc),
        detail=str(exc),
    )


@api.exception_handler(DataError)
@api.exception_handler(OverflowError)
def _out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A number or text the database cannot hold (e.g. ``offset=10**30``): the client's error."""
    logger.info("API request refused by the database: %s", exc)
    return problem(
        request,
        status=422,
        code="request.out_of_range",
        title="Unprocessable content",
        detail=_("A value in the request is too large or too long."),
    )


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """An unexpected failure: logged with its traceback, answered as a problem document."""
    logger.exception("Unhandled error in %s %s", request.method, request.path)
    reference = get_context().request_id or ""
    return problem(
        request,
        status=500,
        code="server_error",
        title="Internal server error",
        detail=_(
            "Something went wrong on our side. Quote reference %(reference)s when you report it."
        )
        % {"reference": reference},
    )


def api_not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Answer an unknown ``/api/`` address as a problem document, like every API error."""
    return problem(
        request,
        status=404,
        code="not_found",
        title="Not found",
        detail=_("There is no API endpoint at this address."),
    )
