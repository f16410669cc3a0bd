"""Settings of the layanan app, read when used (never at import time)."""

from django.conf import settings

__all__ = ["near_due_days", "status_rate"]


def near_due_days() -> int:
    """Working days before the due date from which an open case is flagged "due soon"."""
    return int(getattr(settings, "ABDI_LAYANAN_NEAR_DUE_DAYS", 1))


def status_rate() -> str:
    """django-ratelimit rate of the public status page, per client IP."""
    return str(getattr(settings, "ABDI_LAYANAN_STATUS_RATE", "20/m"))


def sms_channels() -> tuple[str, ...]:
    """Extra channels for status messages to citizens with a phone number."""
    return tuple(getattr(settings, "ABDI_LAYANAN_PHONE_CHANNELS", ("sms",)))
