"""Who must confirm their sign-in with a TOTP code, and whether this session has.

Platform administrators (superusers), agency administrators and staff with access to the
admin site must enrol an authenticator app and enter its code after their password when
``ABDI_REQUIRE_ADMIN_TOTP`` is true (the default in production). Everyone else signs in with
their password alone. API tokens are not affected: they are issued to a signed-in account
and are themselves the second secret.
"""

from typing import Any

from django.conf import settings
from django_otp import user_has_device

from abdi.organisations.access import Role, roles_of

__all__ = ["needs_enrolment", "totp_pending", "totp_required"]

ADMIN_ROLES = {Role.PLATFORM_ADMIN, Role.AGENCY_ADMIN}


def totp_required(user: Any) -> bool:
    """Return whether ``user`` must confirm their sign-in with a TOTP code."""
    if not getattr(settings, "ABDI_REQUIRE_ADMIN_TOTP", False):
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or ADMIN_ROLES & roles_of(user))


def totp_pending(user: Any) -> bool:
    """Return whether ``user`` still has to enter a TOTP code in this session."""
    verified = getattr(user, "is_verified", None)
    return totp_required(user) and not (verified is not None and verified())


def needs_enrolment(user: Any) -> bool:
    """Return whether ``user`` has no confirmed authenticator yet."""
    return not user_has_device(user, confirmed=True)
