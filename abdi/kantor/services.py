"""Every write to official letters: templates, drafts, the paraf chain, signing, distribution,
dispositions and signing certificates.

Each service takes keyword-only arguments with the acting user, authorises, validates through
:mod:`abdi.kantor.rules` and the model, runs in one transaction and appends one audit event
(``kantor.<entity>.<verb>``). Writes to one letter lock the letter row.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record
from abdi.core.exceptions import full_clean
from abdi.core.notifications import notify
from abdi.core.trees import path_ids
from abdi.core.uploads import sniff_file
from abdi.organisations.access import employee_of
from abdi.organisations.choices import TimeZone
from abdi.organisations.models import Employee, Instansi, Position, UnitKerja
from abdi.organisations.services import require_instansi_admin

from . import conf, rules, signing
from .choices import AccessClass, LetterStatus, ParafDecision, RecipientKind
from .exceptions import KantorConflict, KantorError, KantorErrorCode, KantorForbidden
from .models import (
    Attachment,
    Classification,
    Disposition,
    Letter,
    LetterTemplate,
    LetterVersion,
    NumberCounter,
    ParafStep,
    Recipient,
    SigningKey,
)

__all__ = [
    "RecipientSpec",
    "attachment_add",
    "attachment_remove",
    "classification_create",
    "disposition_complete",
    "disposition_create",
    "dispositions_flag_overdue",
    "letter_create",
    "letter_mark_read",
    "letter_paraf",
    "letter_return",
    "letter_sign",
    "letter_submit",
    "letter_update",
    "signing_certificate_install",
    "signing_key_ensure",
    "template_create",
]

EDITABLE = (LetterStatus.DRAFT, LetterStatus.RETURNED)


@dataclass(frozen=True)
class RecipientSpec:
    """An addressee as given by the drafter."""

    kind: str
    unit: UnitKerja | None = None
    employee: Employee | None = None
    name: str = ""
    address: str = ""
    is_copy: bool = False


# --- Helpers ---------------------------------------------------------------------------------


def _me(actor: Any) -> Employee:
    employee = employee_of(actor)
    if employee is None or employee.position is None:
        raise KantorForbidden(
            _("Only an employee with a position may work on letters."),
            code=KantorErrorCode.NOT_EMPLOYEE,
        )
    return employee


def _lock(letter: Letter) -> Letter:
    return (
        Letter.objects.select_for_update(of=("self",))
        .select_related("instansi", "template", "classification", "drafter", "signer_position")
        .get(pk=letter.pk)
    )


def _require_text(value: str, code: str, message: Any, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise KantorError(message, code=code, field=field)
    return value


def _current_step(letter: Letter) -> ParafStep | None:
    return (
        letter.steps.select_related("employee__user", "position")
        .filter(round=letter.round, decision=ParafDecision.PENDING)
        .order_by("order")
        .first()
    )


def _require_turn(actor: Any, letter: Letter) -> ParafStep:
    if letter.status != LetterStatus.IN_REVIEW:
        raise KantorConflict(
            _("This letter is not awaiting initials or a signature."),
            code=KantorErrorCode.NOT_IN_REVIEW,
        )
    me = _me(actor)
    step = _current_step(letter)
    if step is None or step.employee_id != me.pk:
        raise KantorForbidden(
            _("It is not your turn to decide on this letter."),
            code=KantorErrorCode.NOT_YOUR_TURN,
        )
    return step


def _notify(employee: Employee, key: str, subject: str, body: str) -> None:
    if employee.user_id is not None:
        notify(recipient=employee.user, key=key, subject=subject, body=body)


def _set_recipients(letter: Letter, recipients: Sequence[RecipientSpec]) -> None:
    if not any(not spec.is_copy for spec in recipients):
        raise KantorError(
            _("Address the letter to at least one recipient."),
            code=KantorErrorCode.RECIPIENT_REQUIRED,
            field="recipients",
        )
    letter.recipients.all().delete()
    for spec in recipients:
        other = (spec.unit and spec.unit.instansi_id != letter.instansi_id) or (
            spec.employee and spec.employee.instansi_id != letter.instansi_id
        )
        if other:
            raise KantorError(
                _("Internal recipients must belong to the same agency."),
                code=KantorErrorCode.RECIPIENT_INVALID,
                field="recipients",
            )
        recipient = Recipient(
            letter=letter,
            kind=spec.kind,
            unit=spec.unit if spec.kind == RecipientKind.UNIT else None,
            employee=spec.employee if spec.kind == RecipientKind.EMPLOYEE else None,
            name=spec.name.strip() if spec.kind == RecipientKind.EXTERNAL else "",
            address=spec.address.strip() if spec.kind == RecipientKind.EXTERNAL else "",
            is_copy=spec.is_copy,
        )
        if spec.kind == RecipientKind.EXTERNAL and not recipient.name:
            raise KantorError(
                _("Name the external recipient."),
                code=KantorErrorCode.RECIPIENT_INVALID,
                field="recipients",
            )
        full_clean(recipient, code=KantorErrorCode.RECIPIENT_INVALID, exclude=["letter"])
        recipient.save()


def _check_signer(drafter: Employee, signer_position: Position) -> list[int]:
    assert drafter.position is not None  # noqa: S101 - checked by _me
    try:
        return rules.paraf_route(path_ids(drafter.position.chain), signer_position.pk)
    except rules.RouteError as exc:
        raise KantorError(
            _("The signing official must be you or someone above you in the chain of command."),
            code=KantorErrorCode.SIGNER_NOT_ABOVE,
            field="signer_position",
        ) from exc


# --- Templates and classification codes (agency administrators) -----------------------------


@transaction.atomic
def classification_create(
    *, actor: Any, instansi: Instansi, code: str, name: str, retention_years: int = 5
) -> Classification:
    """Add an archive classification code with its retention period."""
    require_instansi_admin(actor, instansi)
    classification = Classification(
        instansi=instansi, code=code.strip(), name=name.strip(), retention_years=retention_years
    )
    full_clean(classification, code=KantorErrorCode.CLASSIFICATION_INVALID)
    classification.save()
    audit_record(
        actor=actor,
        action="kantor.classification.created",
        target=classification,
        instansi_id=instansi.pk,
        after={"code": classification.code, "retention_years": retention_years},
    )
    return classification


@transaction.atomic
def template_create(
    *,
    actor: Any,
    instansi: Instansi,
    kind: str,
    name: str,
    kop_title: str,
    kop_subtitle: str = "",
    kop_address: str = "",
    numbering_pattern: str = "{seq}/{klasifikasi}/{unit}/{year}",
    place: str = "",
) -> LetterTemplate:
    """Add a letter template: letterhead, numbering pattern and place of signing."""
    require_instansi_admin(actor, instansi)
    if rules.pattern_problem(numbering_pattern) is not None:
        raise KantorError(
            _(
                "The numbering pattern must contain {seq} and may use only {klasifikasi}, "
                "{unit}, {year}, {month} and {kind}."
            ),
            code=KantorErrorCode.PATTERN_INVALID,
            field="numbering_pattern",
        )
    template = LetterTemplate(
        instansi=instansi, kind=kind, name=name.strip(), kop_title=kop_title.strip(),
        kop_subtitle=kop_subtitle.strip(), kop_address=kop_address.strip(),
        numbering_pattern=numbering_pattern, place=place.strip(),
    )  # fmt: skip
    full_clean(template, code=KantorErrorCode.TEMPLATE_INVALID)
    template.save()
    audit_record(
        actor=actor,
        action="kantor.template.created",
        target=template,
        instansi_id=instansi.pk,
        after={"kind": kind, "numbering_pattern": numbering_pattern},
    )
    return template


# --- Drafting ---------------------------------------------------------------------------------


@transaction.atomic
def letter_create(
    *,
    actor: Any,
    template: LetterTemplate,
    classification: Classification,
    subject: str,
    body: str,
    signer_position: Position,
    recipients: Sequence[RecipientSpec],
    access_class: str = AccessClass.BIASA,
) -> Letter:
    """Start a draft letter from an agency template (version 1)."""
    me = _me(actor)
    if template.instansi_id != me.instansi_id or classification.instansi_id != me.instansi_id:
        raise KantorError(
            _("Use a template and a classification code of your own agency."),
            code=KantorErrorCode.OTHER_INSTANSI,
        )
    if not template.is_active:
        raise KantorError(
            _("This template is no longer in use."), code=KantorErrorCode.TEMPLATE_INACTIVE
        )
    _check_signer(me, signer_position)
    assert me.position is not None  # noqa: S101 - checked by _me
    letter = Letter(
        instansi_id=me.instansi_id,
        template=template,
        kind=template.kind,
        classification=classification,
        access_class=access_class,
        subject=subject.strip(),
        body=body.strip(),
        drafter=me,
        unit=signer_position.unit,
        signer_position=signer_position,
    )
    full_clean(letter, code=KantorErrorCode.LETTER_INVALID)
    letter.save()
    _set_recipients(letter, recipients)
    LetterVersion.objects.create(
        letter=letter, number=1, subject=letter.subject, body=letter.body, author=me
    )
    audit_record(
        actor=actor,
        action="kantor.letter.created",
        target=letter,
        instansi_id=letter.instansi_id,
        after={"subject": letter.subject, "kind": letter.kind, "access": letter.access_class},
    )
    return letter


@transaction.atomic
def letter_update(
    *,
    actor: Any,
    letter: Letter,
    subject: str,
    body: str,
    note: str = "",
    recipients: Sequence[RecipientSpec] | None = None,
    access_class: str | None = None,
    classification: Classification | None = None,
) -> Letter:
    """Revise a draft or a returned letter; a changed text becomes a new version."""
    letter = _lock(letter)
    me = _me(actor)
    if letter.drafter_id != me.pk:
        raise KantorForbidden(
            _("Only the drafter may change this letter."), code=KantorErrorCode.NOT_DRAFTER
        )
    if letter.status not in EDITABLE:
        raise KantorConflict(
            _("The letter can only be changed as a draft or after it was returned."),
            code=KantorErrorCode.NOT_EDITABLE,
        )
    before = {"subject": letter.subject, "version": letter.version}
    subject, body = subject.strip(), body.strip()
    changed = subject != letter.subject or body != letter.body
    letter.subject, letter.body = subject, body
    if access_class is not None:
        letter.access_class = access_class
    if classification is not None:
        if classification.instansi_id != letter.instansi_id:
            raise KantorError(
                _("Use a template and a classification code of your own agency."),
                code=KantorErrorCode.OTHER_INSTANSI,
            )
        letter.classification = classification
    if changed:
        letter.version += 1
    full_clean(letter, code=KantorErrorCode.LETTER_INVALID)
    letter.save()
    if changed:
        LetterVersion.objects.create(
            letter=letter, number=letter.version, subject=subject, body=body, author=me,
            note=note.strip()[:300],
        )  # fmt: skip
    if recipients is not None:
        _set_recipients(letter, recipients)
    audit_record(
        actor=actor,
        action="kantor.letter.updated",
        target=letter,
        instansi_id=letter.instansi_id,
        before=before,
        after={"subject": letter.subject, "version": letter.version},
        reason=note,
    )
    return letter


@transaction.atomic
def attachment_add(*, actor: Any, letter: Letter, uploaded_file: UploadedFile) -> Attachment:
    """Attach a file (PDF, PNG, JPEG, DOCX or XLSX, checked by its content) to a draft."""
    letter = _lock(letter)
    me = _me(actor)
    if letter.drafter_id != me.pk:
        raise KantorForbidden(
            _("Only the drafter may change this letter."), code=KantorErrorCode.NOT_DRAFTER
        )
    if letter.status not in EDITABLE:
        raise KantorConflict(
            _("The letter can only be changed as a draft or after it was returned."),
            code=KantorErrorCode.NOT_EDITABLE,
        )
    limit = conf.attachment_max_bytes()
    if (uploaded_file.size or 0) > limit:
        raise KantorError(
            _("The file is larger than %(max_mb)s MB."),
            code=KantorErrorCode.ATTACHMENT_TOO_LARGE,
            params={"max_mb": limit // (1024 * 1024)},
            field="file",
        )
    name = PurePath(uploaded_file.name or "").name[:255]
    expected = rules.ATTACHMENT_TYPES.get(PurePath(name).suffix.lower().lstrip("."))
    if expected is None or sniff_file(uploaded_file) != expected[0]:
        raise KantorError(
            _("Attach a PDF, PNG, JPEG, DOCX or XLSX file whose content matches its name."),
            code=KantorErrorCode.ATTACHMENT_TYPE,
            field="file",
        )
    attachment = Attachment(
        letter=letter, original_name=name, content_type=expected[1],
        size=uploaded_file.size or 0, uploaded_by=actor, file=uploaded_file,
    )  # fmt: skip
    attachment.save()
    audit_record(
        actor=actor,
        action="kantor.attachment.added",
        target=letter,
        instansi_id=letter.instansi_id,
        after={"name": name, "size": attachment.size, "content_type": expected[1]},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Any, attachment: Attachment) -> None:
    """Remove an attachment from a draft."""
    letter = _lock(attachment.letter)
    me = _me(actor)
    if letter.drafter_id != me.pk:
        raise KantorForbidden(
            _("Only the drafter may change this letter."), code=KantorErrorCode.NOT_DRAFTER
        )
    if letter.status not in EDITABLE:
        raise KantorConflict(
            _("The letter can only be changed as a draft or after it was returned."),
            code=KantorErrorCode.NOT_EDITABLE,
        )
    audit_record(
        actor=actor,
        action="kantor.attachment.removed",
        target=letter,
        instansi_id=letter.instansi_id,
        before={"name": attachment.original_name},
    )
    attachment.file.delete(save=False)
    attachment.delete()


# --- The paraf chain --------------------------------------------------------------------------


@transaction.atomic
def letter_submit(*, actor: Any, letter: Letter) -> Letter:
    """Send the draft up the chain: one paraf step per official, the signer last."""
    letter = _lock(letter)
    me = _me(actor)
    if letter.drafter_id != me.pk:
        raise KantorForbidden(
            _("Only the drafter may submit this letter."), code=KantorErrorCode.NOT_DRAFTER
        )
    if letter.status not in EDITABLE:
        raise KantorConflict(
            _("The letter can only be changed as a draft or after it was returned."),
            code=KantorErrorCode.NOT_EDITABLE,
        )
    route = _check_signer(me, letter.signer_position)
    holders = {
        employee.position_id: employee
        for employee in Employee.objects.filter(position_id__in=route).select_related("user")
    }
    vacant = [pk for pk in route if pk not in holders]
    if vacant:
        titles = ", ".join(Position.objects.filter(pk__in=vacant).values_list("title", flat=True))
        raise KantorError(
            _("No one holds these positions on the route: %(positions)s."),
            code=KantorErrorCode.ROUTE_VACANT,
            params={"positions": titles},
        )
    letter.round += 1
    letter.status = LetterStatus.IN_REVIEW
    letter.save(update_fields=["round", "status", "updated_at"])
    ParafStep.objects.bulk_create(
        ParafStep(
            letter=letter,
            round=letter.round,
            order=order,
            position_id=position_id,
            employee=holders[position_id],
            is_signer=order == len(route),
        )  # fmt: skip
        for order, position_id in enumerate(route, 1)
    )
    first = holders[route[0]]
    _notify(
        first,
        f"kantor.turn:{letter.pk}:{letter.round}:1",
        str(_("A letter awaits your decision")),
        letter.subject,
    )
    audit_record(
        actor=actor,
        action="kantor.letter.submitted",
        target=letter,
        instansi_id=letter.instansi_id,
        after={"round": letter.round, "version": letter.version, "route": route},
    )
    return letter


@transaction.atomic
def letter_paraf(*, actor: Any, letter: Letter, comment: str = "") -> ParafStep:
    """Initial (paraf) the letter at one's turn; it moves on to the next official."""
    letter = _lock(letter)
    step = _require_turn(actor, letter)
    if step.is_signer:
        raise KantorConflict(
            _("The signing official signs the letter rather than initialling it."),
            code=KantorErrorCode.NOT_YOUR_TURN,
        )
    step.decision = ParafDecision.INITIALLED
    step.version = letter.version
    step.comment = comment.strip()
    step.decided_at = timezone.now()
    step.save(update_fields=["decision", "version", "comment", "decided_at", "updated_at"])
    following = _current_step(letter)
    if following is not None:
        _notify(
            following.employee,
            f"kantor.turn:{letter.pk}:{letter.round}:{following.order}",
            str(_("A letter awaits your decision")),
            letter.subject,
        )
    audit_record(
        actor=actor,
        action="kantor.letter.initialled",
        target=letter,
        instansi_id=letter.instansi_id,
        after={"round": letter.round, "order": step.order, "version": letter.version},
        reason=step.comment,
    )
    return step


