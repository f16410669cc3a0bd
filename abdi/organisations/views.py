"""Pages of the organisations app: unit tree, positions, employees, profiles."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from abdi.core.exceptions import DomainError, NotFoundError
from abdi.core.forms import add_domain_error

from . import selectors, services
from .access import can_admin_instansi, can_view_unit_staff, employee_of
from .forms import EmployeeForm, PositionForm, UnitForm
from .models import Instansi, Position, UnitKerja


@dataclass
class TreeNode:
    unit: UnitKerja
    children: list["TreeNode"] = field(default_factory=list)


def build_tree(units: list[UnitKerja]) -> list[TreeNode]:
    """Nest units (ordered by path) under their parents; orphans of the scope become roots."""
    nodes = {u.pk: TreeNode(u) for u in units}
    roots: list[TreeNode] = []
    for unit in units:
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        (parent.children if parent else roots).append(nodes[unit.pk])
    return roots


def _instansi_for(request: HttpRequest, code: str) -> Instansi:
    instansi = selectors.instansi_list_for_actor(actor=request.user).filter(code=code).first()
    if instansi is None:
        raise Http404
    return instansi


def _unit_from_query(instansi: Instansi, value: str | None) -> UnitKerja | None:
    """Return the agency's unit named by a ``?parent=`` / ``?unit=`` id; None if not one."""
    try:
        public_id = uuid.UUID(value or "")
    except ValueError:
        return None
    return UnitKerja.objects.filter(instansi=instansi, public_id=public_id).first()


def _require_admin(request: HttpRequest, instansi: Instansi) -> None:
    if not can_admin_instansi(request.user, instansi.pk):
        raise Http404


@login_required
def organisation_index(request: HttpRequest) -> HttpResponse:
    """List the actor's agencies, or go straight to the only one."""
    agencies = list(selectors.instansi_list_for_actor(actor=request.user))
    if len(agencies) == 1:
        return redirect("organisations:unit-tree", code=agencies[0].code)
    return render(request, "organisations/instansi_list.html", {"agencies": agencies})


@login_required
def unit_tree(request: HttpRequest, code: str) -> HttpResponse:
    """Show the agency's unit tree with each unit's head."""
    instansi = _instansi_for(request, code)
    units = list(selectors.unit_list_for_actor(actor=request.user, instansi=instansi))
    context = {
        "instansi": instansi,
        "tree": build_tree(units),
        "unit_count": len(units),
        "can_admin": can_admin_instansi(request.user, instansi.pk),
    }
    return render(request, "organisations/unit_tree.html", context)


@login_required
def unit_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """Show a unit and its positions; its staff list only to those who may see all of it.

    Holders' names are shown to everyone who may see the unit, each linked to the profile
    only when the actor may open it.
    """
    try:
        unit = selectors.unit_get_for_actor(actor=request.user, public_id=public_id)
    except NotFoundError as exc:
        raise Http404 from exc
    positions = list(unit.positions.select_related("holder", "reports_to").order_by("chain"))
    holder_ids = [p.holder.pk for p in positions if hasattr(p, "holder")]
    viewable = selectors.employee_list_for_actor(actor=request.user).filter(pk__in=holder_ids)
    context = {
        "unit": unit,
        "instansi": unit.instansi,
        "positions": positions,
        "viewable_holder_ids": set(viewable.order_by().values_list("pk", flat=True)),
        "can_view_staff": can_view_unit_staff(request.user, unit),
        "can_admin": can_admin_instansi(request.user, unit.instansi_id),
    }
    if context["can_view_staff"]:
        employees = selectors.employee_list_for_actor(actor=request.user, unit=unit)
        context.update(employees=employees[:200], employee_total=employees.count())
    return render(request, "organisations/unit_detail.html", context)


def _unit_tree_link(instansi: Instansi) -> tuple[str, str]:
    return reverse("organisations:unit-tree", kwargs={"code": instansi.code}), instansi.name


def _unit_link(unit: UnitKerja | None, instansi: Instansi) -> tuple[str, str]:
    """Return the link to ``unit``, or to the agency's unit tree when there is none."""
    if unit is None:
        return _unit_tree_link(instansi)
    return reverse("organisations:unit-detail", kwargs={"public_id": unit.public_id}), unit.name


