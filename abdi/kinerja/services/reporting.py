"""Periodic realisation, evidence and the leader's feedback."""

from datetime import date
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record, snapshot
from abdi.core.exceptions import full_clean
from abdi.core.queries import CompiledQuery
from abdi.core.uploads import sniff_file

from .. import metrics
from ..choices import (
    ReportStatus,
)
from ..exceptions import SkpConflict, SkpError, SkpErrorCode, SkpForbidden
from ..models import (
    Evidence,
    Indicator,
    OutputEntry,
    Realisation,
    Rhk,
    RhkFeedback,
    SkpPlan,
)
from ._common import (
    EVIDENCE_TYPES,
    REALISATION_FIELDS,
    _lock_plan,
    _period,
    _require_approved,
    _require_decider,
    _require_owner,
    _require_started,
    _require_text,
    _require_year_open,
    _today_in,
    facts_changed,
)

__all__ = [
    "evidence_attach",
    "feedback_give",
    "realisation_accept",
    "realisation_record",
    "realisation_refresh_computed",
    "realisation_return",
]


# --- Realisation, evidence, feedback ---------------------------------------------------------


_INDICATOR = CompiledQuery(
    lambda indicator_id: Indicator.objects.select_related("rhk").filter(pk=indicator_id)
)
_REALISATION_LOCKED = CompiledQuery(
    lambda indicator_id, period: (
        Realisation.objects.select_for_update(of=("self",))
        .select_related("indicator")  # its label, for the audit trail
        .filter(indicator_id=indicator_id, period=period)
    )
)


def _indicator_with_plan(indicator: Indicator) -> tuple[Indicator, SkpPlan]:
    found = _INDICATOR.one_or_none(indicator.pk)
    if found is None:
        raise Indicator.DoesNotExist("The indicator was deleted.")
    return found, _lock_plan(found.rhk.plan_id)


def _upsert_realisation(
    indicator: Indicator, period: int, value: Decimal | None, note: str, computed: bool
) -> tuple[Realisation, dict[str, Any] | None, bool]:
    """Create or update the realisation; return it, its old values and whether it changed.

    A changed value goes back to the leader (SUBMITTED), even if it had been accepted.
    """
    realisation = _REALISATION_LOCKED.one_or_none(indicator.pk, period)
    if realisation is None:
        realisation = Realisation(
            indicator=indicator, period=period, value=value, note=note, computed=computed,
            status=ReportStatus.SUBMITTED,
        )  # fmt: skip
        full_clean(realisation, code=SkpErrorCode.REALISATION_INVALID, exclude=["indicator"])
        realisation.save()
        return realisation, None, True
    before = snapshot(realisation, REALISATION_FIELDS)
    unchanged = (
        realisation.value == value
        and realisation.note == note
        and realisation.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
    )
    if unchanged:
        return realisation, before, False
    realisation.value, realisation.note, realisation.computed = value, note, computed
    realisation.status, realisation.return_comment = ReportStatus.SUBMITTED, ""
    full_clean(realisation, code=SkpErrorCode.REALISATION_INVALID, exclude=["indicator"])
    realisation.save(
        update_fields=["value", "note", "computed", "status", "return_comment", "updated_at"]
    )
    return realisation, before, True


@transaction.atomic
def realisation_record(
    *,
    actor: Any,
    indicator: Indicator,
    period: int,
    value: Decimal,
    note: str = "",
    today: date | None = None,
) -> Realisation:
    """Record what an indicator achieved in a period that has started, for the leader."""
    indicator, plan = _indicator_with_plan(indicator)
    _require_owner(actor, plan.employee)
    _require_year_open(plan.year)
    _require_approved(plan)
    window = _period(plan.year, period)
    _require_started(window, today or _today_in(plan.year.instansi))
    if indicator.metric:
        raise SkpError(
            _("This indicator is measured by the platform; its realisation cannot be typed."),
            code=SkpErrorCode.METRIC_BOUND,
            field="value",
        )
    if Decimal(value) < 0:
        raise SkpError(
            _("A realisation cannot be negative."), code=SkpErrorCode.VALUE_NEGATIVE, field="value"
        )
    realisation, before, changed = _upsert_realisation(
        indicator, period, Decimal(value), note.strip(), computed=False
    )
    if changed:
        audit_record(
            actor=actor,
            action="kinerja.realisation.recorded",
            target=realisation,
            instansi_id=plan.year.instansi_id,
            before=before,
            after=snapshot(realisation, REALISATION_FIELDS),
        )
        facts_changed(plan.year, period, plan.employee)
    return realisation


