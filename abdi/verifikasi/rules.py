"""Verification codes and file fingerprints (pure; no database).

A code names one issued document on the public page ``/v/<code>/``. It is 80 random bits
written in 16 characters of Crockford's base32 (no I, L, O or U, so it reads aloud and
types without confusion), shown in four groups: ``K7QM-3XZP-9RTA-HV2D``. A visitor may type
it in lower case, with or without dashes or spaces, and with O for 0 or I/L for 1.
"""

import hashlib
import secrets

__all__ = ["ALPHABET", "CODE_LENGTH", "display_code", "file_sha256", "new_code", "normalise_code"]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """A fresh random code (80 bits from the operating system's CSPRNG), undashed."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str | None:
    """The stored form of a code a person typed, or None when it cannot be one."""
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_CONFUSABLE)
    if len(cleaned) != CODE_LENGTH or any(char not in ALPHABET for char in cleaned):
        return None
    return cleaned


def display_code(code: str) -> str:
    """``K7QM3XZP9RTAHV2D`` → ``K7QM-3XZP-9RTA-HV2D``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def file_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
