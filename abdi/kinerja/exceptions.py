"""Errors of the performance (kinerja) app: stable codes, English message ids."""

from django.db import models

from abdi.core.exceptions import ConflictError, PermissionDeniedError, ValidationError

__all__ = ["EvaluationErrorCode", "SkpConflict", "SkpError", "SkpErrorCode", "SkpForbidden"]


class SkpErrorCode(models.TextChoices):
    """Every refusal of the SKP services; the API returns the value as ``code``."""

    NOT_OWNER = "skp.not_owner"
    NOT_LEADER = "skp.not_leader"
    PARENT_REQUIRED = "skp.parent_required"
    PARENT_NOT_LEADERS = "skp.parent_not_leaders"
    PARENT_WITH_OWN = "skp.parent_with_own"
    NO_LEADER = "skp.no_leader"
    PERSPECTIVE_REQUIRED = "skp.perspective_required"
    PLAN_EXISTS = "skp.plan_exists"
    PLAN_NOT_EDITABLE = "skp.plan_not_editable"
    PLAN_NOT_SUBMITTED = "skp.plan_not_submitted"
    PLAN_NOT_APPROVED = "skp.plan_not_approved"
    PLAN_INCOMPLETE = "skp.plan_incomplete"
    PLAN_INVALID = "skp.plan_invalid"
    DEADLINE_PASSED = "skp.deadline_passed"
    YEAR_CLOSED = "skp.year_closed"
    YEAR_EXISTS = "skp.year_exists"
    YEAR_INVALID = "skp.year_invalid"
    OTHER_INSTANSI = "skp.other_instansi"
    RHK_HAS_SUPPORTERS = "skp.rhk_has_supporters"
    RHK_INVALID = "skp.rhk_invalid"
    CONTRIBUTOR_EXISTS = "skp.contributor_exists"
    CONTRIBUTOR_IS_OWNER = "skp.contributor_is_owner"
    INDICATOR_INVALID = "skp.indicator_invalid"
    METRIC_UNKNOWN = "skp.metric_unknown"
    METRIC_BOUND = "skp.metric_bound"
    METRIC_NOT_BOUND = "skp.metric_not_bound"
    CORE_VALUE_UNKNOWN = "skp.core_value_unknown"
    VALUE_NEGATIVE = "skp.value_negative"
    COMMENT_REQUIRED = "skp.comment_required"
    REASON_REQUIRED = "skp.reason_required"
    TEXT_REQUIRED = "skp.text_required"
    PERIOD_INVALID = "skp.period_invalid"
    PERIOD_FUTURE = "skp.period_future"
    NOT_SUBMITTED = "skp.not_submitted"
    REALISATION_INVALID = "skp.realisation_invalid"
    QUANTITY_INVALID = "skp.quantity_invalid"
    WEEK_OUTSIDE_YEAR = "skp.week_outside_year"
    EVIDENCE_TARGET = "skp.evidence_target"
    EVIDENCE_MISSING = "skp.evidence_missing"
    EVIDENCE_TYPE = "skp.evidence_type"
    EVIDENCE_TOO_LARGE = "skp.evidence_too_large"
    EVIDENCE_URL = "skp.evidence_url"
    ACTING_INVALID = "skp.acting_invalid"
    ACTING_HOLDER = "skp.acting_holder"
    ACTING_ENDED = "skp.acting_ended"


class SkpError(ValidationError):
    """A request the SKP rules refuse (422)."""

    default_code = "skp.invalid"


class SkpForbidden(PermissionDeniedError):
    """The actor may not do this to this SKP record (403)."""

    default_code = SkpErrorCode.NOT_OWNER.value


class SkpConflict(ConflictError):
    """The SKP record is not in a state that allows this (409)."""

    default_code = "skp.conflict"


class EvaluationErrorCode(models.TextChoices):
    """Every refusal of the evaluation services (Kinerja II); the API returns the value."""

    NOT_EVALUATOR = "evaluation.not_evaluator"
    RATING_INVALID = "evaluation.rating_invalid"
    VALUES_INCOMPLETE = "evaluation.values_incomplete"
    PERIOD_CLOSED = "evaluation.period_closed"
    PERIOD_NOT_CLOSED = "evaluation.period_not_closed"
    NOT_REVIEWER = "evaluation.not_reviewer"
    REVIEW_EXISTS = "evaluation.review_exists"
    NOTE_FORBIDDEN = "evaluation.note_forbidden"
    NO_YEAR = "evaluation.no_year"
    NO_PREDICATE = "evaluation.no_predicate"
    PREDICATE_INVALID = "evaluation.predicate_invalid"
    SETTINGS_INVALID = "evaluation.settings_invalid"
    NOT_CALIBRATOR = "calibration.forbidden"
    SESSION_CLOSED = "calibration.session_closed"
    SESSION_OPEN = "calibration.session_open"
    SAME_PREDICATE = "calibration.same_predicate"
    RULE_INVALID = "consequence.rule_invalid"
    APPEAL_NOT_OWNER = "appeal.not_owner"
    APPEAL_LATE = "appeal.late"
    APPEAL_PENDING = "appeal.pending"
    APPEAL_DECIDED = "appeal.decided"
    APPEAL_FORBIDDEN = "appeal.forbidden"
