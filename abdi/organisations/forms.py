"""Forms that only parse input; services do the writing."""

from typing import Any

from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import EmployeeStatus, PositionKind
from .models import Instansi, Position, UnitKerja


def _positions(instansi: Instansi) -> QuerySet[Position]:
    """Return the agency's positions with what their choice labels show, in one query."""
    return Position.objects.filter(instansi=instansi).select_related("unit", "holder")


class PositionChoiceField(forms.ModelChoiceField):
    """A position select whose options tell equal titles apart by unit and holder."""

    def label_from_instance(self, obj: Any) -> str:
        try:
            holder = obj.holder.full_name
        except ObjectDoesNotExist:
            holder = gettext("vacant")
        return f"{obj.title} — {obj.unit.name} ({holder})"


class UnitForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    parent = forms.ModelChoiceField(
        label=_("Parent unit"), queryset=UnitKerja.objects.none(), required=False
    )

    def __init__(self, *args: Any, instansi: Instansi, exclude_path: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        units = UnitKerja.objects.filter(instansi=instansi).order_by("path")
        if exclude_path:
            units = units.exclude(path__startswith=exclude_path)
        self.fields["parent"].queryset = units  # type: ignore[attr-defined]


class PositionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=UnitKerja.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=PositionKind.choices, initial=PositionKind.PELAKSANA
    )
    is_unit_head = forms.BooleanField(label=_("Head of the unit"), required=False)
    reports_to = PositionChoiceField(
        label=_("Reports to"), queryset=Position.objects.none(), required=False
    )

    def __init__(self, *args: Any, instansi: Instansi, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = UnitKerja.objects.filter(instansi=instansi)  # type: ignore[attr-defined]
        leaders = _positions(instansi).order_by("chain")
        self.fields["reports_to"].queryset = leaders  # type: ignore[attr-defined]


class EmployeeForm(forms.Form):
    nip = forms.CharField(
        label=_("NIP"),
        max_length=24,
        help_text=_("18 digits; spaces are allowed."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    front_title = forms.CharField(label=_("Front title"), max_length=50, required=False)
    name = forms.CharField(label=_("Name"), max_length=200)
    back_title = forms.CharField(label=_("Back title"), max_length=80, required=False)
    position = PositionChoiceField(
        label=_("Position"),
        queryset=Position.objects.none(),
        required=False,
        help_text=_("Vacant positions are listed first."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=EmployeeStatus.choices, initial=EmployeeStatus.ACTIVE
    )
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    def __init__(self, *args: Any, instansi: Instansi, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        held = ExpressionWrapper(Q(holder__isnull=False), output_field=BooleanField())
        self.fields["position"].queryset = (  # type: ignore[attr-defined]
            _positions(instansi).annotate(held=held).order_by("held", "unit__path", "title", "pk")
        )
        if editing:
            self.fields["nip"].disabled = True


class EmployeeImportForm(forms.Form):
    instansi = forms.ModelChoiceField(label=_("Agency"), queryset=Instansi.objects.none())
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel (.xlsx) or CSV, with the columns of the template."),
    )

    def __init__(self, *args: Any, instansi_qs: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["instansi"]
        field.queryset = instansi_qs  # type: ignore[attr-defined]
        if instansi_qs.count() == 1:
            # Nothing to choose: no "---------" option.
            field.empty_label = None  # type: ignore[attr-defined]
            field.initial = instansi_qs.first()
