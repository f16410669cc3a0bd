import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .context import RequestContext, reset_context, set_context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_IP = re.compile(r"^[0-9A-Fa-f:.]{2,45}$")


class RequestContextMiddleware:
    """Give every request an id (kept from ``X-Request-ID`` when well-formed) and expose it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        # REMOTE_ADDR is the peer: behind nginx, the proxy. The proxy names the visitor in
        # ABDI_CLIENT_IP_HEADER (X-Real-IP), which throttling, audit and logs then use.
        if header := getattr(settings, "ABDI_CLIENT_IP_HEADER", ""):
            forwarded = request.headers.get(header, "").split(",")[0].strip()
            if forwarded and _IP.match(forwarded):
                request.META["REMOTE_ADDR"] = forwarded
        token = set_context(
            RequestContext(request_id=request_id, ip=request.META.get("REMOTE_ADDR"))
        )
        try:
            response = self.get_response(request)
        finally:
            reset_context(token)
        response["X-Request-ID"] = request_id
        return response


class LanguageMiddleware(LocaleMiddleware):
    """Indonesian unless the visitor chose otherwise.

    Pages ignore the browser's ``Accept-Language`` (many Indonesian computers say ``en-US``)
    and follow only the language chosen in the menu (its cookie). The API keeps Django's
    negotiation, so a client may ask for English error messages with ``Accept-Language``.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class MetricsMiddleware:
    """Count every response by status class (``abdi_http_requests_total``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from . import metrics_counters

        response = self.get_response(request)
        metrics_counters.incr("http_requests", status_class=f"{response.status_code // 100}xx")
        return response


# The largest offset or limit the databases take (PostgreSQL bigint; SQLite refuses more).
_MAX_PAGE_NUMBER = 2**31 - 1


class ApiPaginationBoundsMiddleware:
    """Refuse ``offset``/``limit`` beyond what the database can take, before any query runs.

    Django Ninja checks that they are whole numbers but sets no upper bound, and a value
    like ``offset=10**25`` would make the database fail (found by ``make fuzz``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            for name in ("offset", "limit"):
                for value in request.GET.getlist(name):
                    digits = value.strip().lstrip("+-")
                    # Length first: int() refuses strings of more than 4,300 digits.
                    if digits.isdigit() and (len(digits) > 10 or int(digits) > _MAX_PAGE_NUMBER):
                        return self._refuse(request, name)
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, name: str) -> HttpResponse:
        from django.utils.translation import gettext as _

        from .api import problem

        return problem(
            request,
            status=422,
            code="request.out_of_range",
            title="Unprocessable content",
            detail=_("A value in the request is too large or too long."),
            errors=[
                {
                    "field": f"query.{name}",
                    "code": "out_of_range",
                    "message": _("Enter at most %(max)s.") % {"max": _MAX_PAGE_NUMBER},
                }
            ],
        )
