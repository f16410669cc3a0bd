"""Build services and applications for tests through the real services."""

from datetime import UTC, datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from abdi.layanan import services
from abdi.layanan.choices import DocumentAccept, FieldKind
from abdi.layanan.models import Application, Service
from abdi.organisations.models import Citizen
from abdi.organisations.tests.factories import Agency

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
# Tuesday 10 March 2026, 10:00 WIB: an ordinary working morning.
NOW = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)


def pdf(name: str = "kk.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_service(
    agency: Agency, *, code: str = "ktp-el-baru", service_days: int = 3, **extra: Any
) -> Service:
    """A KTP-el-like service of division A: two fields, one required PDF/image, one optional."""
    defaults: dict[str, Any] = {
        "name": "KTP-el Baru",
        "requirements": "Kartu Keluarga\nPerekaman biometrik",
        "procedure": "Ajukan\nVerifikasi\nTerbit",
        "product": "KTP-el",
        "fields": [
            {"key": "no_kk", "label": "Nomor KK", "kind": FieldKind.TEXT},
            {"key": "alasan", "label": "Alasan", "kind": FieldKind.CHOICE,
             "choices": "Rusak\nHilang", "required": False},
        ],
        "documents": [
            {"key": "kk", "label": "Kartu Keluarga", "max_bytes": 1024, "max_count": 2},
            {"key": "foto", "label": "Pas foto", "accept": DocumentAccept.IMAGE,
             "required": False},
        ],
    }  # fmt: skip
    defaults.update(extra)
    return services.service_create(
        actor=agency.admin, instansi=agency.instansi, unit=agency.division_a, code=code,
        service_days=service_days, **defaults,
    )  # fmt: skip


def submit(
    citizen: Citizen, service: Service, *, now: datetime = NOW, key: str = "", **data: Any
) -> Application:
    return services.application_submit(
        actor=citizen.user,
        service=service,
        data={"no_kk": "3404071403920003", **data},
        files={"kk": [pdf()]},
        idempotency_key=key,
        now=now,
    )
