"""Errors of the innovation registry: stable codes, English message ids."""

from django.db import models

from abdi.core.exceptions import ConflictError, PermissionDeniedError, ValidationError

__all__ = ["InovasiConflict", "InovasiError", "InovasiErrorCode", "InovasiForbidden"]


class InovasiErrorCode(models.TextChoices):
    """Every refusal of the innovation services; the API returns the value as ``code``."""

    NOT_EMPLOYEE = "inovasi.not_employee"
    NOT_OWNER = "inovasi.not_owner"
    NOT_LEADER = "inovasi.not_leader"
    NOT_ADMIN = "inovasi.not_admin"
    INVALID = "inovasi.invalid"
    TEXT_REQUIRED = "inovasi.text_required"
    NOTE_REQUIRED = "inovasi.note_required"
    NOT_EDITABLE = "inovasi.not_editable"
    NOT_SUBMITTED = "inovasi.not_submitted"
    NOT_ENDORSED = "inovasi.not_endorsed"
    STAGE_INVALID = "inovasi.stage_invalid"
    STAGE_DATE_INVALID = "inovasi.stage_date_invalid"
    METRIC_UNKNOWN = "inovasi.metric_unknown"
    BASELINE_REQUIRED = "inovasi.baseline_required"
    BASELINE_INVALID = "inovasi.baseline_invalid"
    RHK_NOT_OWN = "inovasi.rhk_not_own"
    MEMBER_INVALID = "inovasi.member_invalid"
    MEMBER_EXISTS = "inovasi.member_exists"
    COLLABORATOR_INVALID = "inovasi.collaborator_invalid"
    EVIDENCE_MISSING = "inovasi.evidence_missing"
    EVIDENCE_TYPE = "inovasi.evidence_type"
    EVIDENCE_TOO_LARGE = "inovasi.evidence_too_large"
    EVIDENCE_URL = "inovasi.evidence_url"
    ALREADY_IN_SKP = "inovasi.already_in_skp"
    NO_OPEN_PLAN = "inovasi.no_open_plan"
    REPLICATE_OWN = "inovasi.replicate_own"
    SETTINGS_INVALID = "inovasi.settings_invalid"


class InovasiError(ValidationError):
    """A request the innovation rules refuse (422)."""

    default_code = InovasiErrorCode.INVALID.value


class InovasiForbidden(PermissionDeniedError):
    """The actor may not do this to this innovation (403)."""

    default_code = InovasiErrorCode.NOT_OWNER.value


class InovasiConflict(ConflictError):
    """The innovation is not in a state that allows this (409)."""

    default_code = "inovasi.conflict"
