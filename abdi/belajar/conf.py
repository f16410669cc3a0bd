"""Settings of the belajar app, read when used (never at import time)."""

from decimal import Decimal

from django.conf import settings

__all__ = ["idempotency_hours", "jp_target", "minutes_per_jp", "reminder_hours"]


def jp_target() -> Decimal:
    """JP each ASN should earn a year (PP 11/2017 Pasal 203 jo. PP 17/2020): 20."""
    return Decimal(str(getattr(settings, "ABDI_BELAJAR_JP_TARGET", 20)))


def minutes_per_jp() -> int:
    """Minutes in one JP (jam pelajaran); the usual LAN definition is 45."""
    return int(getattr(settings, "ABDI_BELAJAR_MINUTES_PER_JP", 45))


def idempotency_hours() -> int:
    """How long a stored Idempotency-Key answer is replayed."""
    return int(getattr(settings, "ABDI_BELAJAR_IDEMPOTENCY_HOURS", 24))


def reminder_hours() -> list[int]:
    """How many hours before a session its registrants are reminded."""
    return list(getattr(settings, "ABDI_BELAJAR_REMINDER_HOURS", [24, 1]))
