"""Every write to the innovation registry.

Each service takes keyword-only arguments with the acting user, authorises, validates
through :mod:`abdi.inovasi.rules` and the model, runs in one transaction and appends one
audit event (``inovasi.<entity>.<verb>``). Writes to one innovation lock its row.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record, snapshot
from abdi.core.changes import data_changed
from abdi.core.exceptions import full_clean
from abdi.core.notifications import notify
from abdi.core.uploads import sniff_file
from abdi.kinerja import metrics
from abdi.kinerja import services as kinerja_services
from abdi.kinerja.access import acting_leaders, direct_leader
from abdi.kinerja.choices import Cascade, Perspective, RhkKind, YearStatus
from abdi.kinerja.models import PerformanceYear, Rhk, SkpPlan
from abdi.organisations.access import can_admin_instansi, employee_of
from abdi.organisations.choices import PositionKind
from abdi.organisations.models import Employee, Instansi

from . import conf, measurement, rules
from .access import can_review, can_view
from .choices import CollaboratorKind, ReviewStatus, Stage
from .exceptions import InovasiConflict, InovasiError, InovasiErrorCode, InovasiForbidden
from .models import (
    Collaborator,
    Innovation,
    InnovationEvidence,
    InnovationMember,
    InnovationSettings,
    ProgressUpdate,
    StageChange,
)

__all__ = [
    "CollaboratorIn",
    "MemberIn",
    "collaborator_add",
    "dormant_months_for",
    "evidence_attach",
    "innovation_add_to_skp",
    "innovation_endorse",
    "innovation_refresh_dormancy",
    "innovation_register",
    "innovation_return",
    "innovation_submit",
    "innovation_update",
    "member_add",
    "progress_add",
    "replication_record",
    "settings_set",
    "stage_move",
]

INNOVATION_FIELDS = [
    "instansi", "owner", "unit", "title", "problem", "idea", "stage", "status", "rhk",
    "service_name", "service_ref", "metric", "baseline_start", "baseline_end", "replicates",
]  # fmt: skip
EDITABLE = (ReviewStatus.DRAFT, ReviewStatus.RETURNED)
# Evidence files: extension → (content family, MIME type), as for SKP evidence. Office Open
# XML is a ZIP whose main part lives in the folder named here.
EVIDENCE_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("pdf", "application/pdf"),
    "png": ("png", "image/png"),
    "jpg": ("jpeg", "image/jpeg"),
    "jpeg": ("jpeg", "image/jpeg"),
    "docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}


@dataclass(frozen=True)
class MemberIn:
    employee: Employee
    role: str = ""


@dataclass(frozen=True)
class CollaboratorIn:
    kind: str
    name: str
    role: str = ""


# --- Helpers ---------------------------------------------------------------------------------


def _require_employee(actor: Any) -> Employee:
    own = employee_of(actor)
    if own is None:
        raise InovasiForbidden(
            _("Only an employee can register an innovation."), code=InovasiErrorCode.NOT_EMPLOYEE
        )
    return own


def _lock(innovation: Innovation) -> Innovation:
    """Return ``innovation`` re-read under a row lock, with its owner and agency."""
    return (
        Innovation.objects.select_for_update(of=("self",))
        .select_related("instansi", "owner__position__unit", "unit")
        .get(pk=innovation.pk)
    )


def _owned(actor: Any, innovation: Innovation) -> tuple[Innovation, Employee]:
    """Lock ``innovation`` and check the actor is its owner."""
    innovation = _lock(innovation)
    own = employee_of(actor)
    if own is None or own.pk != innovation.owner_id:
        raise InovasiForbidden(
            _("Only %(owner)s may change this innovation."),
            code=InovasiErrorCode.NOT_OWNER,
            params={"owner": innovation.owner.full_name},
        )
    return innovation, own


def _require_editable(innovation: Innovation) -> None:
    if innovation.status not in EDITABLE:
        raise InovasiConflict(
            _("The innovation can only be changed while it is a draft or returned for changes."),
            code=InovasiErrorCode.NOT_EDITABLE,
        )


def _text(value: str, field: str, message: Any, code: str = InovasiErrorCode.TEXT_REQUIRED) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise InovasiError(message, code=code, field=field)
    return cleaned


def _check_stage(stage: str) -> str:
    if stage not in Stage.values:
        raise InovasiError(
            _("Unknown stage %(stage)s."),
            code=InovasiErrorCode.STAGE_INVALID,
            params={"stage": stage},
            field="stage",
        )
    return stage


def _check_metric(metric: str, start: date | None, end: date | None) -> str:
    """Check the bound metric is registered and has a baseline period."""
    metric = (metric or "").strip()
    if not metric:
        return ""
    if metrics.get_metric(metric) is None:
        raise InovasiError(
            _("Unknown metric %(metric)s."),
            code=InovasiErrorCode.METRIC_UNKNOWN,
            params={"metric": metric},
            field="metric",
        )
    if start is None or end is None:
        raise InovasiError(
            _("Give the baseline period the metric is compared with."),
            code=InovasiErrorCode.BASELINE_REQUIRED,
            field="baseline_start",
        )
    if end < start:
        raise InovasiError(
            _("The baseline cannot end before it starts."),
            code=InovasiErrorCode.BASELINE_INVALID,
            field="baseline_end",
        )
    return metric


def _check_rhk(rhk: Rhk | None, owner: Employee) -> None:
    if rhk is not None and not SkpPlan.objects.filter(pk=rhk.plan_id, employee=owner).exists():
        raise InovasiError(
            _("Choose a result of your own SKP."), code=InovasiErrorCode.RHK_NOT_OWN, field="rhk"
        )


def _check_collaborator(item: CollaboratorIn) -> Collaborator:
    if item.kind not in CollaboratorKind.values:
        raise InovasiError(
            _("A collaborator is a stakeholder or a partner."),
            code=InovasiErrorCode.COLLABORATOR_INVALID,
            field="collaborators",
        )
    name = _text(
        item.name, "collaborators", _("Name the stakeholder or partner."),
        InovasiErrorCode.COLLABORATOR_INVALID,
    )  # fmt: skip
    return Collaborator(kind=item.kind, name=name[:200], role=(item.role or "").strip()[:200])


def _check_member(innovation: Innovation, item: MemberIn) -> InnovationMember:
    if item.employee.pk == innovation.owner_id:
        raise InovasiError(
            _("The owner is already in the team."),
            code=InovasiErrorCode.MEMBER_INVALID,
            field="members",
        )
    if item.employee.instansi_id != innovation.instansi_id:
        raise InovasiError(
            _("Team members are employees of the owner's agency."),
            code=InovasiErrorCode.MEMBER_INVALID,
            field="members",
        )
    if innovation.pk and innovation.members.filter(employee=item.employee).exists():
        raise InovasiConflict(
            _("%(employee)s is already in the team."),
            code=InovasiErrorCode.MEMBER_EXISTS,
            params={"employee": item.employee.full_name},
        )
    return InnovationMember(
        innovation=innovation, employee=item.employee, role=(item.role or "").strip()[:200]
    )


def _today(instansi: Instansi) -> date:
    return instansi.local_date()


def _facts_changed(innovation: Innovation) -> None:
    """Tell the dashboards that the innovation's unit changed (its stage counts)."""
    data_changed(
        source="inovasi", instansi_id=innovation.instansi_id, unit_id=innovation.unit_id,
        on=_today(innovation.instansi),
    )  # fmt: skip