@transaction.atomic
def letter_return(*, actor: Any, letter: Letter, comment: str) -> ParafStep:
    """Return the letter to its drafter with comments; the rest of the round is void."""
    letter = _lock(letter)
    step = _require_turn(actor, letter)
    comment = _require_text(
        comment, KantorErrorCode.COMMENT_REQUIRED, _("Say what has to change."), "comment"
    )
    step.decision = ParafDecision.RETURNED
    step.version = letter.version
    step.comment = comment
    step.decided_at = timezone.now()
    step.save(update_fields=["decision", "version", "comment", "decided_at", "updated_at"])
    letter.steps.filter(round=letter.round, decision=ParafDecision.PENDING).update(
        decision=ParafDecision.SUPERSEDED
    )
    letter.status = LetterStatus.RETURNED
    letter.save(update_fields=["status", "updated_at"])
    _notify(
        letter.drafter,
        f"kantor.returned:{letter.pk}:{letter.round}",
        str(_("Your letter was returned for revision")),
        comment,
    )
    audit_record(
        actor=actor,
        action="kantor.letter.returned",
        target=letter,
        instansi_id=letter.instansi_id,
        before={"status": LetterStatus.IN_REVIEW.value},
        after={"status": letter.status, "round": letter.round},
        reason=comment,
    )
    return step


