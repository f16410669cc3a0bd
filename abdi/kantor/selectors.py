"""Reads of letters, scoped to the actor: a letter the actor may not open is "not found"."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from abdi.core.exceptions import NotFoundError
from abdi.core.trees import path_ids
from abdi.organisations.access import employee_of
from abdi.organisations.models import Employee, Position

from . import rules
from .access import visible_letter_filter
from .choices import LetterStatus, ParafDecision
from .exceptions import KantorError, KantorErrorCode
from .models import Attachment, Disposition, Letter, ParafStep

__all__ = [
    "DispositionNode",
    "archive_search",
    "attachment_get",
    "current_step",
    "disposition_get",
    "disposition_tree",
    "inbox",
    "letter_get",
    "letters_awaiting",
    "letters_drafted",
    "letters_visible",
    "signer_positions",
    "subordinates",
    "version_diff",
]

LETTER_RELATED = ("instansi", "template", "classification", "drafter", "unit", "signer_position")


def letters_visible(*, actor: Any) -> QuerySet[Letter]:
    """Return every letter the actor may open."""
    letters = Letter.objects.select_related(*LETTER_RELATED, "signed_by")
    condition = visible_letter_filter(actor)
    return letters if condition is None else letters.filter(condition)


def letter_get(*, actor: Any, public_id: UUID | str) -> Letter:
    """Return the letter if the actor may open it; otherwise not found."""
    letter = letters_visible(actor=actor).filter(public_id=public_id).first()
    if letter is None:
        raise NotFoundError(_("Letter not found."), code="kantor.letter_not_found")
    return letter


def attachment_get(*, actor: Any, public_id: UUID | str) -> Attachment:
    """Return an attachment of a letter the actor may open."""
    attachment = Attachment.objects.select_related("letter").filter(public_id=public_id).first()
    if attachment is None:
        raise NotFoundError(_("Letter not found."), code="kantor.letter_not_found")
    letter_get(actor=actor, public_id=attachment.letter.public_id)
    return attachment


def letters_drafted(*, actor: Any) -> QuerySet[Letter]:
    """Return the actor's own letters, newest first."""
    me = employee_of(actor)
    if me is None:
        return Letter.objects.none()
    return Letter.objects.select_related(*LETTER_RELATED).filter(drafter=me)


def letters_awaiting(*, actor: Any) -> QuerySet[Letter]:
    """Return the letters whose current paraf or signature step is the actor's."""
    me = employee_of(actor)
    if me is None:
        return Letter.objects.none()
    mine = ParafStep.objects.filter(employee=me, decision=ParafDecision.PENDING)
    candidates = Letter.objects.select_related(*LETTER_RELATED).filter(
        status=LetterStatus.IN_REVIEW, pk__in=mine.values("letter_id")
    )
    # The actor's pending step must be the first pending one of the current round.
    ids = [letter.pk for letter in candidates if _first_pending_is(letter, me.pk)]
    return Letter.objects.select_related(*LETTER_RELATED).filter(pk__in=ids)


def _first_pending_is(letter: Letter, employee_id: int) -> bool:
    step = current_step(letter)
    return step is not None and step.employee_id == employee_id


def current_step(letter: Letter) -> ParafStep | None:
    """Return the step awaiting a decision in the letter's current round, if any."""
    if letter.status != LetterStatus.IN_REVIEW:
        return None
    return (
        letter.steps.select_related("employee", "position")
        .filter(round=letter.round, decision=ParafDecision.PENDING)
        .order_by("order")
        .first()
    )


def inbox(*, actor: Any, open_only: bool = False) -> QuerySet[Disposition]:
    """Return the actor's inbox: letters distributed or disposed to them, newest first."""
    me = employee_of(actor)
    if me is None:
        return Disposition.objects.none()
    entries = Disposition.objects.select_related(
        "letter__signed_by", "letter__unit", "sender"
    ).filter(recipient=me)
    if open_only:
        entries = entries.filter(acted_at__isnull=True)
    return entries.order_by("-created_at", "-id")


def disposition_get(*, actor: Any, public_id: UUID | str) -> Disposition:
    """Return one of the actor's inbox entries."""
    me = employee_of(actor)
    entry = (
        Disposition.objects.select_related("letter__instansi", "recipient__position")
        .filter(public_id=public_id, recipient=me)
        .first()
        if me is not None
        else None
    )
    if entry is None:
        raise NotFoundError(_("Letter not found."), code="kantor.letter_not_found")
    return entry


@dataclass
class DispositionNode:
    entry: Disposition
    overdue: bool
    children: list["DispositionNode"] = field(default_factory=list)


def disposition_tree(*, letter: Letter, today: date) -> list[DispositionNode]:
    """Return the letter's distribution and dispositions as a tree, in one query."""
    entries = list(
        letter.dispositions.select_related("recipient__position", "sender").order_by("id")
    )
    nodes = {
        entry.pk: DispositionNode(
            entry,
            rules.is_overdue(entry.deadline, today, acted=entry.acted_at is not None),
        )
        for entry in entries
    }
    roots = []
    for entry in entries:
        node = nodes[entry.pk]
        if entry.parent_id is None:
            roots.append(node)
        else:
            nodes[entry.parent_id].children.append(node)
    return roots


def version_diff(*, letter: Letter, old: int, new: int) -> list[rules.DiffLine]:
    """Return the body difference between two versions of a letter."""
    versions = {v.number: v for v in letter.versions.filter(number__in=[old, new])}
    if old not in versions or new not in versions:
        raise NotFoundError(_("Letter not found."), code="kantor.version_not_found")
    return rules.version_diff(versions[old].body, versions[new].body)


def signer_positions(*, employee: Employee) -> QuerySet[Position]:
    """Return the positions that may sign the employee's letters: their own and those above."""
    if employee.position is None:
        return Position.objects.none()
    return Position.objects.filter(
        pk__in=path_ids(employee.position.chain), holder__isnull=False
    ).select_related("holder")


def subordinates(*, employee: Employee) -> QuerySet[Employee]:
    """Return the people below the employee in the chain of command (disposition targets)."""
    if employee.position is None:
        return Employee.objects.none()
    return (
        Employee.objects.filter(position__chain__startswith=employee.position.chain)
        .exclude(pk=employee.pk)
        .select_related("position")
        .order_by("position__chain")
    )


def archive_search(
    *,
    actor: Any,
    number: str = "",
    subject: str = "",
    sender: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    classification: str = "",
) -> QuerySet[Letter]:
    """Search signed letters the actor may open by number, subject, date, sender, class code."""
    if date_from and date_to and date_from > date_to:
        raise KantorError(
            _("The end date is before the start date."),
            code=KantorErrorCode.LETTER_INVALID,
            field="date_to",
        )
    letters = letters_visible(actor=actor).filter(status=LetterStatus.SIGNED)
    if number.strip():
        letters = letters.filter(number__icontains=number.strip())
    if subject.strip():
        letters = letters.filter(subject__icontains=subject.strip())
    if sender.strip():
        term = sender.strip()
        letters = letters.filter(
            Q(signed_by__name__icontains=term)
            | Q(unit__name__icontains=term)
            | Q(drafter__name__icontains=term)
        )
    if date_from:
        letters = letters.filter(letter_date__gte=date_from)
    if date_to:
        letters = letters.filter(letter_date__lte=date_to)
    if classification.strip():
        letters = letters.filter(classification__code__startswith=classification.strip())
    return letters.order_by("-letter_date", "-sequence")
