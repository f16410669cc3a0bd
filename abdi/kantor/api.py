"""``/api/v1/kantor``: drafting, the paraf chain, signing, inbox, dispositions, archive search.

Every write goes through :mod:`abdi.kantor.services` and every read through
:mod:`abdi.kantor.selectors`; their refusals become problem+json documents with a stable
``code``. Records are addressed by their ``public_id``; a letter the actor may not open is
"not found". Dates are ISO 8601.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from abdi.core.exceptions import NotFoundError
from abdi.organisations.access import employee_of
from abdi.organisations.models import Employee, Position, UnitKerja

from . import selectors, services
from .choices import AccessClass, RecipientKind
from .exceptions import KantorErrorCode, KantorForbidden
from .models import Classification, Disposition, Letter, LetterTemplate

__all__ = ["router"]

router = Router(tags=["kantor"])


# --- Schemas ---------------------------------------------------------------------------------


class TemplateOut(Schema):
    public_id: UUID
    kind: str
    name: str
    numbering_pattern: str


class ClassificationOut(Schema):
    public_id: UUID
    code: str
    name: str
    retention_years: int


class RecipientIn(Schema):
    kind: RecipientKind
    unit: UUID | None = Field(None, description="public_id of an internal unit (kind=unit).")
    employee: UUID | None = Field(None, description="public_id of an employee (kind=employee).")
    name: str = Field("", description="An external recipient's name (kind=external).")
    address: str = ""
    is_copy: bool = Field(False, description="A copy (tembusan) rather than an addressee.")


class RecipientOut(Schema):
    kind: str
    label: str
    is_copy: bool


class LetterIn(Schema):
    template: UUID
    classification: UUID
    subject: str
    body: str
    signer_position: UUID = Field(..., description="public_id of the signing official's position.")
    access_class: AccessClass = AccessClass.BIASA
    recipients: list[RecipientIn]


class LetterUpdateIn(Schema):
    subject: str
    body: str
    note: str = ""
    recipients: list[RecipientIn] | None = None


class CommentIn(Schema):
    comment: str = ""


class StepOut(Schema):
    round: int
    order: int
    official: str = Field(..., alias="employee.full_name")
    position: str = Field(..., alias="position.title")
    is_signer: bool
    decision: str
    version: int | None
    comment: str
    decided_at: datetime | None


class LetterOut(Schema):
    public_id: UUID
    kind: str
    status: str
    subject: str
    body: str
    access_class: str
    classification: str = Field(..., alias="classification.code")
    drafter: str = Field(..., alias="drafter.full_name")
    signer_position: str = Field(..., alias="signer_position.title")
    version: int
    round: int
    number: str
    letter_date: date | None
    signed_at: datetime | None
    sha256: str
    verification_code: str
    retain_until: date | None
    recipients: list[RecipientOut]
    steps: list[StepOut]

    @staticmethod
    def resolve_recipients(obj: Letter) -> list[Any]:
        return list(obj.recipients.select_related("unit", "employee"))

    @staticmethod
    def resolve_steps(obj: Letter) -> list[Any]:
        return list(obj.steps.select_related("employee", "position").order_by("round", "order"))


class LetterRow(Schema):
    public_id: UUID
    kind: str
    status: str
    subject: str
    number: str
    letter_date: date | None
    access_class: str


class DiffLineOut(Schema):
    op: str
    text: str


class InboxOut(Schema):
    public_id: UUID
    letter: LetterRow
    sender: str | None = Field(None, alias="sender.full_name")
    instruction: str
    deadline: date | None
    is_copy: bool
    read_at: datetime | None
    acted_at: datetime | None
    reply: str
    overdue_at: datetime | None


class DisposeIn(Schema):
    recipients: list[UUID] = Field(..., description="public_ids of subordinate employees.")
    instruction: str
    deadline: date | None = None


class CompleteIn(Schema):
    reply: str = ""


class NodeOut(Schema):
    public_id: UUID
    recipient: str
    instruction: str
    deadline: date | None
    read_at: datetime | None
    acted_at: datetime | None
    reply: str
    overdue: bool
    children: list["NodeOut"]


# --- Helpers ---------------------------------------------------------------------------------


def _me(request: HttpRequest) -> Employee:
    me = employee_of(request.user)
    if me is None:
        raise KantorForbidden(
            _("Only an employee with a position may work on letters."),
            code=KantorErrorCode.NOT_EMPLOYEE,
        )
    return me


def _letter(request: HttpRequest, public_id: UUID) -> Letter:
    return selectors.letter_get(actor=request.user, public_id=public_id)


def _one(queryset: Any, public_id: UUID | None, what: str) -> Any:
    found = queryset.filter(public_id=public_id).first() if public_id else None
    if found is None:
        raise NotFoundError(
            _("%(what)s not found."), code="kantor.not_found", params={"what": what}
        )
    return found


def _recipients(me: Employee, items: list[RecipientIn]) -> list[services.RecipientSpec]:
    units = UnitKerja.objects.filter(instansi_id=me.instansi_id)
    people = Employee.objects.filter(instansi_id=me.instansi_id)
    return [
        services.RecipientSpec(
            kind=item.kind,
            unit=_one(units, item.unit, "unit") if item.kind == RecipientKind.UNIT else None,
            employee=(
                _one(people, item.employee, "employee")
                if item.kind == RecipientKind.EMPLOYEE
                else None
            ),
            name=item.name,
            address=item.address,
            is_copy=item.is_copy,
        )
        for item in items
    ]


def _node(node: selectors.DispositionNode) -> dict[str, Any]:
    entry = node.entry
    return {
        "public_id": entry.public_id,
        "recipient": entry.recipient.full_name,
        "instruction": entry.instruction,
        "deadline": entry.deadline,
        "read_at": entry.read_at,
        "acted_at": entry.acted_at,
        "reply": entry.reply,
        "overdue": node.overdue,
        "children": [_node(child) for child in node.children],
    }


# --- Reference data --------------------------------------------------------------------------


@router.get("/templates", response=list[TemplateOut], operation_id="kantor_template_list")
def template_list(request: HttpRequest) -> Any:
    """List your agency's active letter templates."""
    return LetterTemplate.objects.filter(instansi_id=_me(request).instansi_id, is_active=True)


