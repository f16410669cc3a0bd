"""Lookups shared by the kinerja endpoints: scoped to the actor, "not found" otherwise."""

from typing import Any
from uuid import UUID

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import UploadedFile

from abdi.core.exceptions import NotFoundError, PermissionDeniedError
from abdi.core.queries import CompiledQuery, unique_or_none
from abdi.organisations import selectors as org_selectors
from abdi.organisations.access import can_admin_instansi, employee_of
from abdi.organisations.models import Employee, Instansi

from .. import rules, selectors, services
from ..access import can_decide_for, can_view_plan
from ..models import (
    Evidence,
    Indicator,
    OutputEntry,
    PerformanceYear,
    Realisation,
    Rhk,
    RhkContributor,
    RhkFeedback,
    SkpPlan,
)

# --- Lookups ---------------------------------------------------------------------------------


def _me(request: HttpRequest) -> Employee:
    own = employee_of(request.user)
    if own is None:
        raise PermissionDeniedError(_("Only an employee has an SKP."), code="skp.not_employee")
    return own


def _instansi(request: HttpRequest, code: str | None) -> Instansi:
    """Return the agency named by ``code`` (one you belong to or administer) or your own."""
    if code:
        found = org_selectors.instansi_list_for_actor(actor=request.user).filter(code=code).first()
    else:
        own = employee_of(request.user)
        found = own.instansi if own is not None else None
    if found is None:
        raise NotFoundError(_("Agency not found."), code="instansi.not_found")
    return found


def _year(request: HttpRequest, year: int | None, instansi: str | None = None) -> PerformanceYear:
    """Return the agency's performance year ``year``, or its latest one."""
    found = PerformanceYear.objects.select_related("instansi").filter(
        instansi=_instansi(request, instansi)
    )
    if year is not None:
        found = found.filter(year=year)
    result = found.order_by("-year").first()
    if result is None:
        raise NotFoundError(_("Performance year not found."), code="skp.year_not_found")
    return result


def _visible(request: HttpRequest, plan: SkpPlan | None, message: Any, code: str) -> None:
    if plan is None or not can_view_plan(request.user, plan):
        raise NotFoundError(message, code=code)


def _plan(request: HttpRequest, public_id: UUID) -> SkpPlan:
    return selectors.plan_get_for_actor(actor=request.user, public_id=public_id)


# The records the API addresses by their public id, each with the plan it belongs to and the
# plan's owner: whether the actor may see the plan is the first question asked of them.
_RHK = CompiledQuery(
    lambda public_id: Rhk.objects.select_related("plan__employee__position").filter(
        public_id=public_id
    )
)
_INDICATOR = CompiledQuery(
    lambda public_id: Indicator.objects.select_related("rhk__plan__employee__position").filter(
        public_id=public_id
    )
)
_REALISATION = CompiledQuery(
    lambda public_id: Realisation.objects.select_related(
        "indicator__rhk__plan__employee__position"
    ).filter(public_id=public_id)
)


def _rhk(request: HttpRequest, public_id: UUID) -> Rhk:
    found = _RHK.one_or_none(public_id)
    _visible(request, found.plan if found else None, _("Result not found."), "skp.rhk_not_found")
    assert found is not None
    return found


def _indicator(request: HttpRequest, public_id: UUID) -> Indicator:
    found = _INDICATOR.one_or_none(public_id)
    plan = found.rhk.plan if found else None
    _visible(request, plan, _("Indicator not found."), "skp.indicator_not_found")
    assert found is not None
    return found


def _realisation(request: HttpRequest, public_id: UUID) -> Realisation:
    found = _REALISATION.one_or_none(public_id)
    plan = found.indicator.rhk.plan if found else None
    _visible(request, plan, _("Realisation not found."), "skp.realisation_not_found")
    assert found is not None
    return found


def _output(request: HttpRequest, public_id: UUID) -> OutputEntry:
    found = unique_or_none(
        OutputEntry.objects.select_related("employee", "rhk__plan__employee__position").filter(
            public_id=public_id
        )
    )
    plan = found.rhk.plan if found else None
    _visible(request, plan, _("Output entry not found."), "skp.output_not_found")
    assert found is not None
    return found


def _leaders_rhk(plan: SkpPlan, public_id: UUID | None) -> Rhk | None:
    """Return an RHK of the plan's agency (the services check it is the leader's)."""
    if public_id is None:
        return None
    found = Rhk.objects.filter(
        public_id=public_id, plan__year__instansi_id=plan.year.instansi_id
    ).first()
    if found is None:
        raise NotFoundError(_("Result not found."), code="skp.rhk_not_found")
    return found


def _colleague(instansi_id: int, public_id: UUID) -> Employee:
    found = Employee.objects.filter(instansi_id=instansi_id, public_id=public_id).first()
    if found is None:
        raise NotFoundError(_("Employee not found."), code="employee.not_found")
    return found


def _output_owner(request: HttpRequest, public_id: UUID | None) -> Employee:
    """Return you, or an employee whose outputs you decide on or administer."""
    if public_id is None:
        return _me(request)
    found = Employee.objects.filter(public_id=public_id).first()
    own = employee_of(request.user)
    allowed = found is not None and (
        (own is not None and own.pk == found.pk)
        or can_decide_for(own, found)
        or can_admin_instansi(request.user, found.instansi_id)
    )
    if not allowed:
        raise NotFoundError(_("Employee not found."), code="employee.not_found")
    assert found is not None
    return found


def _plan_detail(plan: SkpPlan) -> SkpPlan:
    """Return ``plan`` with its results, indicators, realisations and progress loaded."""
    rhks = Rhk.objects.select_related("parent").prefetch_related(
        Prefetch(
            "indicators",
            queryset=Indicator.objects.prefetch_related(
                Prefetch(
                    "realisations",
                    queryset=Realisation.objects.select_related("indicator").prefetch_related(
                        "evidence"
                    ),
                )
            ),
        ),
        Prefetch(
            "contributors", queryset=RhkContributor.objects.select_related("employee__position")
        ),
        Prefetch("feedback", queryset=RhkFeedback.objects.select_related("author__position")),
    )
    plan = (
        SkpPlan.objects.select_related(
            "year__instansi", "employee__position", "assessor__position", "previous"
        )
        .prefetch_related(Prefetch("rhks", queryset=rhks))
        .get(pk=plan.pk)
    )
    periods = rules.evaluation_periods(plan.year.year, plan.year.rhythm)
    progress = selectors.rhk_progress_for_plan(plan=plan, upto_period=len(periods))
    for rhk in plan.rhks.all():
        rhk.progress = progress.get(rhk.pk)  # type: ignore[attr-defined]
    return plan


def _rhk_detail(rhk: Rhk) -> Rhk:
    """Return ``rhk`` loaded like a result of :func:`_plan_detail`, with its progress."""
    plan = _plan_detail(rhk.plan)
    return next(item for item in plan.rhks.all() if item.pk == rhk.pk)


def _download(content: bytes, content_type: str, plan: SkpPlan, extension: str) -> HttpResponse:
    name = f"SKP-{plan.year.year}-{plan.employee.nip}-v{plan.version}.{extension}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _evidence(
    request: HttpRequest,
    *,
    realisation: Realisation | None = None,
    output: OutputEntry | None = None,
    file: UploadedFile | None,
    url: str,
) -> Evidence:
    return services.evidence_attach(
        actor=request.user, realisation=realisation, output=output, uploaded_file=file, url=url
    )