@transaction.atomic
def realisation_refresh_computed(
    *, indicator: Indicator, period: int, today: date | None = None
) -> Realisation:
    """Compute a bound indicator's realisation for a period from platform data (system)."""
    indicator, plan = _indicator_with_plan(indicator)
    if not indicator.metric:
        raise SkpError(
            _("This indicator is not bound to a metric."), code=SkpErrorCode.METRIC_NOT_BOUND
        )
    _require_approved(plan)
    window = _period(plan.year, period)
    _require_started(window, today or _today_in(plan.year.instansi))
    value = metrics.compute(indicator.metric, plan.employee, window.start, window.end)
    realisation, before, changed = _upsert_realisation(indicator, period, value, "", computed=True)
    if changed:
        audit_record(
            actor=None,
            action="kinerja.realisation.computed",
            target=realisation,
            instansi_id=plan.year.instansi_id,
            before=before,
            after=snapshot(realisation, REALISATION_FIELDS),
        )
    return realisation


def _realisation_for_decision(actor: Any, realisation: Realisation) -> tuple[Realisation, SkpPlan]:
    realisation = Realisation.objects.select_related("indicator__rhk").get(pk=realisation.pk)
    plan = _lock_plan(realisation.indicator.rhk.plan_id)
    realisation = Realisation.objects.select_for_update().get(pk=realisation.pk)
    _require_decider(actor, plan.employee)
    if realisation.status != ReportStatus.SUBMITTED:
        raise SkpConflict(
            _("Only a submitted report can be accepted or returned."),
            code=SkpErrorCode.NOT_SUBMITTED,
        )
    return realisation, plan


@transaction.atomic
def realisation_accept(*, actor: Any, realisation: Realisation) -> Realisation:
    """Accept a submitted realisation; only the direct leader may."""
    realisation, plan = _realisation_for_decision(actor, realisation)
    realisation.status = ReportStatus.ACCEPTED
    realisation.return_comment = ""
    realisation.save(update_fields=["status", "return_comment", "updated_at"])
    audit_record(
        actor=actor,
        action="kinerja.realisation.accepted",
        target=realisation,
        instansi_id=plan.year.instansi_id,
        before={"status": ReportStatus.SUBMITTED.value},
        after={"status": realisation.status},
    )
    return realisation


@transaction.atomic
def realisation_return(*, actor: Any, realisation: Realisation, comment: str) -> Realisation:
    """Return a submitted realisation for correction with the leader's comment."""
    realisation, plan = _realisation_for_decision(actor, realisation)
    comment = _require_text(
        comment, SkpErrorCode.COMMENT_REQUIRED, _("Say what has to change."), "comment"
    )
    realisation.status = ReportStatus.RETURNED
    realisation.return_comment = comment
    realisation.save(update_fields=["status", "return_comment", "updated_at"])
    audit_record(
        actor=actor,
        action="kinerja.realisation.returned",
        target=realisation,
        instansi_id=plan.year.instansi_id,
        before={"status": ReportStatus.SUBMITTED.value},
        after={"status": realisation.status},
        reason=comment,
    )
    return realisation