@router.get(
    "/classifications", response=list[ClassificationOut], operation_id="kantor_classification_list"
)
def classification_list(request: HttpRequest) -> Any:
    """List your agency's archive classification codes."""
    return Classification.objects.filter(instansi_id=_me(request).instansi_id)


# --- Letters ---------------------------------------------------------------------------------


@router.post("/letters", response={201: LetterOut}, operation_id="kantor_letter_create")
def letter_create(request: HttpRequest, payload: LetterIn) -> Any:
    """Draft a letter from a template; you choose the signing official above you."""
    me = _me(request)
    letter = services.letter_create(
        actor=request.user,
        template=_one(
            LetterTemplate.objects.filter(instansi_id=me.instansi_id), payload.template, "template"
        ),
        classification=_one(
            Classification.objects.filter(instansi_id=me.instansi_id),
            payload.classification,
            "classification",
        ),
        subject=payload.subject,
        body=payload.body,
        signer_position=_one(
            Position.objects.filter(instansi_id=me.instansi_id), payload.signer_position, "position"
        ),
        recipients=_recipients(me, payload.recipients),
        access_class=payload.access_class,
    )
    return Status(201, letter)


@router.get("/letters", response=list[LetterRow], operation_id="kantor_letter_list")
@paginate(LimitOffsetPagination)
def letter_list(request: HttpRequest) -> Any:
    """List the letters you drafted, newest first."""
    return selectors.letters_drafted(actor=request.user)


@router.get("/letters/awaiting", response=list[LetterRow], operation_id="kantor_letter_awaiting")
def letter_awaiting(request: HttpRequest) -> Any:
    """List the letters awaiting your initials or signature."""
    return selectors.letters_awaiting(actor=request.user)


@router.get("/letters/{public_id}", response=LetterOut, operation_id="kantor_letter_get")
def letter_get(request: HttpRequest, public_id: UUID) -> Any:
    """Return a letter you may open, with its recipients and paraf steps."""
    return _letter(request, public_id)


@router.put("/letters/{public_id}", response=LetterOut, operation_id="kantor_letter_update")
def letter_update(request: HttpRequest, public_id: UUID, payload: LetterUpdateIn) -> Any:
    """Revise your draft or returned letter; a changed text becomes a new version."""
    me = _me(request)
    return services.letter_update(
        actor=request.user,
        letter=_letter(request, public_id),
        subject=payload.subject,
        body=payload.body,
        note=payload.note,
        recipients=_recipients(me, payload.recipients) if payload.recipients is not None else None,
    )


@router.get(
    "/letters/{public_id}/diff", response=list[DiffLineOut], operation_id="kantor_letter_diff"
)
def letter_diff(request: HttpRequest, public_id: UUID, old: int, new: int) -> Any:
    """Return the line differences of the body between two versions."""
    return selectors.version_diff(letter=_letter(request, public_id), old=old, new=new)


