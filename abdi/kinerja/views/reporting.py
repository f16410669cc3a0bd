"""Realisation, the leader's decisions and feedback, evidence files."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..access import can_view_plan
from ..forms import (
    DecisionForm,
    FeedbackForm,
    RealisationForm,
)
from ..models import (
    Evidence,
    Indicator,
    Realisation,
    Rhk,
)
from ._common import (
    _period_choices,
    _started_periods,
    _visible,
)
from .plan import _handle

__all__ = [
    "evidence_file",
    "feedback_create",
    "realisation_create",
    "realisation_decide",
]


# --- Realisation, decisions, feedback --------------------------------------------------------


def _attach(request: HttpRequest, data: dict[str, Any], **target: Any) -> None:
    if data.get("file") is not None or data.get("url"):
        services.evidence_attach(
            actor=request.user, uploaded_file=data.get("file"), url=data.get("url") or "", **target
        )


@login_required
@require_POST
def realisation_create(request: HttpRequest, public_id: Any) -> HttpResponse:
    indicator = _visible(request, Indicator, public_id, "rhk__plan")
    plan = indicator.rhk.plan
    form = RealisationForm(
        request.POST,
        request.FILES,
        periods=_period_choices(_started_periods(plan.year)),
        prefix=f"r{indicator.pk}",
    )

    def action(data: dict[str, Any]) -> Any:
        realisation = services.realisation_record(
            actor=request.user, indicator=indicator, period=data["period"],
            value=data["value"], note=data["note"],
        )  # fmt: skip
        _attach(request, data, realisation=realisation)

    return _handle(
        request, plan, form, ("realisation", indicator.pk), action, _("Realisation recorded.")
    )


@login_required
@require_POST
def realisation_decide(request: HttpRequest, public_id: Any) -> HttpResponse:
    realisation = _visible(request, Realisation, public_id, "indicator__rhk__plan")
    form = DecisionForm(request.POST, prefix=f"d{realisation.pk}")

    def action(data: dict[str, Any]) -> Any:
        if data["decision"] == "accept":
            return services.realisation_accept(actor=request.user, realisation=realisation)
        return services.realisation_return(
            actor=request.user, realisation=realisation, comment=data["comment"]
        )

    return _handle(
        request, realisation.indicator.rhk.plan, form, ("decision", realisation.pk), action,
        _("Decision saved."),
    )  # fmt: skip


@login_required
@require_POST
def feedback_create(request: HttpRequest, public_id: Any) -> HttpResponse:
    rhk = _visible(request, Rhk, public_id, "plan")
    form = FeedbackForm(
        request.POST, periods=_period_choices(_started_periods(rhk.plan.year)), prefix=f"f{rhk.pk}"
    )
    return _handle(
        request, rhk.plan, form, ("feedback", rhk.pk),
        lambda data: services.feedback_give(actor=request.user, rhk=rhk, **data),
        _("Feedback saved."),
    )  # fmt: skip


@login_required
def evidence_file(request: HttpRequest, public_id: Any) -> FileResponse:
    """Serve an evidence file to those who may see the plan it supports."""
    evidence = (
        Evidence.objects.select_related(
            "realisation__indicator__rhk__plan__employee__position", "output__rhk__plan__employee"
        )
        .filter(public_id=public_id)
        .exclude(file="")
        .first()
    )
    if evidence is None:
        raise Http404
    owner = evidence.realisation.indicator if evidence.realisation else evidence.output
    plan = owner.rhk.plan  # type: ignore[union-attr]
    if not can_view_plan(request.user, plan):
        raise Http404
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name or "bukti",
        content_type=evidence.content_type or "application/octet-stream",
    )
