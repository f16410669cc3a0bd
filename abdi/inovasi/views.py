"""Pages of the innovation registry: thin views over the selectors and services."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abdi.core.exceptions import DomainError, NotFoundError
from abdi.core.forms import add_domain_error
from abdi.kinerja.models import Rhk
from abdi.organisations.access import administered_instansi_ids, employee_of
from abdi.organisations.models import Employee, Instansi

from . import measurement, selectors, services
from .access import can_change, can_review
from .choices import ReviewStatus
from .forms import (
    CollaboratorForm,
    DecisionForm,
    EvidenceForm,
    InnovationForm,
    MemberForm,
    ProgressForm,
    ReplicationForm,
    SearchForm,
    SettingsForm,
    StageForm,
)
from .models import Innovation
from .rules import STAGE_ORDER

__all__ = [
    "collaborator",
    "create",
    "decide",
    "detail",
    "edit",
    "evidence",
    "evidence_file",
    "home",
    "member",
    "progress",
    "replicate",
    "search",
    "settings_edit",
    "skp",
    "stage",
    "submit",
]


def _me(request: HttpRequest) -> Employee:
    """Return the signed-in employee, or 404 for anyone who is not one."""
    employee = employee_of(request.user)
    if employee is None:
        raise Http404
    return employee


def _get(request: HttpRequest, public_id: Any) -> Innovation:
    try:
        return selectors.innovation_get_for_actor(actor=request.user, public_id=public_id)
    except NotFoundError as exc:
        raise Http404 from exc


def _own_rhks(employee: Employee) -> Any:
    return Rhk.objects.filter(plan__employee=employee, plan__is_current=True).order_by(
        "-plan__year__year", "kind", "order"
    )


def _detail_context(request: HttpRequest, innovation: Innovation, **forms: Any) -> dict[str, Any]:
    owner = can_change(request.user, innovation)
    me = employee_of(request.user)
    context: dict[str, Any] = {
        "innovation": innovation,
        "comparison": measurement.compare(innovation, innovation.instansi.local_date()),
        "replications": selectors.replications_visible(actor=request.user, innovation=innovation),
        "is_owner": owner,
        "is_editable": owner and innovation.status in services.EDITABLE,
        "can_review": can_review(request.user, innovation)
        and innovation.status == ReviewStatus.SUBMITTED,
        "can_replicate": me is not None
        and not owner
        and innovation.status == ReviewStatus.ENDORSED,
    }
    if owner:
        context["can_move_stage"] = innovation.stage != STAGE_ORDER[-1]
        context.update(
            progress_form=forms.get("progress_form") or ProgressForm(),
            stage_form=forms.get("stage_form") or StageForm(current=innovation.stage),
            evidence_form=forms.get("evidence_form") or EvidenceForm(),
            member_form=forms.get("member_form") or MemberForm(),
            collaborator_form=forms.get("collaborator_form") or CollaboratorForm(),
        )
    if context["can_review"]:
        context["decision_form"] = forms.get("decision_form") or DecisionForm()
    if context["can_replicate"]:
        context["replication_form"] = forms.get("replication_form") or ReplicationForm()
    return context


def _act(
    request: HttpRequest,
    public_id: Any,
    form_class: type,
    form_name: str,
    action: Callable[[Innovation, dict[str, Any]], Any],
    success: str,
    *,
    inline: bool = True,
) -> HttpResponse:
    """Parse ``form_class`` from the POST, run ``action``; on a refusal show the detail page
    again with the error on the form (422), or as a message when the form is one button."""
    innovation = _get(request, public_id)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = action(innovation, form.cleaned_data)
        except DomainError as exc:
            if not inline:
                messages.error(request, exc.message)
                return redirect("inovasi:detail", public_id=innovation.public_id)
            add_domain_error(form, exc)
        else:
            messages.success(request, success)
            target = result if isinstance(result, Innovation) else innovation
            return redirect("inovasi:detail", public_id=target.public_id)
    innovation = _get(request, public_id)
    context = _detail_context(request, innovation, **{form_name: form})
    return render(request, "inovasi/innovation_detail.html", context, status=422)


# --- Lists -----------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """My innovations (owned or in the team) and those waiting for my review."""
    _me(request)
    context = {
        "mine": selectors.innovation_search(actor=request.user, mine=True)[:100],
        "queue": selectors.review_queue(actor=request.user),
    }
    return render(request, "inovasi/innovation_home.html", context)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Find innovations to learn from or replicate: by keyword, stage and service."""
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        results = selectors.innovation_search(
            actor=request.user, q=data["q"], stage=data["stage"], service=data["service"],
            exclude_own_agency=data["other"],
        )[:100]  # fmt: skip
    return render(request, "inovasi/innovation_search.html", {"form": form, "results": results})


