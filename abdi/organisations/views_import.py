"""Pages of the employee import: upload, preview with progress, apply, template download."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseStopPolling

from abdi.core.exceptions import DomainError, NotFoundError
from abdi.core.forms import add_domain_error

from . import importing, selectors
from .access import administered_instansi_ids
from .choices import ImportStatus
from .forms import EmployeeImportForm
from .models import EmployeeImport, Instansi

__all__ = ["import_apply", "import_create", "import_detail", "import_progress", "import_template"]

ROWS_PER_PAGE = 100
IN_PROGRESS = {ImportStatus.VALIDATING, ImportStatus.APPLYING}
PROGRESS_TEMPLATE = "organisations/partials/_import_progress.html"
BADGES: dict[str, str] = {
    ImportStatus.VALIDATING: "badge-warn",
    ImportStatus.INVALID: "badge-err",
    ImportStatus.READY: "badge-ok",
    ImportStatus.APPLYING: "badge-warn",
    ImportStatus.DONE: "badge-ok",
    ImportStatus.FAILED: "badge-err",
}


def _administered(request: HttpRequest) -> QuerySet[Instansi]:
    """Return the agencies the user may import into; 404 for everybody else."""
    user = request.user
    agencies = Instansi.objects.order_by("name")
    if not user.is_superuser:
        agencies = agencies.filter(pk__in=administered_instansi_ids(user))
    if not agencies.exists():
        raise Http404
    return agencies


def _progress_context(employee_import: EmployeeImport) -> dict[str, Any]:
    status = employee_import.status
    return {
        "employee_import": employee_import,
        "summary": employee_import.summary,
        "badge": BADGES.get(status, ""),
        "in_progress": status in IN_PROGRESS,
        "validating": status == ImportStatus.VALIDATING,
        "applying": status == ImportStatus.APPLYING,
        "invalid": status == ImportStatus.INVALID,
        "done": status == ImportStatus.DONE,
    }


@login_required
def import_create(request: HttpRequest) -> HttpResponse:
    """Upload an employee file for one of the actor's agencies, then show its preview."""
    agencies = _administered(request)
    form = EmployeeImportForm(request.POST or None, request.FILES or None, instansi_qs=agencies)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = importing.employee_import_create(
                    actor=request.user,
                    instansi=form.cleaned_data["instansi"],
                    uploaded_file=form.cleaned_data["file"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("organisations:import-detail", public_id=created.public_id)
        status = 422
    recent = list(importing.employee_import_list_for_actor(actor=request.user)[:20])
    for item in recent:
        item.badge = BADGES.get(item.status, "")  # type: ignore[attr-defined]
    context = {"form": form, "columns": importing.COLUMNS, "imports": recent}
    return render(request, "organisations/import_create.html", context, status=status)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    """Download the .xlsx template with the header row and an example row."""
    _administered(request)
    response = HttpResponse(importing.template_workbook(), content_type=importing.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="templat-impor-pegawai.xlsx"'
    return response


def _get(request: HttpRequest, public_id: Any) -> EmployeeImport:
    try:
        return selectors.import_get_for_actor(actor=request.user, public_id=public_id)
    except NotFoundError as exc:
        raise Http404 from exc


@login_required
def import_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Show an import's status and its rows, those with problems first, 100 per page."""
    employee_import = _get(request, public_id)
    rows = sorted(employee_import.rows, key=lambda row: (not row["errors"], row["line"]))
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    language = translation.get_language() or settings.LANGUAGE_CODE
    for row in page.object_list:
        for problem in row["errors"]:
            problem["text"] = problem.get("messages", {}).get(language, problem["message"])
    summary = employee_import.summary
    context = {
        **_progress_context(employee_import),
        "page": page,
        "can_apply": employee_import.status == ImportStatus.READY,
        "apply_count": summary.get("create", 0) + summary.get("update", 0),
    }
    return render(request, "organisations/import_detail.html", context)


@login_required
def import_progress(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Return the progress partial; once finished, stop htmx polling (286) and reload."""
    employee_import = (
        importing.employee_import_list_for_actor(actor=request.user)
        .filter(public_id=public_id)
        .first()
    )
    if employee_import is None:
        raise Http404
    context = _progress_context(employee_import)
    if context["in_progress"]:
        return render(request, PROGRESS_TEMPLATE, context)
    response = HttpResponseStopPolling(render_to_string(PROGRESS_TEMPLATE, context, request))
    if getattr(request, "htmx", False):
        # The rows table and the apply button appear only on the full page.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def import_apply(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Apply a previewed import; without a worker this finishes before the redirect."""
    employee_import = _get(request, public_id)
    try:
        importing.employee_import_confirm(actor=request.user, import_=employee_import)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("organisations:import-detail", public_id=employee_import.public_id)
    employee_import.refresh_from_db(fields=["status", "summary", "error_count", "failure"])
    applied = employee_import.summary.get("applied", {})
    if employee_import.status == ImportStatus.DONE:
        messages.success(
            request,
            _("Imported: %(created)s new and %(updated)s updated employees.")
            % {"created": applied.get("created", 0), "updated": applied.get("updated", 0)},
        )
    elif employee_import.status == ImportStatus.INVALID:
        messages.error(
            request,
            _("Nothing was imported: the data changed since the preview. See the problems below."),
        )
    elif employee_import.status == ImportStatus.FAILED:
        messages.error(request, employee_import.failure)
    else:
        messages.info(request, _("The import has started. This page shows its progress."))
    return redirect("organisations:import-detail", public_id=employee_import.public_id)
