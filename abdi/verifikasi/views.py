"""The public verification page: ``/v/`` (type a code) and ``/v/<code>/`` (what the QR opens).

No sign-in. Every look-up is logged, and look-ups are rate-limited per address
(``ABDI_VERIFY_RATE``, default 30 a minute) so codes cannot be guessed by brute force —
they are 80 random bits anyway.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from abdi.core.context import get_context

from . import registry
from .forms import CodeForm, UploadForm
from .rules import display_code
from .services import CheckResult, check_document


def _rate() -> str:
    return getattr(settings, "ABDI_VERIFY_RATE", "30/m")


def _client_ip(group: str, request: HttpRequest) -> str:
    return get_context().ip or request.META.get("REMOTE_ADDR", "") or "unknown"


def _limited(request: HttpRequest) -> HttpResponse:
    return render(request, "verifikasi/limited.html", status=429)


@ratelimit(key=_client_ip, rate=lambda group, request: _rate(), block=False)
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.GET or None)
    if form.is_bound:
        if getattr(request, "limited", False):
            return _limited(request)
        if form.is_valid():
            return redirect("verifikasi:check", display_code(form.cleaned_data["kode"]))
    return render(request, "verifikasi/index.html", {"form": form})


@ratelimit(key=_client_ip, rate=lambda group, request: _rate(), block=False)
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, code: str) -> HttpResponse:
    if getattr(request, "limited", False):
        return _limited(request)
    upload = UploadForm(request.POST or None, request.FILES or None)
    content = (
        upload.cleaned_data["berkas"] if request.method == "POST" and upload.is_valid() else None
    )
    result = check_document(
        code,
        content=content,
        channel="web",
        ip=get_context().ip,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    context: dict[str, Any] = {
        "result": result,
        "document": result.document,
        "facts": _facts(result),
        "upload": upload if request.method == "POST" and content is None else UploadForm(),
        "code": code,
    }
    status = 404 if result.document is None else 200
    return render(request, "verifikasi/check.html", context, status=status)


def _facts(result: CheckResult) -> list[tuple[Any, Any]]:
    document = result.document
    if document is None:
        return []
    facts: list[tuple[Any, Any]] = list(document.facts.items())
    kind = registry.kinds().get(document.kind)
    if kind is not None and kind.describe is not None:
        facts.extend(kind.describe(document))
    return facts
