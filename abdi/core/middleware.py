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
