"""Enrol an authenticator app and confirm a sign-in with its code (administrators)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from abdi.core.exceptions import DomainError
from abdi.core.forms import add_domain_error
from abdi.verifikasi.qr import qr_svg

from . import services
from .forms import TotpCodeForm
from .mfa import needs_enrolment


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _spaced(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def totp_enrol(request: HttpRequest) -> HttpResponse:
    """Show the QR code of a new authenticator and confirm it with its first code."""
    if not needs_enrolment(request.user):
        return redirect("accounts:totp-verify")
    device: Any = services.totp_device_pending(actor=request.user)
    form = TotpCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.totp_device_confirm(
                    actor=request.user, device=device, token=form.cleaned_data["token"]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                device.refresh_from_db()
                otp_login(request, device)
                messages.success(request, _("Your authenticator app is set up."))
                return redirect(_next(request))
        status = 422
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr": qr_svg(device.config_url, size_mm=45),
        "secret": _spaced(secret),
        "next": _next(request),
    }
    return render(request, "accounts/totp/enrol.html", context, status=status)


@login_required
def totp_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the current code after the password."""
    if needs_enrolment(request.user):
        return redirect("accounts:totp-enrol")
    form = TotpCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                device = services.totp_verify(actor=request.user, token=form.cleaned_data["token"])
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                otp_login(request, device)
                return redirect(_next(request))
        status = 422
    return render(
        request,
        "accounts/totp/verify.html",
        {"form": form, "next": _next(request)},
        status=status,
    )