@router.post("/letters/{public_id}/submit", response=LetterOut, operation_id="kantor_letter_submit")
def letter_submit(request: HttpRequest, public_id: UUID) -> Any:
    """Send your letter up the chain for initials and signature."""
    return services.letter_submit(actor=request.user, letter=_letter(request, public_id))


@router.post("/letters/{public_id}/paraf", response=LetterOut, operation_id="kantor_letter_paraf")
def letter_paraf(request: HttpRequest, public_id: UUID, payload: CommentIn) -> Any:
    """Initial the letter at your turn."""
    letter = _letter(request, public_id)
    services.letter_paraf(actor=request.user, letter=letter, comment=payload.comment)
    return _letter(request, public_id)


@router.post("/letters/{public_id}/return", response=LetterOut, operation_id="kantor_letter_return")
def letter_return(request: HttpRequest, public_id: UUID, payload: CommentIn) -> Any:
    """Return the letter to its drafter with a comment (required)."""
    letter = _letter(request, public_id)
    services.letter_return(actor=request.user, letter=letter, comment=payload.comment)
    return _letter(request, public_id)


@router.post("/letters/{public_id}/sign", response=LetterOut, operation_id="kantor_letter_sign")
def letter_sign(request: HttpRequest, public_id: UUID) -> Any:
    """Sign at your turn: the letter is numbered, PAdES-signed, issued and distributed."""
    return services.letter_sign(actor=request.user, letter=_letter(request, public_id))


@router.get(
    "/letters/{public_id}/signed.pdf",
    operation_id="kantor_letter_pdf",
    openapi_extra={
        "responses": {
            200: {
                "description": "The signed letter (PDF with a PAdES signature).",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def letter_pdf(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Download the signed PDF."""
    letter = _letter(request, public_id)
    if not letter.signed_file:
        raise NotFoundError(_("The letter is not signed yet."), code=KantorErrorCode.NOT_SIGNED)
    with letter.signed_file.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="surat-{letter.public_id}.pdf"'
    return response


@router.get(
    "/letters/{public_id}/dispositions",
    response=list[NodeOut],
    operation_id="kantor_letter_dispositions",
)
def letter_dispositions(request: HttpRequest, public_id: UUID) -> Any:
    """Return the distribution and disposition tree: who read, acted and replied."""
    letter = _letter(request, public_id)
    tree = selectors.disposition_tree(letter=letter, today=letter.instansi.local_date())
    return [_node(node) for node in tree]


# --- Inbox and dispositions ------------------------------------------------------------------


@router.get("/inbox", response=list[InboxOut], operation_id="kantor_inbox")
@paginate(LimitOffsetPagination)
def inbox(request: HttpRequest, open_only: bool = False) -> Any:
    """List letters distributed or disposed to you, newest first."""
    return selectors.inbox(actor=request.user, open_only=open_only)


@router.post(
    "/inbox/{public_id}/dispose", response={201: list[InboxOut]}, operation_id="kantor_dispose"
)
def dispose(request: HttpRequest, public_id: UUID, payload: DisposeIn) -> Any:
    """Dispose a letter from your inbox to subordinates with an instruction and a deadline."""
    me = _me(request)
    entry = selectors.disposition_get(actor=request.user, public_id=public_id)
    people = Employee.objects.filter(instansi_id=me.instansi_id).select_related("position")
    created = services.disposition_create(
        actor=request.user,
        parent=entry,
        recipients=[_one(people, pk, "employee") for pk in payload.recipients],
        instruction=payload.instruction,
        deadline=payload.deadline,
    )
    return Status(201, created)


@router.post(
    "/inbox/{public_id}/complete", response=InboxOut, operation_id="kantor_disposition_complete"
)
def complete(request: HttpRequest, public_id: UUID, payload: CompleteIn) -> Disposition:
    """Report a letter or disposition in your inbox done, with an optional reply."""
    entry = selectors.disposition_get(actor=request.user, public_id=public_id)
    return services.disposition_complete(actor=request.user, disposition=entry, reply=payload.reply)


# --- Archive ---------------------------------------------------------------------------------


@router.get("/archive", response=list[LetterRow], operation_id="kantor_archive_search")
@paginate(LimitOffsetPagination)
def archive_search(
    request: HttpRequest,
    number: str = "",
    subject: str = "",
    sender: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    classification: str = "",
) -> Any:
    """Search the signed letters you may open by number, subject, sender, date, class code."""
    return selectors.archive_search(
        actor=request.user, number=number, subject=subject, sender=sender,
        date_from=date_from, date_to=date_to, classification=classification,
    )  # fmt: skip
