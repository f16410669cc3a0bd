"""The printed letter (naskah dinas) as a PDF, in the layout of Permenpan RB 80/2012.

A letter is an official Indonesian document, so it is always rendered in Indonesian
(inside ``translation.override("id")``) and its fixed labels are written in Indonesian in the
template. The PDF uses only system fonts and fetches nothing. :func:`letter_pdf` also returns
where the signature block was laid out, so the visible PAdES signature lands there.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format

from abdi.organisations.models import Employee

from .choices import AccessClass, RecipientKind
from .models import Letter
from .signing import SignatureBox

__all__ = ["RenderedLetter", "letter_html", "letter_pdf"]

ACCESS_LABELS = {
    AccessClass.BIASA: "Biasa",
    AccessClass.TERBATAS: "Terbatas",
    AccessClass.RAHASIA: "Rahasia",
}
KIND_TITLES = {
    "surat_dinas": "",
    "nota_dinas": "NOTA DINAS",
    "surat_undangan": "",
    "surat_keputusan": "KEPUTUSAN",
}
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (96 per inch); PDF points are 72 per inch.


@dataclass(frozen=True)
class RenderedLetter:
    pdf: bytes
    box: SignatureBox


def _long_date(day: date) -> str:
    with translation.override("id"):
        return date_format(day, "j F Y")


def letter_html(
    letter: Letter,
    *,
    number: str = "",
    letter_date: date | None = None,
    signer: Employee | None = None,
    verify_url: str = "",
    qr_src: str = "",
) -> str:
    """Return the letter's HTML: a draft (no number) or the version that is signed."""
    recipients = list(letter.recipients.select_related("unit", "employee"))
    attachments = list(letter.attachments.all())
    signer_position = letter.signer_position
    context = {
        "letter": letter,
        "template": letter.template,
        "kind_title": KIND_TITLES.get(letter.kind, ""),
        "number": number,
        "is_draft": not number,
        "date_text": _long_date(letter_date) if letter_date else "",
        "access_label": ACCESS_LABELS.get(AccessClass(letter.access_class), ""),
        "paragraphs": [p.strip() for p in letter.body.split("\n\n") if p.strip()],
        "to": [r for r in recipients if not r.is_copy],
        "copies": [r for r in recipients if r.is_copy],
        "external": RecipientKind.EXTERNAL,
        "attachments": attachments,
        "signer_title": signer_position.title,
        "signer": signer,
        "verify_url": verify_url,
        "qr_src": qr_src,
    }
    with translation.override("id"):
        return render_to_string("kantor/documents/letter.html", context)


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


def letter_pdf(letter: Letter, **kwargs: Any) -> RenderedLetter:
    """Return the letter's PDF and the rectangle of its signature block (PDF points)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Only the inline QR code (a data: URI); user text must not fetch anything.
    fetcher = URLFetcher(allowed_protocols=("data",))
    html = letter_html(letter, **kwargs)
    document = HTML(string=html, url_fetcher=fetcher).render()
    box = SignatureBox(page=-1, x1=330, y1=40, x2=560, y2=110)
    for index, page in enumerate(document.pages):
        for layout in _boxes(page._page_box):
            element = getattr(layout, "element", None)
            if element is None or element.get("id") != "ttd" or layout.element_tag != "div":
                continue
            top = layout.border_box_y()
            bottom = top + layout.border_height()
            left = layout.border_box_x()
            box = SignatureBox(
                page=index,
                x1=left * PX_TO_PT,
                y1=(page.height - bottom) * PX_TO_PT,
                x2=(left + layout.border_width()) * PX_TO_PT,
                y2=(page.height - top) * PX_TO_PT,
            )
    return RenderedLetter(pdf=document.write_pdf(), box=box)
