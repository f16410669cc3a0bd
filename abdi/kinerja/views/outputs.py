"""The weekly output log of flexible work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from abdi.core.exceptions import DomainError
from abdi.core.forms import add_domain_error

from .. import rules, selectors, services
from ..choices import PlanStatus
from ..forms import (
    OutputForm,
)
from ..models import (
    OutputEntry,
)
from ._common import (
    _me,
    _open_year,
    _today,
)
from .reporting import _attach

__all__ = [
    "outputs",
]


# --- Weekly output log -----------------------------------------------------------------------


@login_required
def outputs(request: HttpRequest) -> HttpResponse:
    """The employee's weekly output log: what was produced, for which result."""
    me = _me(request)
    year = _open_year(me)
    if year is None:
        raise Http404
    plan = selectors.plan_current_for(me, year)
    if plan is not None and plan.status != PlanStatus.APPROVED:
        plan = None
    form = OutputForm(plan=plan, initial={"week": rules.monday_of(_today(year))})
    status = 200
    if request.method == "POST":
        form = OutputForm(request.POST, request.FILES, plan=plan)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    entry = services.output_add(
                        actor=request.user, rhk=data["rhk"], week=data["week"],
                        output=data["output"], quantity=data["quantity"],
                        location=data["location"],
                    )  # fmt: skip
                    _attach(request, data, output=entry)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Output recorded."))
                return redirect("kinerja:output-list")
        status = 422
    entries = (
        OutputEntry.objects.filter(employee=me, rhk__plan__year=year)
        .select_related("rhk")
        .prefetch_related("evidence")
    )
    context = {"year": year, "plan": plan, "form": form, "entries": entries[:200]}
    return render(request, "kinerja/outputs.html", context, status=status)