def _check_evidence_file(uploaded_file: UploadedFile) -> tuple[str, str]:
    """Return the file's safe name and MIME type, or raise; the content decides the type."""
    name = PurePath(uploaded_file.name or "").name[:255]
    limit = settings.ABDI_EVIDENCE_MAX_BYTES
    if (uploaded_file.size or 0) > limit:
        raise SkpError(
            _("The file is larger than %(max_mb)s MB."),
            code=SkpErrorCode.EVIDENCE_TOO_LARGE,
            params={"max_mb": limit // (1024 * 1024)},
            field="file",
        )
    expected = EVIDENCE_TYPES.get(PurePath(name).suffix.lower().lstrip("."))
    if expected is None or sniff_file(uploaded_file) != expected[0]:
        raise SkpError(
            _("Upload a PDF, PNG, JPEG, DOCX, XLSX or PPTX file whose content matches its name."),
            code=SkpErrorCode.EVIDENCE_TYPE,
            field="file",
        )
    return name, expected[1]


def _check_evidence_url(url: str) -> str:
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except DjangoValidationError as exc:
        raise SkpError(
            _("Give a link starting with http:// or https://."),
            code=SkpErrorCode.EVIDENCE_URL,
            field="url",
        ) from exc
    return url


@transaction.atomic
def evidence_attach(
    *,
    actor: Any,
    realisation: Realisation | None = None,
    output: OutputEntry | None = None,
    uploaded_file: UploadedFile | None = None,
    url: str = "",
) -> Evidence:
    """Attach a file (checked by its content) or an http(s) link to a realisation or output."""
    if (realisation is None) == (output is None):
        raise SkpError(
            _("Attach the evidence to either a realisation or an output entry."),
            code=SkpErrorCode.EVIDENCE_TARGET,
        )
    if (uploaded_file is None) == (not url.strip()):
        raise SkpError(
            _("Give either a file or a link."), code=SkpErrorCode.EVIDENCE_MISSING, field="file"
        )
    if realisation is not None:
        realisation = Realisation.objects.select_related(
            "indicator__rhk__plan__employee", "indicator__rhk__plan__year"
        ).get(pk=realisation.pk)
        owner = realisation.indicator.rhk.plan.employee
    else:
        assert output is not None  # noqa: S101 - narrowed by the check above
        output = OutputEntry.objects.select_related("employee").get(pk=output.pk)
        owner = output.employee
    _require_owner(actor, owner)
    evidence = Evidence(realisation=realisation, output=output, uploaded_by=actor)
    if uploaded_file is not None:
        evidence.original_name, evidence.content_type = _check_evidence_file(uploaded_file)
        evidence.size = uploaded_file.size or 0
        evidence.file = uploaded_file
    else:
        evidence.url = _check_evidence_url(url)
    full_clean(evidence, code=SkpErrorCode.EVIDENCE_TYPE, exclude=["realisation", "output", "file"])
    evidence.save()
    audit_record(
        actor=actor,
        action="kinerja.evidence.attached",
        target=evidence,
        instansi_id=owner.instansi_id,
        after={
            "realisation": realisation.pk if realisation else None,
            "output": output.pk if output else None,
            "name": evidence.original_name,
            "content_type": evidence.content_type,
            "size": evidence.size,
            "url": evidence.url,
        },
    )
    return evidence


@transaction.atomic
def feedback_give(*, actor: Any, rhk: Rhk, period: int, text: str) -> RhkFeedback:
    """Give the leader's feedback (umpan balik) on a result for one period."""
    plan = _lock_plan(rhk.plan_id)
    leader = _require_decider(actor, plan.employee)
    if leader is None:
        raise SkpForbidden(
            _("Feedback is given by the direct leader."), code=SkpErrorCode.NOT_LEADER
        )
    _require_approved(plan)
    _period(plan.year, period)
    feedback = RhkFeedback(
        rhk=rhk,
        period=period,
        author=leader,
        text=_require_text(text, SkpErrorCode.TEXT_REQUIRED, _("Write the feedback."), "text"),
    )
    full_clean(feedback, code=SkpErrorCode.TEXT_REQUIRED, exclude=["rhk", "author"])
    feedback.save()
    audit_record(
        actor=actor,
        action="kinerja.feedback.given",
        target=rhk,
        instansi_id=plan.year.instansi_id,
        after={"period": period, "text": feedback.text},
    )
    return feedback
