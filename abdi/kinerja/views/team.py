"""My team, the cascade tree and the role-result matrix."""

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abdi.core.exceptions import DomainError
from abdi.core.forms import add_domain_error
from abdi.core.frames import render_framed
from abdi.core.trees import path_ids
from abdi.organisations.models import Employee

from .. import selectors, services
from ..access import can_decide_for
from ..choices import ReportStatus
from ..forms import (
    DecisionForm,
)
from ..models import (
    OutputEntry,
    PerformanceYear,
    Rhk,
)
from ._common import (
    _me,
    _open_year,
    _percent,
    _started_periods,
    kept_partial,
    tabs_shown,
)
from .plan import XLSX

__all__ = [
    "TreeItem",
    "cascade",
    "matrix",
    "matrix_xlsx",
    "output_decide",
    "team",
]


# --- My team ---------------------------------------------------------------------------------


TEAM_PARTIAL = "kinerja/partials/_team.html"


def _team_context(
    me: Employee, year: PerformanceYear, today: date, members: list[Employee]
) -> dict[str, Any]:
    rows = selectors.team_status(leader=me, year=year, today=today, members=members)
    ids = [row.employee.pk for row in rows]
    outputs = list(
        OutputEntry.objects.filter(
            employee_id__in=ids, rhk__plan__year=year, status=ReportStatus.SUBMITTED
        )
        .select_related("employee", "rhk")
        .prefetch_related("evidence")
        .order_by("employee__name", "-week")
    )
    return {"year": year, "rows": rows, "outputs": outputs}


def _team_members(request: HttpRequest) -> tuple[Employee, PerformanceYear, date, list[Employee]]:
    """The signed-in leader, the open year, today there, and the team; 404 without one."""
    me = _me(request)
    year = _open_year(me)
    if year is None:
        raise Http404
    today = year.instansi.local_date()
    members = selectors.team_members(leader=me, today=today)
    if not members:
        raise Http404
    return me, year, today, members


def _team_page(
    request: HttpRequest, year: PerformanceYear, team_html: SafeString, status: int = 200
) -> HttpResponse:
    return render_framed(
        request,
        "kinerja/team.html",
        {"year": year},
        body_name="team_html",
        body=team_html,
        key=[*tabs_shown(request), year.year],
        status=status,
    )


@login_required
def team(request: HttpRequest) -> HttpResponse:
    """A leader's team, with a Plt/Plh's covered staff: who planned, who reported, what waits.

    Kept in the cache between two changes, as the plan page is (ADR 0006): the key holds the
    members, their names and positions, and a fingerprint of their plans and outputs.
    """
    me, year, today, members = _team_members(request)
    key = [
        request.user.pk,
        year.pk,
        year.updated_at,
        today,
        *((m.pk, m.updated_at, m.position.updated_at if m.position else "") for m in members),
        selectors.team_page_fingerprint(year=year, members=members),
    ]
    html = kept_partial(
        request, "team-page", key, lambda: _team_context(me, year, today, members), TEAM_PARTIAL
    )
    return _team_page(request, year, html)


@login_required
@require_POST
def output_decide(request: HttpRequest, public_id: Any) -> HttpResponse:
    me, year, today, members = _team_members(request)
    entry = OutputEntry.objects.select_related("employee").filter(public_id=public_id).first()
    if entry is None or not can_decide_for(me, entry.employee):
        raise Http404
    form = DecisionForm(request.POST, prefix=f"o{entry.pk}")
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                services.output_accept(actor=request.user, entry=entry)
            else:
                services.output_return(
                    actor=request.user, entry=entry, comment=form.cleaned_data["comment"]
                )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Decision saved."))
            return redirect("kinerja:team")
    context = _team_context(me, year, today, members)
    context.update(error_entry=entry.pk, error_form=form)
    return _team_page(request, year, render_to_string(TEAM_PARTIAL, context, request), status=422)


# --- Cascade and matrix ----------------------------------------------------------------------


@dataclass
class TreeItem:
    rhk: Rhk
    employee: Employee
    progress: int | None
    children: list["TreeItem"]


def _in_line(viewer_chain: str, owner_chain: str) -> bool:
    """Whether the owner is the viewer, above the viewer or below the viewer."""
    return owner_chain.startswith(viewer_chain) or viewer_chain.startswith(owner_chain)


@login_required
def cascade(request: HttpRequest) -> HttpResponse:
    """The cascade from the head of the agency's plan down, with rolled-up progress.

    Only the viewer's own line is shown (their leaders' and subordinates' results); the
    progress of other branches still rolls up into the numbers.
    """
    me = _me(request)
    year = _open_year(me)
    if year is None or me.position is None:
        raise Http404
    top_position_id = path_ids(me.position.chain)[0]
    head = Employee.objects.filter(position_id=top_position_id).first()
    root_plan = selectors.plan_current_for(head, year) if head is not None else None
    items: list[TreeItem] = []
    if root_plan is not None:
        tree = selectors.cascade_tree(year=year, root_plan=root_plan)
        periods = _started_periods(year)
        progress = selectors.rhk_progress_for_year(
            year=year, upto_period=periods[-1].index if periods else 0
        )
        chain = me.position.chain

        def convert(node: selectors.CascadeNode) -> TreeItem:
            children = [
                convert(child)
                for child in node.supporting
                if child.employee.position is not None
                and _in_line(chain, child.employee.position.chain)
            ]
            return TreeItem(node.rhk, node.employee, _percent(progress.get(node.rhk.pk)), children)

        items = [convert(node) for node in tree.rhks]
    context = {"year": year, "root_plan": root_plan, "items": items}
    return render(request, "kinerja/cascade.html", context)


def _matrix(request: HttpRequest) -> tuple[Any, Any, Any, Any]:
    me = _me(request)
    year = _open_year(me)
    if year is None or me.position is None:
        raise Http404
    unit = me.position.unit
    rows, columns = selectors.role_result_matrix(year=year, unit=unit)
    return year, unit, rows, columns


@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    """The role–result matrix (Matriks Peran Hasil) of the signed-in employee's unit."""
    year, unit, rows, columns = _matrix(request)
    context = {"year": year, "unit": unit, "rows": rows, "columns": columns}
    return render(request, "kinerja/matrix.html", context)


@login_required
def matrix_xlsx(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    year, unit, rows, columns = _matrix(request)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Matriks Peran Hasil"
    sheet.append([f"{unit.name} — {year.year}"])
    sheet.append([_("Result of the unit head")] + [c.employee.full_name for c in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        values = [row.rhk.text]
        for cell in row.cells:
            parts = [rhk.text for rhk in cell.rhks] + [role for role in cell.roles if role]
            values.append("\n".join(parts))
        sheet.append(values)
    for line in sheet.iter_rows(min_row=3):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"matriks-peran-hasil-{unit.code}-{year.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
