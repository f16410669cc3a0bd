"""Errors of the belajar app: stable codes, English message ids."""

from django.db import models

from abdi.core.exceptions import ConflictError, PermissionDeniedError, ValidationError

__all__ = ["BelajarConflict", "BelajarError", "BelajarErrorCode", "BelajarForbidden"]


class BelajarErrorCode(models.TextChoices):
    """Every refusal of the belajar services; the API returns the value as ``code``."""

    NOT_ORGANISER = "belajar.not_organiser"
    NOT_EMPLOYEE = "belajar.not_employee"
    SESSION_FULL = "belajar.session_full"
    SESSION_CLOSED = "belajar.session_closed"
    SESSION_STARTED = "belajar.session_started"
    SESSION_NOT_STARTED = "belajar.session_not_started"
    SESSION_NOT_ENDED = "belajar.session_not_ended"
    NOT_REGISTERED = "belajar.not_registered"
    ALREADY_CANCELLED = "belajar.already_cancelled"
    KEY_REUSED = "belajar.idempotency_key_reused"
    KEY_IN_FLIGHT = "belajar.idempotency_key_in_flight"
    KEY_INVALID = "belajar.idempotency_key_invalid"
    CHECKIN_CODE = "belajar.checkin_code"
    PROGRAMME_INVALID = "belajar.programme_invalid"
    SESSION_INVALID = "belajar.session_invalid"
    RECURRENCE_INVALID = "belajar.recurrence_invalid"
    CAPACITY_BELOW_TAKEN = "belajar.capacity_below_taken"
    ANNOUNCEMENT_INVALID = "belajar.announcement_invalid"
    RECORDING_INVALID = "belajar.recording_invalid"
    MESSAGE_INVALID = "belajar.message_invalid"
    IMPORT_FILE = "belajar.import_file"
    CERTIFICATE_REVOKED = "belajar.certificate_revoked"
    NOT_ATTENDED = "belajar.not_attended"


class BelajarError(ValidationError):
    """A request the learning rules refuse (422)."""

    default_code = "belajar.invalid"


class BelajarForbidden(PermissionDeniedError):
    """The actor may not do this (403)."""

    default_code = BelajarErrorCode.NOT_ORGANISER.value


class BelajarConflict(ConflictError):
    """The record is not in a state that allows this (409)."""

    default_code = "belajar.conflict"
