"""Dashboards for leaders: thin views over the selectors, with table views and exports."""

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from abdi.organisations.models import Employee, Instansi, UnitKerja

from . import access, exports, facts, opendata, selectors
from .forms import OpenDataForm, PeriodForm
from .rules import Period

__all__ = ["agency", "home", "national", "open_data", "open_data_file", "person", "unit"]


def _period(request: HttpRequest, instansi: Instansi | None) -> tuple[PeriodForm, Period | None]:
    """The period asked for; by default the last complete month (this one in January's
    first days of data, when nothing earlier exists). None when the input is invalid."""
    today = instansi.local_date() if instansi is not None else timezone.localdate()
    default = (
        selectors.latest_fact_period(instansi, before=Period.containing(today))
        if instansi is not None
        else None
    ) or Period.containing(today.replace(day=1) - timedelta(days=1))
    initial = {"tahun": default.year, "bulan": default.month}
    if not request.GET.get("tahun") and not request.GET.get("bulan"):
        return PeriodForm(initial=initial), default
    form = PeriodForm(request.GET, initial=initial)
    if form.is_valid():
        return form, Period(form.cleaned_data["tahun"], form.cleaned_data["bulan"])
    return form, None


def _invalid(request: HttpRequest, form: PeriodForm) -> HttpResponse:
    """Bad period input: the form with its Indonesian messages, no figures, no file."""
    return render(request, "wawasan/invalid_period.html", {"form": form}, status=422)


def _export_or_page(
    request: HttpRequest, template: str, context: dict[str, Any], tables: list[selectors.Table]
) -> HttpResponse:
    wanted = request.GET.get("format", "")
    if wanted in ("xlsx", "csv"):
        key = request.GET.get("tabel", "")
        if wanted == "csv" and key and key not in {table.key for table in tables}:
            raise Http404
        return exports.response(tables, wanted, key=key, name=context["filename"])
    return render(request, template, context)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each leader to their own dashboard."""
    if access.can_view_national(request.user):
        return redirect("wawasan:national")
    instansi, unit_ = access.home_scope_of(request.user)
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    if unit_ is not None:
        return redirect(reverse("wawasan:unit", args=[unit_.public_id]) + query)
    if instansi is not None:
        return redirect(reverse("wawasan:agency", args=[instansi.public_id]) + query)
    return render(request, "wawasan/none.html", status=403)


def _render_dashboard(
    request: HttpRequest, instansi: Instansi, unit_: UnitKerja | None
) -> HttpResponse:
    facts.refresh_before_reading()
    form, period = _period(request, instansi)
    if period is None:
        return _invalid(request, form)
    data = selectors.dashboard(instansi=instansi, unit=unit_, period=period)
    # Units above the viewer's own are shown by name only: their pages are not theirs.
    linked = {c.pk for c in data.breadcrumbs if access.can_view_unit(request.user, c)}
    code = unit_.code if unit_ is not None else instansi.code
    context = {
        "data": data,
        "form": form,
        "period": period,
        "filename": f"wawasan-{code}-{period.year}-{period.month:02d}",
        "can_national": access.can_view_national(request.user),
        "can_agency": access.can_view_agency(request.user, instansi),
        "linked_crumbs": linked,
        "query": request.GET.urlencode(),
    }
    return _export_or_page(request, "wawasan/dashboard.html", context, list(data.tables.values()))


@login_required
def agency(request: HttpRequest, public_id: str) -> HttpResponse:
    instansi = Instansi.objects.filter(public_id=public_id).first()
    if instansi is None or not access.can_view_agency(request.user, instansi):
        raise Http404
    return _render_dashboard(request, instansi, None)


@login_required
def unit(request: HttpRequest, public_id: str) -> HttpResponse:
    found = UnitKerja.objects.select_related("instansi").filter(public_id=public_id).first()
    if found is None or not access.can_view_unit(request.user, found):
        raise Http404
    return _render_dashboard(request, found.instansi, found)


@login_required
def national(request: HttpRequest) -> HttpResponse:
    if not access.can_view_national(request.user):
        raise Http404
    facts.refresh_before_reading()
    form, period = _period(request, None)
    if period is None:
        return _invalid(request, form)
    table = selectors.national(period=period)
    context = {
        "table": table,
        "form": form,
        "period": period,
        "filename": f"wawasan-nasional-{period.year}-{period.month:02d}",
        "query": request.GET.urlencode(),
    }
    return _export_or_page(request, "wawasan/national.html", context, [table])


@login_required
def person(request: HttpRequest, public_id: str) -> HttpResponse:
    employee = (
        Employee.objects.select_related("position__unit", "instansi")
        .filter(public_id=public_id)
        .first()
    )
    if employee is None or not access.can_view_person(request.user, employee):
        raise Http404
    form, period = _period(request, employee.instansi)
    if period is None:
        return _invalid(request, form)
    figures = selectors.person(employee=employee, year=period.year)
    unit_ = employee.position.unit if employee.position else None
    return render(
        request,
        "wawasan/person.html",
        {
            "figures": figures,
            "form": form,
            "period": period,
            "unit": unit_,
            "can_unit": unit_ is not None and access.can_view_unit(request.user, unit_),
        },
    )


def open_data(request: HttpRequest) -> HttpResponse:
    """The open-data page: anonymised service statistics anyone may download."""
    form = OpenDataForm(request.GET or None)
    return render(
        request,
        "wawasan/open_data.html",
        {"form": form, "schema": opendata.SCHEMA, "agencies": Instansi.objects.order_by("name")},
    )


def open_data_file(request: HttpRequest, fmt: str) -> HttpResponse:
    form = OpenDataForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "wawasan/open_data.html",
            {
                "form": form,
                "schema": opendata.SCHEMA,
                "agencies": Instansi.objects.order_by("name"),
            },
            status=422,
        )
    year = form.cleaned_data["tahun"]
    instansi = form.cleaned_data.get("instansi")
    facts.refresh_before_reading()
    rows = opendata.service_rows(year=year, instansi=instansi)
    name = f"abdi-layanan-{year}" + (f"-{instansi.code}" if instansi else "")
    if fmt == "parquet":
        response = HttpResponse(
            opendata.to_parquet(rows), content_type="application/vnd.apache.parquet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.parquet"'
        return response
    response = HttpResponse(opendata.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