def _users_to_notify(*employees: Employee | None) -> list[Any]:
    seen: dict[int, Any] = {}
    for employee in employees:
        if employee is not None and employee.user_id is not None:
            seen.setdefault(employee.user_id, employee.user)
    return list(seen.values())


# --- Registration and changes ----------------------------------------------------------------


@transaction.atomic
def innovation_register(
    *,
    actor: Any,
    title: str,
    problem: str,
    idea: str,
    stage: str = Stage.IDE,
    rhk: Rhk | None = None,
    service_name: str = "",
    service_ref: str = "",
    metric: str = "",
    baseline_start: date | None = None,
    baseline_end: date | None = None,
    members: Sequence[MemberIn] = (),
    collaborators: Sequence[CollaboratorIn] = (),
    now: datetime | None = None,
) -> Innovation:
    """Register the actor's innovation (a draft) with its team, collaborators and metric."""
    return _register(
        actor=actor, title=title, problem=problem, idea=idea, stage=stage, rhk=rhk,
        service_name=service_name, service_ref=service_ref, metric=metric,
        baseline_start=baseline_start, baseline_end=baseline_end, members=members,
        collaborators=collaborators, replicates=None, now=now,
    )  # fmt: skip


def _register(
    *,
    actor: Any,
    title: str,
    problem: str,
    idea: str,
    stage: str = Stage.IDE,
    rhk: Rhk | None = None,
    service_name: str = "",
    service_ref: str = "",
    metric: str = "",
    baseline_start: date | None = None,
    baseline_end: date | None = None,
    members: Sequence[MemberIn] = (),
    collaborators: Sequence[CollaboratorIn] = (),
    replicates: Innovation | None = None,
    now: datetime | None = None,
) -> Innovation:
    owner = _require_employee(actor)
    owner = Employee.objects.select_related("instansi", "position__unit").get(pk=owner.pk)
    _check_rhk(rhk, owner)
    moment = now or timezone.now()
    innovation = Innovation(
        instansi=owner.instansi,
        owner=owner,
        unit=owner.position.unit if owner.position is not None else None,
        title=_text(title, "title", _("Give the innovation a title.")),
        problem=_text(problem, "problem", _("Describe the problem it solves.")),
        idea=_text(idea, "idea", _("Describe the idea.")),
        stage=_check_stage(stage),
        rhk=rhk,
        service_name=(service_name or "").strip(),
        service_ref=(service_ref or "").strip(),
        metric=_check_metric(metric, baseline_start, baseline_end),
        baseline_start=baseline_start,
        baseline_end=baseline_end,
        replicates=replicates,
        last_activity_at=moment,
    )
    full_clean(innovation, code=InovasiErrorCode.INVALID, exclude=["rhk", "replicates"])
    team = [_check_member(innovation, item) for item in members]
    if len({m.employee.pk for m in team}) != len(team):
        raise InovasiError(
            _("A team member is listed twice."),
            code=InovasiErrorCode.MEMBER_INVALID,
            field="members",
        )
    partners = [_check_collaborator(item) for item in collaborators]
    innovation.save()
    for member in team:
        member.innovation = innovation
    InnovationMember.objects.bulk_create(team)
    for partner in partners:
        partner.innovation = innovation
    Collaborator.objects.bulk_create(partners)
    StageChange.objects.create(
        innovation=innovation,
        to_stage=innovation.stage,
        changed_on=owner.instansi.local_date(moment),
        changed_by=actor,
    )
    audit_record(
        actor=actor,
        action="inovasi.innovation.registered",
        target=innovation,
        instansi_id=innovation.instansi_id,
        after={
            **snapshot(innovation, INNOVATION_FIELDS),
            "members": [m.employee_id for m in team],
            "collaborators": [p.name for p in partners],
        },
    )
    _facts_changed(innovation)
    return innovation


