"""``/api/v1/inovasi``: the innovation registry.

Every write goes through :mod:`abdi.inovasi.services` and every read through
:mod:`abdi.inovasi.selectors`; their refusals become problem+json documents. Innovations are
addressed by their ``public_id``; one the actor may not see is "not found". Endorsed
innovations are public to every agency's employees (to find and replicate them); drafts are
private to the owner, the team and the owner's leaders. Metric values are decimals written as
strings (``"12.50"``). Dates are ISO 8601.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import PlainSerializer, WithJsonSchema

from abdi.core.exceptions import NotFoundError
from abdi.kinerja.models import Rhk
from abdi.organisations import selectors as org_selectors
from abdi.organisations.access import employee_of
from abdi.organisations.models import Employee

from . import measurement, selectors, services
from .access import can_change, can_review
from .choices import CollaboratorKind, ReviewStatus, Stage
from .models import Innovation

router = Router(tags=["inovasi"])

DecimalStr = Annotated[
    Decimal,
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "format": "decimal", "examples": ["12.50"]}),
]


# --- Schemas ---------------------------------------------------------------------------------


class PersonOut(Schema):
    public_id: UUID
    full_name: str
    position_title: str | None = Field(None, alias="position.title")


class InstansiOut(Schema):
    code: str
    name: str


class InnovationRef(Schema):
    public_id: UUID
    title: str
    instansi: InstansiOut


class InnovationOut(Schema):
    public_id: UUID
    title: str
    problem: str
    idea: str
    stage: Stage
    status: ReviewStatus
    instansi: InstansiOut
    owner: PersonOut
    service_name: str
    service_ref: str
    rhk_id: UUID | None = Field(None, alias="rhk.public_id")
    skp_rhk_id: UUID | None = Field(None, alias="skp_rhk.public_id")
    metric: str
    baseline_start: date | None
    baseline_end: date | None
    replicates: InnovationRef | None
    dormant_since: date | None
    endorsed_at: datetime | None
    return_note: str
    created_at: datetime


class MemberOut(Schema):
    employee: PersonOut
    role: str


class CollaboratorOut(Schema):
    kind: CollaboratorKind
    name: str
    role: str


class StageChangeOut(Schema):
    from_stage: str
    to_stage: Stage
    changed_on: date
    note: str


class EvidenceOut(Schema):
    public_id: UUID
    original_name: str
    content_type: str
    size: int
    url: str = Field(..., description="The link, for link evidence; empty for a file.")
    description: str
    created_at: datetime


class UpdateOut(Schema):
    public_id: UUID
    text: str
    stage: Stage
    author: PersonOut
    created_at: datetime


class ReadingOut(Schema):
    start: date | None
    end: date | None
    value: DecimalStr | None


class MetricOut(Schema):
    key: str
    label: str
    unit: str
    baseline: ReadingOut
    latest: ReadingOut
    change_percent: DecimalStr | None


class InnovationDetailOut(InnovationOut):
    members: list[MemberOut]
    collaborators: list[CollaboratorOut]
    stage_history: list[StageChangeOut]
    evidence: list[EvidenceOut]
    updates: list[UpdateOut]
    replications: list[InnovationRef] = Field(..., alias="visible_replications")
    metric_comparison: MetricOut | None
    can_change: bool
    can_review: bool


class MemberIn(Schema):
    employee_id: UUID
    role: str = ""


class CollaboratorIn(Schema):
    kind: CollaboratorKind
    name: str = Field(..., max_length=200)
    role: str = Field("", max_length=200)


class InnovationChangeIn(Schema):
    title: str = Field(..., max_length=200)
    problem: str
    idea: str
    rhk_id: UUID | None = Field(None, description="An RHK of your own SKP this improves.")
    service_name: str = Field("", max_length=200)
    service_ref: str = Field("", max_length=100, description='e.g. "layanan.service:<uuid>"')
    metric: str = Field("", description="A key of GET /api/v1/kinerja/metrics.")
    baseline_start: date | None = None
    baseline_end: date | None = None


class InnovationIn(InnovationChangeIn):
    stage: Stage = Stage.IDE
    members: list[MemberIn] = []
    collaborators: list[CollaboratorIn] = []


class NoteIn(Schema):
    note: str = ""


class StageIn(Schema):
    stage: Stage
    on: date | None = Field(None, description="Default: today in the agency's zone.")
    note: str = ""


class UpdateIn(Schema):
    text: str


class ReplicationIn(Schema):
    title: str = Field("", max_length=200, description="Default: the original's title.")
    problem: str = ""
    idea: str = ""
    stage: Stage = Stage.IDE
    service_name: str = Field("", max_length=200)
    note: str = ""


class RhkOut(Schema):
    public_id: UUID
    plan_id: UUID = Field(..., alias="plan.public_id")
    kind: str
    text: str


class SettingsIn(Schema):
    dormant_months: int = Field(..., ge=1, le=60)


class SettingsOut(Schema):
    instansi_code: str
    dormant_months: int


# --- Lookups ---------------------------------------------------------------------------------


def _innovation(request: HttpRequest, public_id: UUID) -> Innovation:
    return selectors.innovation_get_for_actor(actor=request.user, public_id=public_id)


def _colleague(request: HttpRequest, public_id: UUID) -> Employee:
    own = employee_of(request.user)
    found = (
        Employee.objects.filter(public_id=public_id, instansi_id=own.instansi_id).first()
        if own is not None
        else None
    )
    if found is None:
        raise NotFoundError(_("Employee not found."), code="employee.not_found")
    return found


def _own_rhk(request: HttpRequest, public_id: UUID | None) -> Rhk | None:
    if public_id is None:
        return None
    own = employee_of(request.user)
    found = Rhk.objects.filter(public_id=public_id, plan__employee=own).first() if own else None
    if found is None:
        raise NotFoundError(_("Result not found."), code="inovasi.rhk_not_found")
    return found


def _detail(request: HttpRequest, innovation: Innovation) -> Innovation:
    """Return ``innovation`` re-read with what :class:`InnovationDetailOut` shows."""
    innovation = selectors.innovation_get_for_actor(
        actor=request.user, public_id=innovation.public_id
    )
    extra = {
        "visible_replications": list(
            selectors.replications_visible(actor=request.user, innovation=innovation)
        ),
        "metric_comparison": measurement.compare(innovation, innovation.instansi.local_date()),
        "can_change": can_change(request.user, innovation),
        "can_review": can_review(request.user, innovation),
    }
    for name, value in extra.items():
        setattr(innovation, name, value)
    return innovation


# --- Endpoints -------------------------------------------------------------------------------


@router.get("/innovations", response=list[InnovationOut], operation_id="innovation_list")
@paginate(LimitOffsetPagination)
def innovation_list(
    request: HttpRequest,
    q: str = "",
    stage: Stage | None = None,
    service: str = "",
    instansi: str = "",
    status: ReviewStatus | None = None,
    mine: bool = False,
    other_agencies: bool = False,
) -> Any:
    """Search the innovations you may see by keyword, stage, service and agency.

    ``other_agencies=true`` lists what others made (endorsed only) to replicate; ``mine=true``
    those you own or are in the team of.
    """
    return selectors.innovation_search(
        actor=request.user, q=q, stage=stage or "", service=service, instansi_code=instansi,
        status=status or "", mine=mine, exclude_own_agency=other_agencies,
    )  # fmt: skip


@router.post(
    "/innovations", response={201: InnovationDetailOut}, operation_id="innovation_register"
)
def innovation_register(request: HttpRequest, payload: InnovationIn) -> Any:
    """Register your innovation (a draft), with its team, collaborators and bound metric."""
    innovation = services.innovation_register(
        actor=request.user, title=payload.title, problem=payload.problem, idea=payload.idea,
        stage=payload.stage, rhk=_own_rhk(request, payload.rhk_id),
        service_name=payload.service_name, service_ref=payload.service_ref,
        metric=payload.metric, baseline_start=payload.baseline_start,
        baseline_end=payload.baseline_end,
        members=[
            services.MemberIn(employee=_colleague(request, m.employee_id), role=m.role)
            for m in payload.members
        ],
        collaborators=[
            services.CollaboratorIn(kind=c.kind, name=c.name, role=c.role)
            for c in payload.collaborators
        ],
    )  # fmt: skip
    return Status(201, _detail(request, innovation))


@router.get("/reviews", response=list[InnovationOut], operation_id="innovation_review_queue")
@paginate(LimitOffsetPagination)
def innovation_review_queue(request: HttpRequest) -> Any:
    """List the innovations waiting for your review (you are the owner's direct leader)."""
    return selectors.review_queue(actor=request.user)


@router.get("/innovations/{public_id}", response=InnovationDetailOut, operation_id="innovation_get")
def innovation_get(request: HttpRequest, public_id: UUID) -> Any:
    """Return an innovation with its team, history, evidence, updates, replications and its
    bound metric for the baseline period and the latest one."""
    return _detail(request, _innovation(request, public_id))


@router.put(
    "/innovations/{public_id}", response=InnovationDetailOut, operation_id="innovation_update"
)
def innovation_update(request: HttpRequest, public_id: UUID, payload: InnovationChangeIn) -> Any:
    """Change a draft or returned innovation (the owner only)."""
    innovation = services.innovation_update(
        actor=request.user, innovation=_innovation(request, public_id), title=payload.title,
        problem=payload.problem, idea=payload.idea, rhk=_own_rhk(request, payload.rhk_id),
        service_name=payload.service_name, service_ref=payload.service_ref,
        metric=payload.metric, baseline_start=payload.baseline_start,
        baseline_end=payload.baseline_end,
    )  # fmt: skip
    return _detail(request, innovation)


@router.post(
    "/innovations/{public_id}/submit",
    response=InnovationDetailOut,
    operation_id="innovation_submit",
)
def innovation_submit(request: HttpRequest, public_id: UUID) -> Any:
    """Send the innovation to your direct leader for review."""
    innovation = services.innovation_submit(
        actor=request.user, innovation=_innovation(request, public_id)
    )
    return _detail(request, innovation)


@router.post(
    "/innovations/{public_id}/endorse",
    response=InnovationDetailOut,
    operation_id="innovation_endorse",
)
def innovation_endorse(request: HttpRequest, public_id: UUID, payload: NoteIn) -> Any:
    """Endorse a submitted innovation (the owner's direct leader): it becomes public."""
    innovation = services.innovation_endorse(
        actor=request.user, innovation=_innovation(request, public_id), note=payload.note
    )
    return _detail(request, innovation)


@router.post(
    "/innovations/{public_id}/return",
    response=InnovationDetailOut,
    operation_id="innovation_return",
)
def innovation_return(request: HttpRequest, public_id: UUID, payload: NoteIn) -> Any:
    """Return a submitted innovation to its owner with a note (required)."""
    innovation = services.innovation_return(
        actor=request.user, innovation=_innovation(request, public_id), note=payload.note
    )
    return _detail(request, innovation)


@router.post(
    "/innovations/{public_id}/stage", response=InnovationDetailOut, operation_id="innovation_stage"
)
def innovation_stage(request: HttpRequest, public_id: UUID, payload: StageIn) -> Any:
    """Record that the innovation reached a later stage (forward only)."""
    innovation = services.stage_move(
        actor=request.user, innovation=_innovation(request, public_id), stage=payload.stage,
        note=payload.note, on=payload.on,
    )  # fmt: skip
    return _detail(request, innovation)


@router.post(
    "/innovations/{public_id}/updates",
    response={201: UpdateOut},
    operation_id="innovation_update_add",
)
def innovation_update_add(request: HttpRequest, public_id: UUID, payload: UpdateIn) -> Any:
    """Post a progress update (the owner); it keeps the innovation from going dormant."""
    update = services.progress_add(
        actor=request.user, innovation=_innovation(request, public_id), text=payload.text
    )
    return Status(201, update)


@router.post(
    "/innovations/{public_id}/members",
    response={201: MemberOut},
    operation_id="innovation_member_add",
)
def innovation_member_add(request: HttpRequest, public_id: UUID, payload: MemberIn) -> Any:
    """Add a colleague of your agency to the team."""
    member = services.member_add(
        actor=request.user, innovation=_innovation(request, public_id),
        employee=_colleague(request, payload.employee_id), role=payload.role,
    )  # fmt: skip
    return Status(201, member)


@router.post(
    "/innovations/{public_id}/collaborators",
    response={201: CollaboratorOut},
    operation_id="innovation_collaborator_add",
)
def innovation_collaborator_add(
    request: HttpRequest, public_id: UUID, payload: CollaboratorIn
) -> Any:
    """Record a stakeholder or partner the innovation works with."""
    collaborator = services.collaborator_add(
        actor=request.user, innovation=_innovation(request, public_id), kind=payload.kind,
        name=payload.name, role=payload.role,
    )  # fmt: skip
    return Status(201, collaborator)


@router.post(
    "/innovations/{public_id}/evidence",
    response={201: EvidenceOut},
    operation_id="innovation_evidence_attach",
)
def innovation_evidence_attach(
    request: HttpRequest,
    public_id: UUID,
    file: UploadedFile | None = File(  # noqa: B008
        None, description="PDF, PNG, JPEG, DOCX, XLSX or PPTX, checked by content."
    ),
    url: str = Form("", description="An http(s) link, instead of a file."),  # noqa: B008
    description: str = Form(""),  # noqa: B008
) -> Any:
    """Attach a file or a link as evidence (multipart/form-data)."""
    evidence = services.evidence_attach(
        actor=request.user, innovation=_innovation(request, public_id), uploaded_file=file,
        url=url, description=description,
    )  # fmt: skip
    return Status(201, evidence)


@router.post(
    "/innovations/{public_id}/skp", response={201: RhkOut}, operation_id="innovation_add_to_skp"
)
def innovation_add_to_skp(request: HttpRequest, public_id: UUID) -> Any:
    """Add your endorsed innovation as an additional result (RHK tambahan) to your editable
    SKP plan of the open performance year."""
    rhk = services.innovation_add_to_skp(
        actor=request.user, innovation=_innovation(request, public_id)
    )
    return Status(201, Rhk.objects.select_related("plan").get(pk=rhk.pk))


@router.post(
    "/innovations/{public_id}/replications",
    response={201: InnovationDetailOut},
    operation_id="innovation_replicate",
)
def innovation_replicate(request: HttpRequest, public_id: UUID, payload: ReplicationIn) -> Any:
    """Record that you replicate an endorsed innovation: a new innovation of yours, linked to
    the original, starting from its description."""
    replica = services.replication_record(
        actor=request.user, original=_innovation(request, public_id), title=payload.title,
        problem=payload.problem, idea=payload.idea, stage=payload.stage,
        service_name=payload.service_name, note=payload.note,
    )  # fmt: skip
    return Status(201, _detail(request, replica))


@router.put(
    "/settings/{instansi_code}", response=SettingsOut, operation_id="innovation_settings_set"
)
def innovation_settings_set(request: HttpRequest, instansi_code: str, payload: SettingsIn) -> Any:
    """Set the agency's months without an update before an innovation is dormant (admins)."""
    instansi = (
        org_selectors.instansi_list_for_actor(actor=request.user).filter(code=instansi_code).first()
    )
    if instansi is None:
        raise NotFoundError(_("Agency not found."), code="instansi.not_found")
    row = services.settings_set(
        actor=request.user, instansi=instansi, dormant_months=payload.dormant_months
    )
    return {"instansi_code": instansi.code, "dormant_months": row.dormant_months}
