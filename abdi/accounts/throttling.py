"""Limits on the doors anyone can knock on: sign-in, registration, password links.

Sign-in failures are counted by django-axes per (username, IP address) and lock that pair
out for ``AXES_COOLOFF_TIME``; API tokens never pass through it. Registration and password
links are limited per IP address with django-ratelimit (its counters live in the cache:
Redis in production, so every web process shares them).

Registration refuses a taken NIK and a taken email or phone number with one neutral answer,
so the page cannot be used to learn whether a NIK has an account.
"""

import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from abdi.core.exceptions import ConflictError, DomainError, TooManyRequestsError

from .forms import lenient_identifier

__all__ = [
    "REGISTRATION_REFUSED",
    "TooManyRequestsError",
    "axes_username",
    "check_rate",
    "lockout_response",
    "neutral_registration_error",
]

REGISTRATION_REFUSED = _(
    "We could not create an account with these details. If you already have an account, "
    "sign in or choose “Forgot your password?”. If you think someone else has used "
    "your NIK, contact your Dukcapil office."
)
# The service's refusals that would tell a visitor whether a NIK or an identifier is taken.
_REVEALING_CODES = {"nik.duplicate", "account.duplicate"}

RATES = {
    "accounts.register": "ABDI_REGISTRATION_RATE",
    "accounts.password_link": "ABDI_PASSWORD_LINK_RATE",
}


def check_rate(request: HttpRequest, group: str) -> None:
    """Count this request against ``group``'s limit per IP address; refuse when it is over."""
    rate = getattr(settings, RATES[group], "10/h")
    if rate and is_ratelimited(request, group=group, key="ip", rate=rate, increment=True):
        raise TooManyRequestsError(
            _("Too many attempts from your network. Wait a while and try again."),
            code="rate_limited",
        )


def neutral_registration_error(exc: DomainError) -> DomainError:
    """Return ``exc``, or one neutral refusal when it would reveal a taken NIK or account."""
    if exc.code in _REVEALING_CODES:
        return ConflictError(REGISTRATION_REFUSED, code="registration.refused")
    return exc


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """Count failures against the account the identifier means, however it was written."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return lenient_identifier(str(raw))[:254]


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The page a locked-out sign-in gets (429): why, for how long, and the way out."""
    from axes.helpers import get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else None
    context = {"failure_limit": get_failure_limit(request, credentials), "minutes": minutes}
    return render(request, "accounts/locked_out.html", context, status=429)
