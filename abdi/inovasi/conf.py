"""Settings of the inovasi app, read when used (never at import time)."""

from django.conf import settings

__all__ = ["default_dormant_months", "evidence_max_bytes"]


def default_dormant_months() -> int:
    """Months without an update (or without metric data) after which an innovation is dormant.

    An agency may set its own number (:class:`abdi.inovasi.models.InnovationSettings`).
    """
    return int(getattr(settings, "ABDI_INOVASI_DORMANT_MONTHS", 6))


def evidence_max_bytes() -> int:
    """Largest evidence file accepted, in bytes (the same limit as SKP evidence by default)."""
    default = getattr(settings, "ABDI_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
    return int(getattr(settings, "ABDI_INOVASI_EVIDENCE_MAX_BYTES", default))
