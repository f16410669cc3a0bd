"""Errors of the public-service (layanan) app: stable codes, English message ids."""

from django.db import models

from abdi.core.exceptions import ConflictError, PermissionDeniedError, ValidationError

__all__ = ["LayananConflict", "LayananError", "LayananErrorCode", "LayananForbidden"]


class LayananErrorCode(models.TextChoices):
    """Every refusal of the layanan services; the API returns the value as ``code``."""

    NOT_CITIZEN = "layanan.not_citizen"
    NOT_OFFICER = "layanan.not_officer"
    NOT_UNIT_HEAD = "layanan.not_unit_head"
    NOT_ADMIN = "layanan.not_admin"
    SERVICE_CLOSED = "layanan.service_closed"
    SERVICE_INVALID = "layanan.service_invalid"
    ACTIVE_EXISTS = "layanan.active_exists"
    FIELD_REQUIRED = "layanan.field_required"
    FIELD_INVALID = "layanan.field_invalid"
    DOCUMENT_MISSING = "layanan.document_missing"
    DOCUMENT_TOO_MANY = "layanan.document_too_many"
    DOCUMENT_TOO_LARGE = "layanan.document_too_large"
    DOCUMENT_TYPE = "layanan.document_type"
    WRONG_STATUS = "layanan.wrong_status"
    NOT_ASSIGNED = "layanan.not_assigned"
    REASON_REQUIRED = "layanan.reason_required"
    DOCUMENTS_UNCHECKED = "layanan.documents_unchecked"
    SURVEY_DONE = "layanan.survey_done"
    SURVEY_INVALID = "layanan.survey_invalid"
    SLOT_FULL = "layanan.slot_full"
    SLOT_PAST = "layanan.slot_past"
    SLOT_INVALID = "layanan.slot_invalid"
    BOOKING_EXISTS = "layanan.booking_exists"
    NO_APPOINTMENT = "layanan.no_appointment"


class LayananError(ValidationError):
    """A request the service rules refuse (422)."""

    default_code = "layanan.invalid"


class LayananForbidden(PermissionDeniedError):
    """The actor may not do this (403)."""

    default_code = LayananErrorCode.NOT_OFFICER.value


class LayananConflict(ConflictError):
    """The case is not in a state that allows this (409)."""

    default_code = LayananErrorCode.WRONG_STATUS.value
