"""The agency administrator's evaluation page: settings, organisation predicate, consequence
rules, annual predicates, closing a period, the curve check and the payroll export."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abdi.core.exceptions import DomainError
from abdi.organisations.models import UnitKerja

from .. import services
from ..choices import ANNUAL, YearStatus
from ..evaluation import selectors as evaluation_selectors
from ..evaluation.forms import ClosePeriodForm, OrgPredicateForm, RuleForm, SettingsForm
from ..models import ConsequenceRule, OrganisationPredicate, PerformanceYear, PeriodClosure
from ..views_admin import _instansi
from ._common import _started_periods

__all__ = [
    "evaluation_manage",
    "manage_annual",
    "manage_close",
    "manage_org_predicate",
    "manage_rule_add",
    "manage_rule_remove",
    "manage_settings",
    "manage_tpp_xlsx",
]


def _year(request: HttpRequest) -> PerformanceYear:
    instansi = _instansi(request)
    year = (
        PerformanceYear.objects.select_related("instansi")
        .filter(instansi=instansi, status=YearStatus.OPEN)
        .order_by("-year")
        .first()
    )
    if year is None:
        raise Http404
    return year


def _url(year: PerformanceYear) -> str:
    return f"{reverse('kinerja:evaluation-manage')}?instansi={year.instansi.code}"


def _period_choices(year: PerformanceYear) -> list[tuple[int, str]]:
    choices = [
        (p.index, evaluation_selectors.period_label(year, p.index)) for p in _started_periods(year)
    ]
    return [*choices, (ANNUAL, evaluation_selectors.period_label(year, ANNUAL))]


@login_required
def evaluation_manage(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    units = list(UnitKerja.objects.filter(instansi=year.instansi).order_by("path"))
    closures = {c.period: c for c in PeriodClosure.objects.filter(year=year)}
    try:
        period = int(request.GET.get("periode", ""))
    except ValueError:
        period = max(closures) if closures else (_started_periods(year) or [None])[-1].index  # type: ignore[union-attr]
    settings_row = evaluation_selectors.evaluation_settings_for(year.instansi_id)
    return render(
        request, "kinerja/evaluation_manage.html",
        {
            "year": year, "instansi": year.instansi, "query": f"?instansi={year.instansi.code}",
            "settings_form": SettingsForm(initial={
                "annual_policy": settings_row.annual_policy,
                "appeal_working_days": settings_row.appeal_working_days,
            }),
            "org_form": OrgPredicateForm(units=units),
            "org_predicates": OrganisationPredicate.objects.filter(year=year)
            .select_related("unit"),
            "rule_form": RuleForm(),
            "rules": ConsequenceRule.objects.filter(instansi=year.instansi, active=True),
            "close_form": ClosePeriodForm(
                periods=[c for c in _period_choices(year) if c[0] not in closures]
            ),
            "closures": closures.values(),
            "period": period,
            "period_choices": _period_choices(year),
            "report": evaluation_selectors.curve_report(year, period),
            "consequences": evaluation_selectors.consequences_for(year, period)[:200],
            "closed": period in closures,
        },
    )  # fmt: skip


def _done(request: HttpRequest, year: PerformanceYear, action: Any) -> HttpResponse:
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect(_url(year))


@login_required
@require_POST
def manage_settings(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    form = SettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the settings."))
        return redirect(_url(year))
    return _done(
        request,
        year,
        lambda: services.evaluation_settings_update(
            actor=request.user, instansi=year.instansi, **form.cleaned_data
        ),
    )


@login_required
@require_POST
def manage_org_predicate(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    units = UnitKerja.objects.filter(instansi=year.instansi)
    form = OrgPredicateForm(request.POST, units=units)
    if not form.is_valid():
        raise Http404
    unit = (
        units.filter(public_id=form.cleaned_data["unit"]).first()
        if form.cleaned_data["unit"]
        else None
    )
    return _done(
        request,
        year,
        lambda: services.organisation_predicate_set(
            actor=request.user, year=year, predicate=form.cleaned_data["predicate"], unit=unit
        ),
    )


@login_required
@require_POST
def manage_rule_add(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    form = RuleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the rule."))
        return redirect(_url(year))
    return _done(
        request,
        year,
        lambda: services.consequence_rule_add(
            actor=request.user, instansi=year.instansi, **form.cleaned_data
        ),
    )


@login_required
@require_POST
def manage_rule_remove(request: HttpRequest, public_id: Any) -> HttpResponse:
    year = _year(request)
    rule = ConsequenceRule.objects.filter(public_id=public_id, instansi=year.instansi).first()
    if rule is None:
        raise Http404
    return _done(
        request, year, lambda: services.consequence_rule_remove(actor=request.user, rule=rule)
    )


@login_required
@require_POST
def manage_close(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    form = ClosePeriodForm(request.POST, periods=_period_choices(year))
    if not form.is_valid():
        raise Http404
    return _done(
        request,
        year,
        lambda: services.period_close(
            actor=request.user, year=year, period=form.cleaned_data["period"]
        ),
    )


@login_required
@require_POST
def manage_annual(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    return _done(
        request, year, lambda: services.annual_evaluations_compute(actor=request.user, year=year)
    )


@login_required
def manage_tpp_xlsx(request: HttpRequest, period: int) -> HttpResponse:
    year = _year(request)
    content = evaluation_selectors.consequences_xlsx(year, period)
    response = HttpResponse(content, content_type=evaluation_selectors.XLSX)
    name = f"tpp-{year.instansi.code}-{year.year}-{period}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