@transaction.atomic
def innovation_update(
    *,
    actor: Any,
    innovation: Innovation,
    title: str,
    problem: str,
    idea: str,
    rhk: Rhk | None = None,
    service_name: str = "",
    service_ref: str = "",
    metric: str = "",
    baseline_start: date | None = None,
    baseline_end: date | None = None,
) -> Innovation:
    """Change the description, what it improves and the bound metric of a draft or returned
    innovation (the owner only)."""
    innovation, owner = _owned(actor, innovation)
    _require_editable(innovation)
    _check_rhk(rhk, owner)
    before = snapshot(innovation, INNOVATION_FIELDS)
    innovation.title = _text(title, "title", _("Give the innovation a title."))
    innovation.problem = _text(problem, "problem", _("Describe the problem it solves."))
    innovation.idea = _text(idea, "idea", _("Describe the idea."))
    innovation.rhk = rhk
    innovation.service_name = (service_name or "").strip()
    innovation.service_ref = (service_ref or "").strip()
    innovation.metric = _check_metric(metric, baseline_start, baseline_end)
    innovation.baseline_start, innovation.baseline_end = baseline_start, baseline_end
    full_clean(innovation, code=InovasiErrorCode.INVALID, exclude=["rhk", "replicates"])
    innovation.save()
    audit_record(
        actor=actor,
        action="inovasi.innovation.updated",
        target=innovation,
        instansi_id=innovation.instansi_id,
        before=before,
        after=snapshot(innovation, INNOVATION_FIELDS),
    )
    _facts_changed(innovation)
    return innovation


