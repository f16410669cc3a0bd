from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from abdi.core.exceptions import DomainError

from .rules import normalise_citizen_identifier, normalise_identifier


def lenient_identifier(value: str) -> str:
    """Return the username for ``value``, or ``value`` itself when it has no known shape.

    Where an account is looked up, an unrecognisable identifier is answered like an unknown
    account (a wrong password, a neutral page), so the answer reveals nothing.
    """
    try:
        return normalise_identifier(value)
    except DomainError:
        return value.strip()


class SignInForm(AuthenticationForm):
    """Sign in with an NIP, an email address or a phone number."""

    username = forms.CharField(
        label=_("NIP, email or phone number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The NIP, email or phone number and the password do not match any account. "
            "Passwords are case-sensitive."
        ),
    }

    def clean_username(self) -> str:
        return lenient_identifier(self.cleaned_data["username"])


class CitizenRegistrationForm(forms.Form):
    """A citizen's sign-up: identifier, password, name and NIK."""

    identifier = forms.CharField(
        label=_("Email or mobile phone number"),
        max_length=254,
        help_text=_("You will sign in with this."),
    )
    name = forms.CharField(label=_("Full name (as on your KTP)"), max_length=200)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=20,
        help_text=_("The 16-digit population identity number on your KTP or KK."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput)

    def clean_identifier(self) -> str:
        try:
            return normalise_citizen_identifier(self.cleaned_data["identifier"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc

    def clean_nik(self) -> str:
        # Checked here as well as in the service, so that its error shows with the others.
        from django.utils import timezone

        from abdi.organisations.exceptions import IdentifierError
        from abdi.organisations.rules import parse_nik

        try:
            return parse_nik(self.cleaned_data["nik"], today=timezone.localdate()).nik
        except IdentifierError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                password_validation.validate_password(str(p1))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class PasswordLinkRequestForm(forms.Form):
    """Ask for a password link by NIP, email or phone number."""

    identifier = forms.CharField(
        label=_("NIP, email or phone number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )

    def clean_identifier(self) -> str:
        return lenient_identifier(self.cleaned_data["identifier"])


class TotpCodeForm(forms.Form):
    """The 6-digit code an authenticator app shows."""

    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "pattern": "[0-9 ]*",
            }
        ),
    )
