"""Writes for accounts: API tokens and password policy."""

from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record
from abdi.core.exceptions import ValidationError

from .models import ApiToken, hash_token

__all__ = [
    "api_token_create",
    "password_link_send",
    "totp_device_confirm",
    "totp_device_pending",
    "totp_verify",
    "validate_new_password",
]


def validate_new_password(password: str, *, identifier: str = "") -> None:
    """Raise a :class:`ValidationError` when ``password`` breaks the password policy."""
    try:
        password_validation.validate_password(password)
    except DjangoValidationError as exc:
        raise ValidationError(
            _("The password is too weak: %(reasons)s"),
            code="password.weak",
            params={"reasons": " ".join(str(m) for m in exc.messages)},
            field="password",
        ) from exc


@transaction.atomic
def api_token_create(*, actor: Any, name: str) -> tuple[ApiToken, str]:
    """Create an API token for ``actor``; return it with the raw value to show once."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=actor, name=name.strip(), digest=hash_token(raw), prefix=raw[:8]
    )
    audit_record(
        actor=actor,
        action="accounts.api_token.created",
        target=token,
        after={"name": token.name, "prefix": token.prefix},
    )
    return token, raw


@transaction.atomic
def password_link_send(*, actor: Any, user: Any, reason: str) -> bool:
    """Queue an email with a one-time link for ``user`` to choose a password.

    ``reason`` is ``"activation"`` (an administrator sends it to a new account) or
    ``"reset"`` (the user forgot it). Return False, sending nothing, when the account has no
    email address or is inactive.
    """
    from .tasks import send_password_link

    if not user.is_active or not user.email:
        return False
    audit_record(
        actor=actor,
        action=f"accounts.password_link.{reason}",
        target=user,
        target_label=user.get_username(),
        after={"email": user.email},
    )
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(partial(send_password_link.delay, user.pk, reason, language))
    return True


def totp_device_pending(*, actor: Any) -> Any:
    """Return ``actor``'s authenticator awaiting its first code, creating it if needed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=actor, name="Abdi", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, actor: Any, device: Any, token: str) -> None:
    """Confirm ``actor``'s new authenticator with its first code; other devices are removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=actor)
    if device.confirmed or not _token_matches(device, token):
        raise ValidationError(_WRONG_CODE, code="totp.invalid", field="token")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    audit_record(actor=actor, action="accounts.totp.enrolled", target=actor, after={})


def totp_verify(*, actor: Any, token: str) -> Any:
    """Return ``actor``'s confirmed authenticator that accepts ``token``, or refuse.

    django-otp throttles each device: after a wrong code the next try waits 1, 2, 4… seconds.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for device in TOTPDevice.objects.filter(user=actor, confirmed=True):
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            raise ValidationError(
                _("Too many wrong codes. Wait a moment, then enter the current code."),
                code="totp.throttled",
                field="token",
            )
        if _token_matches(device, token):
            return device
    raise ValidationError(_WRONG_CODE, code="totp.invalid", field="token")


_WRONG_CODE = _("The code is not right. Enter the 6 digits your authenticator app shows now.")


def _token_matches(device: Any, token: str) -> bool:
    digits = "".join(ch for ch in token if ch.isdigit())
    return len(digits) == device.digits and bool(device.verify_token(digits))
