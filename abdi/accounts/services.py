"""Writes for accounts: API tokens and password policy."""

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record
from abdi.core.exceptions import ValidationError

from .models import ApiToken, hash_token

__all__ = ["api_token_create", "validate_new_password"]


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
