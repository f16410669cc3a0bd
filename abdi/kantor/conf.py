"""Settings of the office app, read when used (never at import time)."""

from pathlib import Path

from django.conf import settings

__all__ = ["attachment_max_bytes", "key_dir", "key_passphrase"]


def attachment_max_bytes() -> int:
    """``ABDI_KANTOR_ATTACHMENT_MAX_BYTES``: the largest attachment accepted (10 MB)."""
    return int(getattr(settings, "ABDI_KANTOR_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def key_dir() -> Path:
    """``ABDI_KANTOR_KEY_DIR``: where agencies' signing keys live, outside the web root."""
    configured = getattr(settings, "ABDI_KANTOR_KEY_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "kantor" / "keys"


def key_passphrase() -> bytes:
    """``ABDI_KANTOR_KEY_PASSPHRASE``: encrypts the stored keys (default: the SECRET_KEY)."""
    value = getattr(settings, "ABDI_KANTOR_KEY_PASSPHRASE", "") or settings.SECRET_KEY
    return str(value).encode()