class _AdminFormView(LoginRequiredMixin, View):
    """A create or edit page for an agency administrator: parse, call a service, redirect."""

    template_name = "organisations/form.html"
    title: Any = ""

    def get_instansi(self) -> Instansi:
        instansi = _instansi_for(self.request, self.kwargs["code"])
        _require_admin(self.request, instansi)
        return instansi

    def get_object(self) -> Any:
        return None

    def make_form(self, data: Any = None) -> Any:
        raise NotImplementedError

    def save(self, form: Any) -> Any:
        raise NotImplementedError

    def success_url(self, obj: Any) -> str:
        raise NotImplementedError

    def cancel_link(self) -> tuple[str, str]:
        """Return the URL and name of the page the form came from, for "back" and "Cancel"."""
        return _unit_tree_link(self.instansi)

    def render_form(self, form: Any, status: int = 200) -> HttpResponse:
        cancel_url, cancel_label = self.cancel_link()
        context = {
            "form": form, "title": self.title, "instansi": self.instansi,
            "cancel_url": cancel_url, "cancel_label": cancel_label,
        }  # fmt: skip
        return render(self.request, self.template_name, context, status=status)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.instansi = self.get_instansi()
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.make_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                obj = self.save(form)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(self.success_url(obj))
        return self.render_form(form, status=422)


class UnitCreateView(_AdminFormView):
    title = gettext_lazy("New unit")

    def make_form(self, data: Any = None) -> UnitForm:
        initial = {"parent": _unit_from_query(self.instansi, self.request.GET.get("parent"))}
        return UnitForm(data, instansi=self.instansi, initial=initial)

    def save(self, form: UnitForm) -> UnitKerja:
        return services.unit_create(
            actor=self.request.user, instansi=self.instansi, **form.cleaned_data
        )

    def success_url(self, obj: UnitKerja) -> str:
        return reverse("organisations:unit-tree", kwargs={"code": self.instansi.code})

    def cancel_link(self) -> tuple[str, str]:
        parent = _unit_from_query(self.instansi, self.request.GET.get("parent"))
        return _unit_link(parent, self.instansi)


class UnitUpdateView(_AdminFormView):
    title = gettext_lazy("Edit unit")

    def get_object(self) -> UnitKerja:
        return get_object_or_404(
            UnitKerja, instansi=self.instansi, public_id=self.kwargs["public_id"]
        )

    def make_form(self, data: Any = None) -> UnitForm:
        unit = self.object
        initial = {"code": unit.code, "name": unit.name, "parent": unit.parent}
        return UnitForm(data, instansi=self.instansi, exclude_path=unit.path, initial=initial)

    def save(self, form: UnitForm) -> UnitKerja:
        return services.unit_update(actor=self.request.user, unit=self.object, **form.cleaned_data)

    def success_url(self, obj: UnitKerja) -> str:
        return reverse("organisations:unit-detail", kwargs={"public_id": obj.public_id})

    def cancel_link(self) -> tuple[str, str]:
        return _unit_link(self.object, self.instansi)


class PositionCreateView(_AdminFormView):
    title = gettext_lazy("New position")

    def make_form(self, data: Any = None) -> PositionForm:
        initial = {"unit": _unit_from_query(self.instansi, self.request.GET.get("unit"))}
        return PositionForm(data, instansi=self.instansi, initial=initial)

    def save(self, form: PositionForm) -> Position:
        return services.position_create(actor=self.request.user, **form.cleaned_data)

    def success_url(self, obj: Position) -> str:
        return reverse("organisations:unit-detail", kwargs={"public_id": obj.unit.public_id})

    def cancel_link(self) -> tuple[str, str]:
        unit = _unit_from_query(self.instansi, self.request.GET.get("unit"))
        return _unit_link(unit, self.instansi)


