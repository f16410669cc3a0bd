"""Forms that only parse input; services do the writing."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import EmployeeStatus, PositionKind
from .models import Instansi, Position, UnitKerja


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
    kind = forms.ChoiceField(label=_("Kind"), choices=PositionKind.choices)
    is_unit_head = forms.BooleanField(label=_("Head of the unit"), required=False)
    reports_to = forms.ModelChoiceField(
        label=_("Reports to"), queryset=Position.objects.none(), required=False
    )

    def __init__(self, *args: Any, instansi: Instansi, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = UnitKerja.objects.filter(instansi=instansi)  # type: ignore[attr-defined]
        self.fields["reports_to"].queryset = (  # type: ignore[attr-defined]
            Position.objects.filter(instansi=instansi).select_related("unit").order_by("chain")
        )


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
    position = forms.ModelChoiceField(
        label=_("Position"), queryset=Position.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=EmployeeStatus.choices, initial=EmployeeStatus.ACTIVE
    )
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    def __init__(self, *args: Any, instansi: Instansi, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = (  # type: ignore[attr-defined]
            Position.objects.filter(instansi=instansi).select_related("unit").order_by("chain")
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
        self.fields["instansi"].queryset = instansi_qs  # type: ignore[attr-defined]
        if instansi_qs.count() == 1:
            self.fields["instansi"].initial = instansi_qs.first()
