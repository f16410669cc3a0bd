from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import LoginView, PasswordResetConfirmView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from abdi.core.exceptions import DomainError
from abdi.core.forms import add_domain_error
from abdi.organisations.access import can_admin_instansi
from abdi.organisations.selectors import employee_get_for_actor
from abdi.organisations.services import citizen_register

from . import services
from .forms import CitizenRegistrationForm, PasswordLinkRequestForm, SignInForm
from .throttling import TooManyRequestsError, check_rate, neutral_registration_error


class SignInView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class CitizenRegisterView(View):
    """A citizen creates an account with an email or phone number and their NIK."""

    template_name = "accounts/citizen_register.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": CitizenRegistrationForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CitizenRegistrationForm(request.POST)
        try:
            check_rate(request, "accounts.register")
        except TooManyRequestsError as exc:
            add_domain_error(form, exc)
            return render(request, self.template_name, {"form": form}, status=exc.status)
        if form.is_valid():
            identifier = form.cleaned_data["identifier"]
            try:
                citizen = citizen_register(
                    username=identifier,
                    password=form.cleaned_data["password1"],
                    name=form.cleaned_data["name"],
                    nik=form.cleaned_data["nik"],
                    email=identifier if "@" in identifier else "",
                    phone="" if "@" in identifier else identifier,
                )
            except DomainError as exc:
                add_domain_error(form, neutral_registration_error(exc))
            else:
                login(request, citizen.user, backend="abdi.accounts.backends.IdentityModelBackend")
                messages.success(request, _("Welcome! Your account is ready."))
                return redirect("accounts:citizen-profile")
        return render(request, self.template_name, {"form": form}, status=422)


class CitizenProfileView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/citizen_profile.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        citizen = getattr(self.request.user, "citizen", None)
        if citizen is None:
            raise Http404
        return {**super().get_context_data(**kwargs), "citizen": citizen}


class PasswordLinkRequestView(View):
    """Send a password link to the account's email; the answer never says whether it exists."""

    template_name = "accounts/password_link_request.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": PasswordLinkRequestForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PasswordLinkRequestForm(request.POST)
        try:
            check_rate(request, "accounts.password_link")
        except TooManyRequestsError as exc:
            add_domain_error(form, exc)
            return render(request, self.template_name, {"form": form}, status=exc.status)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=422)
        user = get_user_model().objects.filter(username=form.cleaned_data["identifier"]).first()
        if user is not None:
            services.password_link_send(actor=user, user=user, reason="reset")
        return render(request, "accounts/password_link_sent.html")


class PasswordSetView(PasswordResetConfirmView):
    """Choose a password from an emailed link (activation of a new account, or a reset)."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set. Sign in with it now."))
        return response


@login_required
@require_POST
def employee_activation_send(request: HttpRequest, public_id: str) -> HttpResponse:
    """Email an employee a link to choose their password (agency administrators)."""
    try:
        employee = employee_get_for_actor(actor=request.user, public_id=public_id)
    except DomainError as exc:
        raise Http404 from exc
    if not can_admin_instansi(request.user, employee.instansi_id) or employee.user is None:
        raise Http404
    if services.password_link_send(actor=request.user, user=employee.user, reason="activation"):
        messages.success(
            request,
            _("A link to choose a password was sent to %(email)s.")
            % {"email": employee.user.email},
        )
    else:
        messages.error(
            request, _("The employee has no email address. Add one first, then send the link.")
        )
    return redirect("organisations:employee-detail", public_id=employee.public_id)
