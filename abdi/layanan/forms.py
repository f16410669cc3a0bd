"""Forms of the layanan pages: they parse input; the services decide."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from abdi.organisations.models import Employee

from .choices import IKM_ELEMENTS, IKM_SCALE, DocumentAccept, FieldKind
from .models import AppointmentSlot, Service

__all__ = [
    "ApplicationForm",
    "AssignForm",
    "BookingForm",
    "DocumentCheckForm",
    "NoteForm",
    "ReasonForm",
    "SlotForm",
    "StatusForm",
    "SurveyForm",
    "SurveyReportForm",
]

ACCEPT_ATTR = {
    DocumentAccept.PDF_OR_IMAGE: "application/pdf,image/jpeg,image/png",
    DocumentAccept.PDF: "application/pdf",
    DocumentAccept.IMAGE: "image/jpeg,image/png",
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file input taking several files; cleans to a list (count/type checked by services)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def _form_field(spec: Any, *, initial: Any = None) -> forms.Field:
    common: dict[str, Any] = {
        "label": spec.label,
        "required": spec.required,
        "help_text": spec.help_text,
        "initial": initial,
    }
    if spec.kind == FieldKind.TEXTAREA:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    if spec.kind == FieldKind.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if spec.kind == FieldKind.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if spec.kind == FieldKind.CHOICE:
        choices = [("", "—"), *((c, c) for c in spec.choice_list)]
        return forms.ChoiceField(choices=choices, **common)
    return forms.CharField(**common)


class ApplicationForm(forms.Form):
    """The service's own form fields and one file input per required document."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(
        self,
        *args: Any,
        service: Service,
        data_initial: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        for spec in service.fields.all():
            self.fields[f"f_{spec.key}"] = _form_field(
                spec, initial=(data_initial or {}).get(spec.key)
            )
        for doc in service.documents.all():
            help_text = _("%(accept)s, at most %(size)s MB, up to %(count)s file(s).") % {
                "accept": DocumentAccept(doc.accept).label,
                "size": doc.max_megabytes,
                "count": doc.max_count,
            }
            field = MultipleFileField(
                label=doc.label,
                required=False,
                help_text=f"{doc.help_text} {help_text}".strip(),
            )
            field.widget.attrs.update({"accept": ACCEPT_ATTR[DocumentAccept(doc.accept)]})
            self.fields[f"d_{doc.key}"] = field

    def answers(self) -> dict[str, Any]:
        return {
            name[2:]: value for name, value in self.cleaned_data.items() if name.startswith("f_")
        }

    def uploads(self) -> dict[str, list[Any]]:
        return {
            name[2:]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("d_") and value
        }


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("What should the citizen correct?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DocumentCheckForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept")), ("0", _("Needs a new file"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=Employee.objects.none())

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    kode = forms.CharField(label=_("Tracking code"), max_length=20)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=16,
        min_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class SurveyForm(forms.Form):
    """The nine SKM elements (PermenPANRB 14/2017), each on the 1–4 scale."""

    comment = forms.CharField(
        label=_("Suggestions (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in IKM_ELEMENTS:
            self.fields[key] = forms.TypedChoiceField(
                label=label,
                choices=[(str(value), f"{value} · {text}") for value, text in IKM_SCALE],
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.order_fields([key for key, _label in IKM_ELEMENTS] + ["comment"])


class BookingForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("Appointment"), queryset=AppointmentSlot.objects.none())

    def __init__(self, *args: Any, slots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots  # type: ignore[attr-defined]
        self.fields["slot"].label_from_instance = lambda slot: (  # type: ignore[attr-defined]
            f"{slot.starts_at:%d-%m-%Y %H:%M} ({slot.places_left})"
        )
        self.fields["slot"].to_field_name = "public_id"  # type: ignore[attr-defined]


class SlotForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=500)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)

    def __init__(self, *args: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]


class SurveyReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none(), required=False
    )

    def __init__(self, *args: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: date | None = cleaned.get("start")
        end: date | None = cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end must not be before the start."))
        return cleaned