# --- Registration and changes ----------------------------------------------------------------


@login_required
def create(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = InnovationForm(request.POST or None, rhks=_own_rhks(me))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            innovation = services.innovation_register(
                actor=request.user, title=data["title"], problem=data["problem"],
                idea=data["idea"], stage=data["stage"], rhk=data["rhk"],
                service_name=data["service_name"], metric=data["metric"],
                baseline_start=data["baseline_start"], baseline_end=data["baseline_end"],
                collaborators=[
                    services.CollaboratorIn(kind=kind, name=name)
                    for kind, name in form.collaborators()
                ],
            )  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Innovation registered as a draft."))
            return redirect("inovasi:detail", public_id=innovation.public_id)
    status = 422 if request.method == "POST" else 200
    return render(request, "inovasi/innovation_form.html", {"form": form}, status=status)


@login_required
def edit(request: HttpRequest, public_id: Any) -> HttpResponse:
    innovation = _get(request, public_id)
    if not can_change(request.user, innovation):
        raise Http404
    initial = {
        name: getattr(innovation, name)
        for name in ("title", "problem", "idea", "service_name", "rhk", "metric",
                     "baseline_start", "baseline_end")
    }  # fmt: skip
    form = InnovationForm(
        request.POST or None, initial=initial, rhks=_own_rhks(innovation.owner), editing=True
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.innovation_update(
                actor=request.user, innovation=innovation, title=data["title"],
                problem=data["problem"], idea=data["idea"], rhk=data["rhk"],
                service_name=data["service_name"], service_ref=innovation.service_ref,
                metric=data["metric"], baseline_start=data["baseline_start"],
                baseline_end=data["baseline_end"],
            )  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("inovasi:detail", public_id=innovation.public_id)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "innovation": innovation}
    return render(request, "inovasi/innovation_form.html", context, status=status)


@login_required
def detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    innovation = _get(request, public_id)
    return render(request, "inovasi/innovation_detail.html", _detail_context(request, innovation))


@login_required
@require_POST
def submit(request: HttpRequest, public_id: Any) -> HttpResponse:
    def action(innovation: Innovation, data: dict[str, Any]) -> Any:
        return services.innovation_submit(actor=request.user, innovation=innovation)

    return _act(
        request, public_id, DecisionForm, "submit_form", action, _("Sent for review."),
        inline=False,
    )  # fmt: skip


@login_required
@require_POST
def decide(request: HttpRequest, public_id: Any) -> HttpResponse:
    endorse = request.POST.get("decision") == "endorse"

    def action(innovation: Innovation, data: dict[str, Any]) -> Any:
        if endorse:
            return services.innovation_endorse(
                actor=request.user, innovation=innovation, note=data["note"]
            )
        return services.innovation_return(
            actor=request.user, innovation=innovation, note=data["note"]
        )

    done = _("Innovation endorsed.") if endorse else _("Innovation returned to its owner.")
    return _act(request, public_id, DecisionForm, "decision_form", action, done)


@login_required
@require_POST
def stage(request: HttpRequest, public_id: Any) -> HttpResponse:
    def action(innovation: Innovation, data: dict[str, Any]) -> Any:
        return services.stage_move(
            actor=request.user, innovation=innovation, stage=data["stage"], on=data["on"],
            note=data["note"],
        )  # fmt: skip

    return _act(request, public_id, StageForm, "stage_form", action, _("Stage recorded."))


@login_required
@require_POST
def progress(request: HttpRequest, public_id: Any) -> HttpResponse:
    def action(innovation: Innovation, data: dict[str, Any]) -> Any:
        return services.progress_add(actor=request.user, innovation=innovation, text=data["text"])

    return _act(
        request, public_id, ProgressForm, "progress_form", action, _("Progress update posted.")
    )


@login_required
@require_POST
def evidence(request: HttpRequest, public_id: Any) -> HttpResponse:
    def action(innovation: Innovation, data: dict[str, Any]) -> Any:
        return services.evidence_attach(
            actor=request.user, innovation=innovation, uploaded_file=data["file"],
            url=data["url"] or "", description=data["description"],
        )  # fmt: skip

    return _act(request, public_id, EvidenceForm, "evidence_form", action, _("Evidence added."))


@login_required
@require_POST
def member(request: HttpRequest, public_id: Any) -> HttpResponse:
    def action(innovation: Innovation, data: dict[str, Any]) -> Any:
        colleague = Employee.objects.filter(
            nip=data["nip"].strip(), instansi_id=innovation.instansi_id
        ).first()
        if colleague is None:
            raise NotFoundError(_("No employee of your agency has this NIP."), field="nip")
        return services.member_add(
            actor=request.user, innovation=innovation, employee=colleague, role=data["role"]
        )

    return _act(request, public_id, MemberForm, "member_form", action, _("Team member added."))


@login_required
@require_POST
def collaborator(request: HttpRequest, public_id: Any) -> HttpResponse:
    def action(innovation: Innovation, data: dict[str, Any]) -> Any:
        return services.collaborator_add(
            actor=request.user, innovation=innovation, kind=data["kind"], name=data["name"],
            role=data["role"],
        )  # fmt: skip

    return _act(
        request, public_id, CollaboratorForm, "collaborator_form", action,
        _("Collaborator added."),
    )  # fmt: skip


@login_required
@require_POST
def skp(request: HttpRequest, public_id: Any) -> HttpResponse:
    def action(innovation: Innovation, data: dict[str, Any]) -> Any:
        return services.innovation_add_to_skp(actor=request.user, innovation=innovation)

    return _act(
        request, public_id, DecisionForm, "skp_form", action,
        _("Added to your SKP as an additional result."), inline=False,
    )  # fmt: skip


@login_required
@require_POST
def replicate(request: HttpRequest, public_id: Any) -> HttpResponse:
    def action(innovation: Innovation, data: dict[str, Any]) -> Any:
        return services.replication_record(
            actor=request.user, original=innovation, title=data["title"], note=data["note"]
        )

    return _act(
        request, public_id, ReplicationForm, "replication_form", action,
        _("Replication recorded: it is your draft innovation now."),
    )  # fmt: skip


@login_required
def evidence_file(request: HttpRequest, public_id: Any) -> FileResponse:
    """Serve an evidence file to those who may see the innovation."""
    try:
        item = selectors.evidence_get_for_actor(actor=request.user, public_id=public_id)
    except NotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )


# --- Agency settings -------------------------------------------------------------------------


@login_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    """The agency administrator's settings: months before an innovation is dormant."""
    instansi = Instansi.objects.filter(pk__in=administered_instansi_ids(request.user)).first()
    if instansi is None:
        raise Http404
    initial = {"dormant_months": services.dormant_months_for(instansi.pk)}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.settings_set(
                    actor=request.user, instansi=instansi,
                    dormant_months=form.cleaned_data["dormant_months"],
                )  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("inovasi:settings")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "instansi": instansi}
    return render(request, "inovasi/settings.html", context, status=status)