@transaction.atomic
def member_add(
    *, actor: Any, innovation: Innovation, employee: Employee, role: str = ""
) -> InnovationMember:
    """Add an employee of the agency to the innovation's team (the owner only)."""
    innovation, _owner = _owned(actor, innovation)
    member = _check_member(innovation, MemberIn(employee=employee, role=role))
    member.save()
    audit_record(
        actor=actor,
        action="inovasi.member.added",
        target=innovation,
        instansi_id=innovation.instansi_id,
        after={"employee": employee.pk, "role": member.role},
    )
    return member


@transaction.atomic
def collaborator_add(
    *, actor: Any, innovation: Innovation, kind: str, name: str, role: str = ""
) -> Collaborator:
    """Record a stakeholder or partner the innovation works with (the owner only)."""
    innovation, _owner = _owned(actor, innovation)
    partner = _check_collaborator(CollaboratorIn(kind=kind, name=name, role=role))
    partner.innovation = innovation
    partner.save()
    audit_record(
        actor=actor,
        action="inovasi.collaborator.added",
        target=innovation,
        instansi_id=innovation.instansi_id,
        after={"kind": partner.kind, "name": partner.name, "role": partner.role},
    )
    return partner


@transaction.atomic
def stage_move(
    *, actor: Any, innovation: Innovation, stage: str, note: str = "", on: date | None = None
) -> Innovation:
    """Record that the innovation reached a later stage, dated in the agency's zone."""
    innovation, _owner = _owned(actor, innovation)
    _check_stage(stage)
    if not rules.can_move_stage(innovation.stage, stage):
        raise InovasiConflict(
            _("An innovation at the stage %(current)s cannot move to %(stage)s."),
            code=InovasiErrorCode.STAGE_INVALID,
            params={
                "current": Stage(innovation.stage).label,
                "stage": Stage(stage).label,
            },
        )
    today = _today(innovation.instansi)
    day = on or today
    previous = innovation.stage_history.order_by("-changed_on").first()
    if day > today or (previous is not None and day < previous.changed_on):
        raise InovasiError(
            _("The date must be between the previous stage change and today."),
            code=InovasiErrorCode.STAGE_DATE_INVALID,
            field="on",
        )
    before = {"stage": innovation.stage}
    StageChange.objects.create(
        innovation=innovation,
        from_stage=innovation.stage,
        to_stage=stage,
        changed_on=day,
        note=(note or "").strip(),
        changed_by=actor,
    )
    innovation.stage = stage
    innovation.last_activity_at = timezone.now()
    innovation.save(update_fields=["stage", "last_activity_at", "updated_at"])
    audit_record(
        actor=actor,
        action="inovasi.innovation.stage_moved",
        target=innovation,
        instansi_id=innovation.instansi_id,
        before=before,
        after={"stage": stage},
        reason=(note or "").strip(),
    )
    _facts_changed(innovation)
    return innovation


