"""A small agency and in-memory import files for the employee import tests."""

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from abdi.organisations import services
from abdi.organisations.choices import PositionKind
from abdi.organisations.importing import COLUMN_NAMES
from abdi.organisations.models import Employee, Instansi, UnitKerja
from abdi.organisations.tests.factories import superuser

TODAY = date(2026, 3, 2)
PASSWORD = "rahasia-Abdi-2026"


def make_nip(n: int, *, female: bool = False) -> str:
    """Return the ``n``-th valid PNS NIP: birth date, TMT 20 years later, gender, sequence."""
    birth = date(1970, 1, 1) + timedelta(days=n // 999)
    return f"{birth:%Y%m%d}{birth.year + 20:04d}01{2 if female else 1}{n % 999 + 1:03d}"


def root_user() -> Any:
    return superuser()


@dataclass
class ImportAgency:
    """An agency with three units (the first headed), its administrator and its head."""

    instansi: Instansi
    root: UnitKerja
    unit_a: UnitKerja
    unit_b: UnitKerja
    admin: Any
    head: Employee


def build_import_agency(
    code: str = "kab-impor", name: str = "Kabupaten Impor", head_n: int = 900_000
) -> ImportAgency:
    """Create the agency through the services; its head has NIP ``make_nip(head_n)``."""
    actor = root_user()
    instansi = services.instansi_create(actor=actor, code=code, name=name)
    admin = get_user_model().objects.create_user(username=f"admin-{code}", password=PASSWORD)
    services.instansi_add_administrator(actor=actor, instansi=instansi, user=admin)
    root = services.unit_create(actor=actor, instansi=instansi, code="SETDA", name="Sekretariat")
    unit_a = services.unit_create(
        actor=actor, instansi=instansi, code="BID-A", name="Bidang A", parent=root
    )
    unit_b = services.unit_create(
        actor=actor, instansi=instansi, code="BID-B", name="Bidang B", parent=root
    )
    position = services.position_create(
        actor=actor, unit=root, title="Sekretaris Daerah", kind=PositionKind.JPT, is_unit_head=True
    )
    head = services.employee_create(
        actor=actor,
        instansi=instansi,
        nip=make_nip(head_n),
        name="Siti Rahma",
        position=position,
        today=TODAY,
    )
    return ImportAgency(
        instansi=instansi, root=root, unit_a=unit_a, unit_b=unit_b, admin=admin, head=head
    )


def make_row(n: int, **values: Any) -> dict[str, Any]:
    """Return a valid row for employee ``n`` of unit BID-B, reporting to no one unless told."""
    row: dict[str, Any] = {
        "nip": make_nip(n),
        "nama": f"Pegawai {n}",
        "gelar_depan": "",
        "gelar_belakang": "S.E.",
        "kode_unit": "BID-B",
        "jabatan": f"Analis {n}",
        "jenis_jabatan": "pelaksana",
        "kepala_unit": "tidak",
        "nip_atasan": "",
        "email": f"pegawai{n}@example.go.id",
        "telepon": "081200000000",
        "status": "aktif",
    }
    row.update(values)
    return row


def xlsx_bytes(rows: Iterable[Mapping[str, Any]], header: Iterable[str] = COLUMN_NAMES) -> bytes:
    """Return an .xlsx file with ``header`` and ``rows``; cells keep their Python types."""
    header = list(header)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("pegawai")
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(name, "") for name in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    rows: Iterable[Mapping[str, Any]],
    header: Iterable[str] = COLUMN_NAMES,
    delimiter: str = ",",
    encoding: str = "utf-8-sig",
) -> bytes:
    header = list(header)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return buffer.getvalue().encode(encoding)


def upload(content: bytes, name: str = "pegawai.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