class PositionUpdateView(_AdminFormView):
    title = gettext_lazy("Edit position")

    def get_object(self) -> Position:
        return get_object_or_404(
            Position.objects.select_related("unit"),
            instansi=self.instansi,
            public_id=self.kwargs["public_id"],
        )

    def make_form(self, data: Any = None) -> PositionForm:
        p = self.object
        initial = {
            "title": p.title, "unit": p.unit, "kind": p.kind,
            "is_unit_head": p.is_unit_head, "reports_to": p.reports_to,
        }  # fmt: skip
        return PositionForm(data, instansi=self.instansi, initial=initial)

    def save(self, form: PositionForm) -> Position:
        return services.position_update(
            actor=self.request.user, position=self.object, **form.cleaned_data
        )

    def success_url(self, obj: Position) -> str:
        return reverse("organisations:unit-detail", kwargs={"public_id": obj.unit.public_id})

    def cancel_link(self) -> tuple[str, str]:
        return _unit_link(self.object.unit, self.instansi)


class EmployeeCreateView(_AdminFormView):
    title = gettext_lazy("New employee")

    def make_form(self, data: Any = None) -> EmployeeForm:
        return EmployeeForm(data, instansi=self.instansi)

    def save(self, form: EmployeeForm) -> Any:
        return services.employee_create(
            actor=self.request.user, instansi=self.instansi, **form.cleaned_data
        )

    def success_url(self, obj: Any) -> str:
        return reverse("organisations:employee-detail", kwargs={"public_id": obj.public_id})


class EmployeeUpdateView(_AdminFormView):
    title = gettext_lazy("Edit employee")

    def get_object(self) -> Any:
        return get_object_or_404(
            self.instansi.employees.select_related("position"), public_id=self.kwargs["public_id"]
        )

    def make_form(self, data: Any = None) -> EmployeeForm:
        e = self.object
        initial = {
            "nip": e.nip, "front_title": e.front_title, "name": e.name, "back_title": e.back_title,
            "position": e.position, "status": e.status, "email": e.email, "phone": e.phone,
        }  # fmt: skip
        return EmployeeForm(data, instansi=self.instansi, editing=True, initial=initial)

    def save(self, form: EmployeeForm) -> Any:
        data = {k: v for k, v in form.cleaned_data.items() if k != "nip"}
        return services.employee_update(actor=self.request.user, employee=self.object, **data)

    def cancel_link(self) -> tuple[str, str]:
        url = reverse("organisations:employee-detail", kwargs={"public_id": self.object.public_id})
        return url, self.object.full_name

    def success_url(self, obj: Any) -> str:
        return reverse("organisations:employee-detail", kwargs={"public_id": obj.public_id})


@login_required
def employee_list(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """List the employees the actor may see, with search; htmx swaps only the table."""
    instansi = _instansi_for(request, code) if code else None
    search = request.GET.get("q", "").strip()
    qs = selectors.employee_list_for_actor(actor=request.user, instansi=instansi, search=search)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    can_admin = instansi is not None and can_admin_instansi(request.user, instansi.pk)
    context = {"page": page, "search": search, "instansi": instansi, "can_admin": can_admin}
    template = "organisations/employee_list.html"
    if request.htmx and request.htmx.target == "employee-table":  # type: ignore[attr-defined]
        template = "organisations/partials/_employee_table.html"
    return render(request, template, context)


def _render_employee(request: HttpRequest, employee: Any, *, is_self: bool) -> HttpResponse:
    context = {
        "employee": employee,
        "orbit": selectors.employee_orbit(employee=employee),
        "is_self": is_self,
        "can_admin": can_admin_instansi(request.user, employee.instansi_id),
    }
    return render(request, "organisations/employee_detail.html", context)


@login_required
def employee_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """Show an employee's profile and orbit, if the actor may see them."""
    try:
        employee = selectors.employee_get_for_actor(actor=request.user, public_id=public_id)
    except (NotFoundError, ValueError) as exc:
        raise Http404 from exc
    me = employee_of(request.user)
    return _render_employee(request, employee, is_self=me is not None and me.pk == employee.pk)


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    """Show the signed-in employee's own profile, leader and subordinates."""
    employee = employee_of(request.user)
    if employee is None:
        raise Http404
    return _render_employee(request, employee, is_self=True)
