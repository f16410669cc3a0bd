from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from abdi.core.exceptions import DomainError
from abdi.core.forms import add_domain_error
from abdi.organisations.services import citizen_register

from .forms import CitizenRegistrationForm, SignInForm


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
                add_domain_error(form, exc)
            else:
                login(request, citizen.user, backend="django.contrib.auth.backends.ModelBackend")
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
