"""Errors of the organisations app, each with a stable code."""

from abdi.core.exceptions import ValidationError

__all__ = ["IdentifierError"]


class IdentifierError(ValidationError):
    """An NIP or NIK that is not well-formed; ``code`` says which rule it broke."""

    default_code = "identifier.invalid"
