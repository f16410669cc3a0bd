"""Forms of the dashboards: they only parse the period and the open-data filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from abdi.organisations.models import Instansi

__all__ = ["OpenDataForm", "PeriodForm"]

MONTHS = [
    (0, _("Whole year")),
    (1, _("January")), (2, _("February")), (3, _("March")), (4, _("April")),
    (5, _("May")), (6, _("June")), (7, _("July")), (8, _("August")),
    (9, _("September")), (10, _("October")), (11, _("November")), (12, _("December")),
]  # fmt: skip


class PeriodForm(forms.Form):
    tahun = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100,
        error_messages={"min_value": _("Choose a year from 2000 to 2100."),
                        "max_value": _("Choose a year from 2000 to 2100."),
                        "invalid": _("Enter the year as a number, e.g. 2026.")},
    )  # fmt: skip
    bulan = forms.TypedChoiceField(
        label=_("Month"), choices=MONTHS, coerce=int, required=False, empty_value=0,
        error_messages={"invalid_choice": _("Choose a month from the list.")},
    )  # fmt: skip


class OpenDataForm(forms.Form):
    tahun = PeriodForm.base_fields["tahun"]
    instansi = forms.ModelChoiceField(
        label=_("Agency"), queryset=Instansi.objects.order_by("name"), required=False,
        to_field_name="code", empty_label=_("All agencies"),
        error_messages={"invalid_choice": _("Choose an agency from the list.")},
    )  # fmt: skip
