"""The product of a completed case as a PDF (WeasyPrint) with the verification QR code.

The product is an official Indonesian document, so it is rendered in Indonesian whatever
the officer's interface language, with fixed Indonesian labels in the template. It fetches
nothing: fonts are system fonts and the QR code is an inline data URI.
"""

from io import BytesIO
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from abdi.organisations.models import Citizen, Employee

from .models import Application

__all__ = ["masked_holder", "product_html", "product_pdf"]


def masked_holder(citizen: Citizen) -> str:
    """The holder as shown on the public verification page: name and masked NIK."""
    return f"{citizen.name} (NIK {citizen.masked_nik})"


def product_html(application: Application, document: Any, officer: Employee) -> str:
    """The product's HTML, in Indonesian, with the QR code of ``document.url`` inline."""
    from abdi.verifikasi import qr

    with translation.override("id"):
        return render_to_string(
            "layanan/documents/product.html",
            {
                "application": application,
                "service": application.service,
                "citizen": application.citizen,
                "holder": masked_holder(application.citizen),
                "officer": officer,
                "document": document,
                "qr": qr.qr_data_uri(document.url),
                "completed_on": application.instansi.local_date(application.completed_at),
                "data_rows": _data_rows(application),
            },
        )


def product_pdf(application: Application, document: Any, officer: Employee) -> bytes:
    """Render the receipt of the completed service with the QR of ``document.url``."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = product_html(application, document, officer)
    # Only the inline QR code (a data: URI) is loaded; citizens' text cannot fetch anything.
    fetcher = URLFetcher(allowed_protocols=("data",))
    out = BytesIO()
    HTML(string=html, url_fetcher=fetcher).write_pdf(out)
    return out.getvalue()


def _data_rows(application: Application) -> list[tuple[str, str]]:
    labels = {field.key: field.label for field in application.service.fields.all()}
    return [(labels.get(key, key), str(value)) for key, value in application.data.items() if value]