# --- Signing ----------------------------------------------------------------------------------


def _next_number(letter: Letter, when: date) -> tuple[int, str]:
    """Take the next sequence of the letter's template and year under a row lock.

    Runs inside the signing transaction: if signing fails, the number is given back, so
    numbers have neither gaps nor duplicates.
    """
    NumberCounter.objects.get_or_create(template=letter.template, year=when.year)
    counter = NumberCounter.objects.select_for_update().get(
        template=letter.template, year=when.year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    parts = rules.NumberParts(
        seq=counter.last,
        klasifikasi=letter.classification.code,
        unit=letter.unit.code,
        year=when.year,
        month=when.month,
        kind=letter.kind,
    )
    return counter.last, rules.format_number(letter.template.numbering_pattern, parts)


def _deliver(letter: Letter) -> list[Disposition]:
    """Put the signed letter in its internal recipients' inboxes (a unit: its head)."""
    seen: dict[int, bool] = {}
    for recipient in letter.recipients.select_related("unit", "employee"):
        employee: Employee | None = None
        if recipient.kind == RecipientKind.EMPLOYEE:
            employee = recipient.employee
        elif recipient.kind == RecipientKind.UNIT:
            employee = Employee.objects.filter(
                position__unit=recipient.unit, position__is_unit_head=True
            ).first()
        if employee is None:
            continue
        # Addressed directly wins over a copy.
        seen[employee.pk] = seen.get(employee.pk, True) and recipient.is_copy
    deliveries = Disposition.objects.bulk_create(
        Disposition(letter=letter, recipient_id=pk, is_copy=is_copy) for pk, is_copy in seen.items()
    )
    for employee in Employee.objects.filter(pk__in=seen).select_related("user"):
        _notify(
            employee,
            f"kantor.inbox:{letter.pk}:{employee.pk}",
            str(_("A new letter in your inbox")),
            f"{letter.number} {letter.subject}",
        )
    return deliveries


def _public_facts(letter: Letter) -> dict[str, str]:
    """Return what the public verification page may show: a restricted subject stays inside."""
    facts = {"Nomor": letter.number, "Tanggal": str(letter.letter_date)}
    if letter.access_class == AccessClass.BIASA:
        facts["Hal"] = letter.subject
    return facts


@transaction.atomic
def letter_sign(*, actor: Any, letter: Letter) -> Letter:
    """Sign the letter: number it, render and PAdES-sign its PDF, issue it, distribute it."""
    from abdi.verifikasi import qr
    from abdi.verifikasi import services as verifikasi

    letter = _lock(letter)
    step = _require_turn(actor, letter)
    if not step.is_signer:
        raise KantorConflict(
            _("The letter still needs initials before it can be signed."),
            code=KantorErrorCode.PARAF_PENDING,
        )
    signer = step.employee
    today = letter.instansi.local_date()
    letter.sequence, letter.number = _next_number(letter, today)
    letter.year, letter.letter_date = today.year, today
    letter.signed_by, letter.signed_at = signer, timezone.now()
    letter.retain_until = rules.retain_until(today, letter.classification.retention_years)

    def render(document: Any) -> bytes:
        from . import documents

        rendered = documents.letter_pdf(
            letter,
            number=letter.number,
            letter_date=today,
            signer=signer,
            verify_url=document.url,
            qr_src=qr.qr_data_uri(document.url),
        )
        return signing.sign_pdf(
            instansi=letter.instansi,
            pdf_bytes=rendered.pdf,
            signer=signer,
            reason=f"Penandatanganan naskah dinas {letter.number}",
            box=rendered.box,
            location=letter.template.place,
        )

    document = verifikasi.document_issue(
        actor=actor,
        kind="kantor.letter",
        instansi=letter.instansi,
        title=f"{letter.get_kind_display()} {letter.number}",
        holder=signer.full_name,
        subject=letter,
        facts=_public_facts(letter),
        render=render,
        filename=f"surat-{letter.public_id}.pdf",
    )
    document.file.open("rb")
    try:
        content = document.file.read()
    finally:
        document.file.close()
    letter.sha256 = hashlib.sha256(content).hexdigest()
    letter.verification_code = document.code
    letter.signed_file.save(f"surat-{letter.public_id}.pdf", ContentFile(content), save=False)
    letter.status = LetterStatus.SIGNED
    letter.save()
    step.decision = ParafDecision.SIGNED
    step.version = letter.version
    step.decided_at = letter.signed_at
    step.save(update_fields=["decision", "version", "decided_at", "updated_at"])
    _deliver(letter)
    audit_record(
        actor=actor,
        action="kantor.letter.signed",
        target=letter,
        instansi_id=letter.instansi_id,
        before={"status": LetterStatus.IN_REVIEW.value},
        after={
            "status": letter.status,
            "number": letter.number,
            "sha256": letter.sha256,
            "verification_code": document.code,
        },
    )
    return letter


# --- Inbox and dispositions -------------------------------------------------------------------


@transaction.atomic
def letter_mark_read(*, actor: Any, letter: Letter) -> int:
    """Mark the actor's inbox entries of ``letter`` read; return how many were unread."""
    me = employee_of(actor)
    if me is None:
        return 0
    unread = Disposition.objects.filter(letter=letter, recipient=me, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if unread:
        audit_record(
            actor=actor, action="kantor.letter.read", target=letter, instansi_id=letter.instansi_id
        )
    return unread


@transaction.atomic
def disposition_create(
    *,
    actor: Any,
    parent: Disposition,
    recipients: Sequence[Employee],
    instruction: str,
    deadline: date | None = None,
) -> list[Disposition]:
    """Dispose a letter from one's inbox to subordinates with an instruction and a deadline."""
    me = _me(actor)
    parent = (
        Disposition.objects.select_for_update(of=("self",))
        .select_related("letter__instansi")
        .get(pk=parent.pk)
    )
    if parent.recipient_id != me.pk:
        raise KantorForbidden(
            _("Only the person who received the letter may dispose it."),
            code=KantorErrorCode.NOT_RECIPIENT,
        )
    instruction = _require_text(
        instruction,
        KantorErrorCode.INSTRUCTION_REQUIRED,
        _("Write the instruction."),
        "instruction",
    )
    if not recipients:
        raise KantorError(
            _("Choose at least one person to dispose the letter to."),
            code=KantorErrorCode.RECIPIENT_REQUIRED,
            field="recipients",
        )
    letter = parent.letter
    if deadline is not None and deadline < letter.instansi.local_date():
        raise KantorError(
            _("The deadline cannot be in the past."),
            code=KantorErrorCode.DEADLINE_PAST,
            field="deadline",
        )
    assert me.position is not None  # noqa: S101 - checked by _me
    chain = me.position.chain
    created = []
    for employee in recipients:
        position = employee.position
        below = position is not None and position.chain.startswith(chain)
        if not below or employee.pk == me.pk:
            raise KantorError(
                _("%(name)s is not one of your subordinates."),
                code=KantorErrorCode.NOT_SUBORDINATE,
                params={"name": employee.full_name},
                field="recipients",
            )
        created.append(
            Disposition.objects.create(
                letter=letter,
                parent=parent,
                sender=me,
                recipient=employee,
                instruction=instruction,
                deadline=deadline,
            )  # fmt: skip
        )
        _notify(
            employee,
            f"kantor.disposition:{created[-1].pk}",
            str(_("A letter was disposed to you")),
            f"{letter.number} {letter.subject}\n{instruction}",
        )
    if parent.read_at is None:
        parent.read_at = timezone.now()
        parent.save(update_fields=["read_at", "updated_at"])
    audit_record(
        actor=actor,
        action="kantor.disposition.created",
        target=letter,
        instansi_id=letter.instansi_id,
        after={
            "to": [employee.pk for employee in recipients],
            "instruction": instruction,
            "deadline": deadline.isoformat() if deadline else None,
        },
    )
    return created


@transaction.atomic
def disposition_complete(*, actor: Any, disposition: Disposition, reply: str = "") -> Disposition:
    """Report a disposition done (acted on), with an optional reply to the sender."""
    me = _me(actor)
    disposition = (
        Disposition.objects.select_for_update(of=("self",))
        .select_related("letter", "sender__user")
        .get(pk=disposition.pk)
    )
    if disposition.recipient_id != me.pk:
        raise KantorForbidden(
            _("Only the person who received the letter may report on it."),
            code=KantorErrorCode.NOT_RECIPIENT,
        )
    if disposition.acted_at is not None:
        raise KantorConflict(
            _("This disposition was already reported done."), code=KantorErrorCode.ALREADY_ACTED
        )
    now = timezone.now()
    disposition.acted_at = now
    disposition.read_at = disposition.read_at or now
    disposition.reply = reply.strip()
    disposition.save(update_fields=["acted_at", "read_at", "reply", "updated_at"])
    if disposition.sender is not None:
        _notify(
            disposition.sender,
            f"kantor.disposition_done:{disposition.pk}",
            str(_("A disposition was reported done")),
            disposition.reply or disposition.letter.subject,
        )
    audit_record(
        actor=actor,
        action="kantor.disposition.completed",
        target=disposition.letter,
        instansi_id=disposition.letter.instansi_id,
        after={"disposition": str(disposition.public_id), "reply": disposition.reply},
    )
    return disposition


def dispositions_flag_overdue() -> int:
    """Flag dispositions past their deadline (in the agency's zone) and tell the recipient.

    Safe to run again: a flagged disposition is not flagged or notified twice.
    """
    flagged = 0
    now = timezone.now()
    for zone in TimeZone.values:
        today = timezone.localtime(now, ZoneInfo(zone)).date()
        with transaction.atomic():
            due = list(
                Disposition.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("letter", "recipient__user")
                .filter(
                    letter__instansi__timezone=zone,
                    deadline__lt=today,
                    acted_at__isnull=True,
                    overdue_at__isnull=True,
                )
            )
            for disposition in due:
                disposition.overdue_at = now
                disposition.save(update_fields=["overdue_at", "updated_at"])
                _notify(
                    disposition.recipient,
                    f"kantor.overdue:{disposition.pk}",
                    str(_("A disposition is overdue")),
                    f"{disposition.letter.number} {disposition.letter.subject}",
                )
            if due:
                audit_record(
                    actor=None,
                    action="kantor.disposition.overdue",
                    after={"dispositions": [d.pk for d in due]},
                )
            flagged += len(due)
    return flagged


# --- Signing certificates (agency administrators) ---------------------------------------------


@transaction.atomic
def signing_key_ensure(*, actor: Any, instansi: Instansi) -> SigningKey:
    """Return the agency's active signing key, generating the demo key if it has none."""
    require_instansi_admin(actor, instansi)
    return signing.active_key(instansi)


@transaction.atomic
def signing_certificate_install(
    *, actor: Any, instansi: Instansi, pkcs12_data: bytes, password: str
) -> SigningKey:
    """Install a real certificate (PKCS#12, e.g. from BSrE) as the agency's signing key."""
    require_instansi_admin(actor, instansi)
    try:
        key, certificate, chain = signing.load_pkcs12(pkcs12_data, password.encode() or None)
    except ValueError as exc:
        raise KantorError(
            _("The file is not a PKCS#12 certificate with its key, or the password is wrong."),
            code=KantorErrorCode.CERTIFICATE_INVALID,
            field="file",
        ) from exc
    if certificate.not_valid_after_utc <= timezone.now():
        raise KantorError(
            _("This certificate has expired."),
            code=KantorErrorCode.CERTIFICATE_INVALID,
            field="file",
        )
    stored = signing.store_key(
        instansi=instansi, key=key, certificate=certificate, chain=chain, is_demo=False,
        installed_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor,
        action="kantor.certificate.installed",
        target=stored,
        instansi_id=instansi.pk,
        after={
            "subject": stored.subject,
            "issuer": stored.issuer,
            "fingerprint": stored.fingerprint,
        },
    )
    return stored
