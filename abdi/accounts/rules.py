"""Sign-in identifiers: an NIP for ASN; an email address or a mobile number for citizens."""

import re

from django.utils.translation import gettext_lazy as _

from abdi.core.exceptions import ValidationError

__all__ = ["normalise_citizen_identifier", "normalise_identifier", "normalise_phone"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_CHARS = re.compile(r"[\s\-().]")


def normalise_phone(value: str) -> str:
    """Return an Indonesian mobile number in E.164 form (``+628…``).

    Accepts ``08…``, ``628…`` and ``+628…``; Indonesian mobile numbers have 9 to 13 digits
    after the leading 0.
    """
    digits = _PHONE_CHARS.sub("", value.strip())
    if digits.startswith("+62"):
        digits = digits[3:]
    elif digits.startswith("62"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    else:
        raise ValidationError(
            _("Write the phone number as 08…, 62… or +62…."), code="phone.invalid", field="phone"
        )
    if not digits.isdigit() or not digits.startswith("8") or not 9 <= len(digits) <= 13:
        raise ValidationError(
            _("This is not a valid Indonesian mobile number."), code="phone.invalid", field="phone"
        )
    return f"+62{digits}"


def normalise_identifier(value: str) -> str:
    """Return the username for a sign-in identifier: an NIP, an email or a phone number."""
    value = value.strip()
    compact = value.replace(" ", "")
    if compact.isdigit() and len(compact) == 18:
        return compact
    if "@" in value:
        if not _EMAIL.match(value):
            raise ValidationError(
                _("This is not a valid email address."), code="email.invalid", field="identifier"
            )
        return value.lower()
    try:
        return normalise_phone(value)
    except ValidationError as exc:
        # The caller's input is the identifier, whatever it turned out to be.
        exc.field = "identifier"
        raise


def normalise_citizen_identifier(value: str) -> str:
    """Return the username for a citizen's sign-up: an email address or a phone number.

    An NIP is refused: usernames of that shape belong to ASN accounts, which are created
    with the NIP as username.
    """
    identifier = normalise_identifier(value)
    if identifier.isdigit():
        raise ValidationError(
            _("Use your email address or mobile phone number."),
            code="identifier.invalid",
            field="identifier",
        )
    return identifier