@transaction.atomic
def progress_add(
    *, actor: Any, innovation: Innovation, text: str, now: datetime | None = None
) -> ProgressUpdate:
    """Post the owner's progress note; it counts as activity and may wake a dormant innovation."""
    innovation, owner = _owned(actor, innovation)
    update = ProgressUpdate(
        innovation=innovation,
        author=owner,
        text=_text(text, "text", _("Write what has happened since the last update.")),
        stage=innovation.stage,
    )
    update.save()
    innovation.last_activity_at = now or timezone.now()
    innovation.save(update_fields=["last_activity_at", "updated_at"])
    audit_record(
        actor=actor,
        action="inovasi.progress.added",
        target=innovation,
        instansi_id=innovation.instansi_id,
        after={"update": str(update.public_id), "stage": update.stage},
    )
    if innovation.dormant_since is not None:
        _refresh_dormancy(innovation, today=None)
    return update


# --- Evidence --------------------------------------------------------------------------------


def _check_file(uploaded_file: UploadedFile) -> tuple[str, str]:
    """Return the file's safe name and MIME type, or raise; the content decides the type."""
    name = PurePath(uploaded_file.name or "").name[:255]
    limit = conf.evidence_max_bytes()
    if (uploaded_file.size or 0) > limit:
        raise InovasiError(
            _("The file is larger than %(max_mb)s MB."),
            code=InovasiErrorCode.EVIDENCE_TOO_LARGE,
            params={"max_mb": limit // (1024 * 1024)},
            field="file",
        )
    expected = EVIDENCE_TYPES.get(PurePath(name).suffix.lower().lstrip("."))
    if expected is None or sniff_file(uploaded_file) != expected[0]:
        raise InovasiError(
            _("Upload a PDF, PNG, JPEG, DOCX, XLSX or PPTX file whose content matches its name."),
            code=InovasiErrorCode.EVIDENCE_TYPE,
            field="file",
        )
    return name, expected[1]


def _check_url(url: str) -> str:
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except DjangoValidationError as exc:
        raise InovasiError(
            _("Give a link starting with http:// or https://."),
            code=InovasiErrorCode.EVIDENCE_URL,
            field="url",
        ) from exc
    return url


@transaction.atomic
def evidence_attach(
    *,
    actor: Any,
    innovation: Innovation,
    uploaded_file: UploadedFile | None = None,
    url: str = "",
    description: str = "",
) -> InnovationEvidence:
    """Attach a file (checked by its content and size) or an http(s) link (the owner only)."""
    innovation, _owner = _owned(actor, innovation)
    if (uploaded_file is None) == (not (url or "").strip()):
        raise InovasiError(
            _("Give either a file or a link."), code=InovasiErrorCode.EVIDENCE_MISSING,
            field="file",
        )  # fmt: skip
    evidence = InnovationEvidence(
        innovation=innovation, uploaded_by=actor, description=(description or "").strip()[:200]
    )
    if uploaded_file is not None:
        evidence.original_name, evidence.content_type = _check_file(uploaded_file)
        evidence.size = uploaded_file.size or 0
        evidence.file = uploaded_file
    else:
        evidence.url = _check_url(url)
    full_clean(evidence, code=InovasiErrorCode.EVIDENCE_TYPE, exclude=["innovation", "file"])
    evidence.save()
    audit_record(
        actor=actor,
        action="inovasi.evidence.attached",
        target=innovation,
        instansi_id=innovation.instansi_id,
        after={
            "evidence": str(evidence.public_id),
            "name": evidence.original_name,
            "content_type": evidence.content_type,
            "size": evidence.size,
            "url": evidence.url,
        },
    )
    return evidence


# --- Review ----------------------------------------------------------------------------------


@transaction.atomic
def innovation_submit(
    *, actor: Any, innovation: Innovation, now: datetime | None = None
) -> Innovation:
    """Send a draft or returned innovation to the owner's leader for review."""
    innovation, owner = _owned(actor, innovation)
    _require_editable(innovation)
    before = {"status": innovation.status}
    innovation.status = ReviewStatus.SUBMITTED
    innovation.submitted_at = now or timezone.now()
    innovation.return_note = ""
    innovation.save(update_fields=["status", "submitted_at", "return_note", "updated_at"])
    audit_record(
        actor=actor,
        action="inovasi.innovation.submitted",
        target=innovation,
        instansi_id=innovation.instansi_id,
        before=before,
        after={"status": innovation.status},
    )
    stamp = innovation.submitted_at.isoformat()
    # The direct leader, or the acting official (Plt/Plh) who decides in their place.
    deciders: list[Employee | None] = list(acting_leaders(owner)) or [direct_leader(owner)]
    for user in _users_to_notify(*deciders):
        notify(
            recipient=user,
            key=f"inovasi.submitted:{innovation.public_id}:{stamp}:{user.pk}",
            subject=str(_("Innovation to review: %(title)s") % {"title": innovation.title}),
            body=str(
                _("%(owner)s asks you to review the innovation “%(title)s”.")
                % {"owner": owner.full_name, "title": innovation.title}
            ),
        )
    _facts_changed(innovation)
    return innovation


def _reviewable(actor: Any, innovation: Innovation) -> Innovation:
    innovation = _lock(innovation)
    if not can_review(actor, innovation):
        raise InovasiForbidden(
            _("Only the direct leader of %(owner)s may review this innovation."),
            code=InovasiErrorCode.NOT_LEADER,
            params={"owner": innovation.owner.full_name},
        )
    if innovation.status != ReviewStatus.SUBMITTED:
        raise InovasiConflict(
            _("The innovation is not waiting for review."), code=InovasiErrorCode.NOT_SUBMITTED
        )
    return innovation


@transaction.atomic
def innovation_endorse(
    *, actor: Any, innovation: Innovation, note: str = "", now: datetime | None = None
) -> Innovation:
    """Endorse a submitted innovation (the owner's leader): it becomes public to every agency."""
    innovation = _reviewable(actor, innovation)
    innovation.status = ReviewStatus.ENDORSED
    innovation.endorsed_at = now or timezone.now()
    innovation.endorsed_by = employee_of(actor)
    innovation.return_note = ""
    innovation.save(
        update_fields=["status", "endorsed_at", "endorsed_by", "return_note", "updated_at"]
    )
    audit_record(
        actor=actor,
        action="inovasi.innovation.endorsed",
        target=innovation,
        instansi_id=innovation.instansi_id,
        before={"status": ReviewStatus.SUBMITTED.value},
        after={"status": innovation.status, "endorsed_by": innovation.endorsed_by_id},
        reason=(note or "").strip(),
    )
    for user in _users_to_notify(innovation.owner):
        notify(
            recipient=user,
            key=f"inovasi.endorsed:{innovation.public_id}:{user.pk}",
            subject=str(_("Innovation endorsed: %(title)s") % {"title": innovation.title}),
            body=str(
                _("Your innovation “%(title)s” was endorsed. It can now count as an "
                  "additional result in your SKP.") % {"title": innovation.title}
            ),
        )  # fmt: skip
    _facts_changed(innovation)
    return innovation


@transaction.atomic
def innovation_return(*, actor: Any, innovation: Innovation, note: str) -> Innovation:
    """Return a submitted innovation to its owner with a note saying what to change."""
    cleaned = _text(
        note, "note", _("Say what should change before it can be endorsed."),
        InovasiErrorCode.NOTE_REQUIRED,
    )  # fmt: skip
    innovation = _reviewable(actor, innovation)
    innovation.status = ReviewStatus.RETURNED
    innovation.return_note = cleaned
    innovation.save(update_fields=["status", "return_note", "updated_at"])
    audit_record(
        actor=actor,
        action="inovasi.innovation.returned",
        target=innovation,
        instansi_id=innovation.instansi_id,
        before={"status": ReviewStatus.SUBMITTED.value},
        after={"status": innovation.status},
        reason=cleaned,
    )
    _facts_changed(innovation)
    return innovation


# --- The SKP ---------------------------------------------------------------------------------


def _working_year(instansi: Instansi) -> PerformanceYear | None:
    years = list(
        PerformanceYear.objects.filter(instansi=instansi, status=YearStatus.OPEN).order_by("-year")
    )
    this_year = _today(instansi).year
    return next((y for y in years if y.year == this_year), years[0] if years else None)


@transaction.atomic
def innovation_add_to_skp(*, actor: Any, innovation: Innovation) -> Rhk:
    """Add the endorsed innovation as an additional result (RHK tambahan) to the owner's
    current plan of the open performance year, through kinerja's own service.

    The plan must still be editable (draft or returned); an approved plan is revised first.
    """
    innovation, owner = _owned(actor, innovation)
    if innovation.status != ReviewStatus.ENDORSED:
        raise InovasiConflict(
            _("Only an endorsed innovation counts in the SKP."),
            code=InovasiErrorCode.NOT_ENDORSED,
        )
    if innovation.skp_rhk_id is not None:
        raise InovasiConflict(
            _("This innovation is already a result in your SKP."),
            code=InovasiErrorCode.ALREADY_IN_SKP,
        )
    year = _working_year(innovation.instansi)
    plan = (
        SkpPlan.objects.filter(employee=owner, year=year, is_current=True).first()
        if year is not None
        else None
    )
    if plan is None:
        raise InovasiConflict(
            _("You have no SKP plan in an open performance year."),
            code=InovasiErrorCode.NO_OPEN_PLAN,
        )
    is_jpt = plan.position is not None and plan.position.kind == PositionKind.JPT
    rhk = kinerja_services.rhk_add(
        actor=actor,
        plan=plan,
        text=str(_("Innovation: %(title)s") % {"title": innovation.title}),
        kind=RhkKind.TAMBAHAN,
        cascade=Cascade.OWN,
        perspective=Perspective.PROSES_BISNIS if is_jpt else "",
    )
    innovation.skp_rhk = rhk
    innovation.save(update_fields=["skp_rhk", "updated_at"])
    audit_record(
        actor=actor,
        action="inovasi.innovation.added_to_skp",
        target=innovation,
        instansi_id=innovation.instansi_id,
        after={"rhk": str(rhk.public_id), "plan": str(plan.public_id)},
    )
    return rhk


# --- Replication -----------------------------------------------------------------------------


@transaction.atomic
def replication_record(
    *,
    actor: Any,
    original: Innovation,
    title: str = "",
    problem: str = "",
    idea: str = "",
    stage: str = Stage.IDE,
    service_name: str = "",
    note: str = "",
) -> Innovation:
    """Record that the actor replicates an endorsed innovation: a new innovation of theirs,
    linked to the original (whose owner is told), starting from its description."""
    replicator = _require_employee(actor)
    original = (
        Innovation.objects.select_for_update(of=("self",))
        .select_related("owner", "instansi")
        .get(pk=original.pk)
    )
    if not can_view(actor, original) or original.status != ReviewStatus.ENDORSED:
        raise InovasiConflict(
            _("Only an endorsed innovation can be replicated."),
            code=InovasiErrorCode.NOT_ENDORSED,
        )
    if original.owner_id == replicator.pk:
        raise InovasiError(
            _("You cannot replicate your own innovation."), code=InovasiErrorCode.REPLICATE_OWN
        )
    replica = _register(
        actor=actor,
        rhk=None,
        service_ref="",
        metric="",
        baseline_start=None,
        baseline_end=None,
        members=(),
        collaborators=(),
        now=None,
        title=(title or "").strip() or original.title,
        problem=(problem or "").strip() or original.problem,
        idea=(idea or "").strip() or original.idea,
        stage=stage,
        service_name=(service_name or "").strip() or original.service_name,
        replicates=original,
    )
    audit_record(
        actor=actor,
        action="inovasi.innovation.replicated",
        target=original,
        instansi_id=original.instansi_id,
        after={
            "replica": str(replica.public_id),
            "instansi": replica.instansi_id,
        },
        reason=(note or "").strip(),
    )
    for user in _users_to_notify(original.owner):
        notify(
            recipient=user,
            key=f"inovasi.replicated:{original.public_id}:{replica.public_id}:{user.pk}",
            subject=str(_("Your innovation is replicated: %(title)s") % {"title": original.title}),
            body=str(
                _("%(agency)s records a replication of “%(title)s”.")
                % {"agency": replica.instansi.name, "title": original.title}
            ),
        )
    return replica


# --- Dormancy and settings -------------------------------------------------------------------


def dormant_months_for(instansi_id: int) -> int:
    """Return the agency's months before dormancy, or the platform default."""
    row = InnovationSettings.objects.filter(instansi_id=instansi_id).first()
    return row.dormant_months if row is not None else conf.default_dormant_months()


def _facts(innovation: Innovation, today: date) -> rules.DormancyFacts:
    instansi = innovation.instansi
    activity = innovation.last_activity_at or innovation.created_at
    value = measurement.latest(innovation, today).value
    return rules.DormancyFacts(
        stage=innovation.stage,
        registered_on=instansi.local_date(innovation.created_at),
        last_activity_on=instansi.local_date(activity),
        metric_bound=bool(innovation.metric),
        metric_has_data=value is not None,
    )


def _refresh_dormancy(innovation: Innovation, *, today: date | None) -> bool | None:
    """Flag or clear ``innovation`` (locked by the caller); return the new flag if it changed."""
    day = today or _today(innovation.instansi)
    dormant = rules.is_dormant(
        _facts(innovation, day), today=day, months=dormant_months_for(innovation.instansi_id)
    )
    if dormant == innovation.is_dormant:
        return None
    before = {"dormant_since": str(innovation.dormant_since) if innovation.dormant_since else None}
    innovation.dormant_since = day if dormant else None
    innovation.save(update_fields=["dormant_since", "updated_at"])
    audit_record(
        actor=None,
        action="inovasi.innovation.dormant" if dormant else "inovasi.innovation.revived",
        target=innovation,
        instansi_id=innovation.instansi_id,
        before=before,
        after={"dormant_since": str(day) if dormant else None},
    )
    if dormant:
        owner = innovation.owner
        for user in _users_to_notify(owner, direct_leader(owner)):
            notify(
                recipient=user,
                key=f"inovasi.dormant:{innovation.public_id}:{day.isoformat()}:{user.pk}",
                subject=str(_("Dormant innovation: %(title)s") % {"title": innovation.title}),
                body=str(
                    _("The innovation “%(title)s” of %(owner)s is flagged dormant: no "
                      "update or no metric data for %(months)s months. A progress update wakes "
                      "it up.")
                    % {"title": innovation.title, "owner": owner.full_name,
                       "months": dormant_months_for(innovation.instansi_id)}
                ),
            )  # fmt: skip
    _facts_changed(innovation)
    return dormant


@transaction.atomic
def innovation_refresh_dormancy(
    *, innovation: Innovation, today: date | None = None
) -> bool | None:
    """Flag the innovation dormant (notifying its owner and leader once) or clear the flag, as
    :func:`abdi.inovasi.rules.is_dormant` says; the system is the actor. Safe to run again."""
    return _refresh_dormancy(_lock(innovation), today=today)


@transaction.atomic
def settings_set(*, actor: Any, instansi: Instansi, dormant_months: int) -> InnovationSettings:
    """Set the agency's months without an update before an innovation is dormant."""
    if not can_admin_instansi(actor, instansi.pk):
        raise InovasiForbidden(
            _("Only an administrator of the agency may change its innovation settings."),
            code=InovasiErrorCode.NOT_ADMIN,
        )
    row = InnovationSettings.objects.select_for_update().filter(
        instansi=instansi
    ).first() or InnovationSettings(instansi=instansi)
    before = {"dormant_months": row.dormant_months if row.pk else None}
    row.dormant_months = dormant_months
    full_clean(row, code=InovasiErrorCode.SETTINGS_INVALID, exclude=["instansi"])
    row.save()
    audit_record(
        actor=actor,
        action="inovasi.settings.changed",
        target=row,
        instansi_id=instansi.pk,
        before=before,
        after={"dormant_months": dormant_months},
    )
    return row
