"""Hold an administrator's session at the TOTP step until they have entered a code."""

from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _

from .mfa import needs_enrolment, totp_pending

__all__ = ["AdminTotpMiddleware"]


class AdminTotpMiddleware:
    """Send an administrator who has not entered a TOTP code to enrol or verify.

    Pages redirect (keeping ``next``); session-authenticated API calls get a 403
    problem+json with code ``totp.required``; bearer-token API calls pass untouched.
    Runs after django-otp's ``OTPMiddleware``, which tells whether the session is verified.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._exempt(request) or not totp_pending(request.user):
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return self._api_refusal(request)
        name = "accounts:totp-enrol" if needs_enrolment(request.user) else "accounts:totp-verify"
        target = reverse(name)
        if request.method == "GET" and not request.headers.get("HX-Request"):
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)

    @staticmethod
    def _exempt(request: HttpRequest) -> bool:
        path = request.path_info
        if path.startswith("/api/") and request.headers.get("Authorization", "").startswith(
            "Bearer "
        ):
            return True
        return path.startswith(_open_paths())

    @staticmethod
    def _api_refusal(request: HttpRequest) -> HttpResponse:
        from abdi.core.api import problem

        return problem(
            request,
            status=403,
            code="totp.required",
            title="Forbidden",
            detail=_("Enter the code from your authenticator app first."),
        )


@cache
def _open_paths() -> tuple[str, ...]:
    """The paths an administrator reaches before the TOTP step, as ``path_info`` has them
    (without the script prefix ``reverse`` adds); the same for every request."""
    prefix = get_script_prefix()
    return (
        *(
            "/" + reverse(name).removeprefix(prefix)
            for name in ("accounts:totp-enrol", "accounts:totp-verify", "accounts:logout")
        ),
        "/" + settings.STATIC_URL.lstrip("/"),
        "/i18n/",
        "/healthz",
        "/metrics",
    )
