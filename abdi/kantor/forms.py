"""Forms of the office pages: they only parse input; the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from abdi.organisations.models import Employee, Position, UnitKerja

from .choices import AccessClass, LetterKind
from .models import Classification, LetterTemplate

__all__ = [
    "ArchiveSearchForm",
    "AttachmentForm",
    "CertificateForm",
    "ClassificationForm",
    "CommentForm",
    "CompleteForm",
    "DisposeForm",
    "LetterForm",
    "LetterEditForm",
    "TemplateForm",
]


class LetterEditForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Body"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Separate paragraphs with an empty line."),
    )
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class LetterForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Template"), queryset=LetterTemplate.objects.none())
    classification = forms.ModelChoiceField(
        label=_("Classification code"), queryset=Classification.objects.none()
    )
    access_class = forms.ChoiceField(
        label=_("Access class"), choices=AccessClass.choices, initial=AccessClass.BIASA
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Body"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Separate paragraphs with an empty line."),
    )
    signer_position = forms.ModelChoiceField(
        label=_("Signing official"), queryset=Position.objects.none()
    )
    units = forms.ModelMultipleChoiceField(
        label=_("To units"), queryset=UnitKerja.objects.none(), required=False
    )
    people = forms.ModelMultipleChoiceField(
        label=_("To people"), queryset=Employee.objects.none(), required=False
    )
    external = forms.CharField(
        label=_("External recipients"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One per line: name | address"),
    )

    def __init__(self, *args: Any, employee: Employee, signers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instansi_id = employee.instansi_id
        self.fields["template"].queryset = LetterTemplate.objects.filter(  # type: ignore[attr-defined]
            instansi_id=instansi_id, is_active=True
        )
        self.fields["classification"].queryset = Classification.objects.filter(  # type: ignore[attr-defined]
            instansi_id=instansi_id
        )
        self.fields["signer_position"].queryset = signers  # type: ignore[attr-defined]
        self.fields["signer_position"].label_from_instance = lambda p: (  # type: ignore[attr-defined]
            f"{p.title} — {p.holder.full_name}"
        )
        self.fields["units"].queryset = UnitKerja.objects.filter(instansi_id=instansi_id)  # type: ignore[attr-defined]
        self.fields["people"].queryset = Employee.objects.filter(  # type: ignore[attr-defined]
            instansi_id=instansi_id, position__isnull=False
        ).select_related("position")
        self.fields["people"].label_from_instance = lambda e: (  # type: ignore[attr-defined]
            f"{e.full_name} — {e.position.title}"
        )

    def external_recipients(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.cleaned_data.get("external", "").splitlines():
            name, _sep, address = line.partition("|")
            if name.strip():
                rows.append((name.strip(), address.strip()))
        return rows


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Attachment"))


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DisposeForm(forms.Form):
    recipients = forms.ModelMultipleChoiceField(
        label=_("To"), queryset=Employee.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    instruction = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, subordinates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = subordinates  # type: ignore[attr-defined]
        self.fields["recipients"].label_from_instance = lambda e: (  # type: ignore[attr-defined]
            f"{e.full_name} — {e.position.title}"
        )


class CompleteForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ArchiveSearchForm(forms.Form):
    number = forms.CharField(label=_("Letter number"), required=False)
    subject = forms.CharField(label=_("Subject"), required=False)
    sender = forms.CharField(label=_("Sender"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Letter kind"), choices=LetterKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    kop_title = forms.CharField(label=_("Letterhead title"), max_length=200)
    kop_subtitle = forms.CharField(label=_("Letterhead subtitle"), max_length=200, required=False)
    kop_address = forms.CharField(label=_("Letterhead address"), max_length=300, required=False)
    numbering_pattern = forms.CharField(
        label=_("Numbering pattern"),
        initial="{seq}/{klasifikasi}/{unit}/{year}",
        help_text=_("Placeholders: {seq}, {klasifikasi}, {unit}, {year}, {month}, {kind}."),
    )
    place = forms.CharField(label=_("Place of signing"), max_length=100, required=False)


class ClassificationForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=200)
    retention_years = forms.IntegerField(
        label=_("Retention period (years)"), min_value=0, max_value=100, initial=5
    )


class CertificateForm(forms.Form):
    file = forms.FileField(label=_("PKCS#12 file (.p12 / .pfx)"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, required=False)
