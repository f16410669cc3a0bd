"""Errors of the office (kantor) app: stable codes, English message ids."""

from django.db import models

from abdi.core.exceptions import ConflictError, PermissionDeniedError, ValidationError

__all__ = ["KantorConflict", "KantorError", "KantorErrorCode", "KantorForbidden"]


class KantorErrorCode(models.TextChoices):
    """Every refusal of the office services; the API returns the value as ``code``."""

    NOT_EMPLOYEE = "kantor.not_employee"
    NOT_DRAFTER = "kantor.not_drafter"
    NOT_YOUR_TURN = "kantor.not_your_turn"
    NOT_EDITABLE = "kantor.not_editable"
    NOT_IN_REVIEW = "kantor.not_in_review"
    NOT_SIGNED = "kantor.not_signed"
    OTHER_INSTANSI = "kantor.other_instansi"
    TEMPLATE_INACTIVE = "kantor.template_inactive"
    TEMPLATE_INVALID = "kantor.template_invalid"
    PATTERN_INVALID = "kantor.pattern_invalid"
    CLASSIFICATION_INVALID = "kantor.classification_invalid"
    SIGNER_NOT_ABOVE = "kantor.signer_not_above"
    ROUTE_VACANT = "kantor.route_vacant"
    RECIPIENT_REQUIRED = "kantor.recipient_required"
    RECIPIENT_INVALID = "kantor.recipient_invalid"
    LETTER_INVALID = "kantor.letter_invalid"
    COMMENT_REQUIRED = "kantor.comment_required"
    PARAF_PENDING = "kantor.paraf_pending"
    ATTACHMENT_TYPE = "kantor.attachment_type"
    ATTACHMENT_TOO_LARGE = "kantor.attachment_too_large"
    NOT_RECIPIENT = "kantor.not_recipient"
    NOT_SUBORDINATE = "kantor.not_subordinate"
    INSTRUCTION_REQUIRED = "kantor.instruction_required"
    DEADLINE_PAST = "kantor.deadline_past"
    ALREADY_ACTED = "kantor.already_acted"
    REPLY_REQUIRED = "kantor.reply_required"
    CERTIFICATE_INVALID = "kantor.certificate_invalid"
    NO_SIGNING_KEY = "kantor.no_signing_key"


class KantorError(ValidationError):
    """A request the letter rules refuse (422)."""

    default_code = KantorErrorCode.LETTER_INVALID.value


class KantorForbidden(PermissionDeniedError):
    """The actor may not do this to this letter (403)."""

    default_code = KantorErrorCode.NOT_DRAFTER.value


class KantorConflict(ConflictError):
    """The letter is not in a state that allows this (409)."""

    default_code = KantorErrorCode.NOT_EDITABLE.value
