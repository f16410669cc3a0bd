from django import forms
from django.utils.translation import gettext_lazy as _

from .rules import normalise_code
from .services import MAX_UPLOAD_BYTES


class CodeForm(forms.Form):
    kode = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The code printed under the QR code, e.g. K7QM-3XZP-9RTA-HV2D."),
    )

    def clean_kode(self) -> str:
        code = normalise_code(self.cleaned_data["kode"])
        if code is None:
            raise forms.ValidationError(
                _("A verification code has 16 letters and digits, e.g. K7QM-3XZP-9RTA-HV2D."),
                code="code_format",
            )
        return code


class UploadForm(forms.Form):
    berkas = forms.FileField(
        label=_("The PDF file you received"),
        help_text=_("Abdi compares it with the file it issued. The file is not kept."),
    )

    def clean_berkas(self) -> bytes:
        uploaded = self.cleaned_data["berkas"]
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB."),
                code="file_too_large",
                params={"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        content = uploaded.read()
        if not content.startswith(b"%PDF-"):
            raise forms.ValidationError(_("The file is not a PDF document."), code="file_not_pdf")
        return content
