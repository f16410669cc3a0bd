"""Build agencies, positions and people for tests through the real services."""

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from abdi.organisations import services
from abdi.organisations.choices import PositionKind
from abdi.organisations.models import Citizen, Employee, Instansi, Position, UnitKerja

_sequence = itertools.count(1)

PASSWORD = "rahasia-Abdi-2026"


def make_nip(
    *, birth: date = date(1985, 4, 12), tmt: tuple[int, int] = (2010, 3), female: bool = False
) -> str:
    """Return a new valid PNS NIP (unique within the test run)."""
    seq = next(_sequence)
    birth = birth.replace(year=birth.year + seq // 999)
    tmt_year = max(tmt[0], birth.year + 18) + (seq // 999)
    return f"{birth:%Y%m%d}{tmt_year:04d}{tmt[1]:02d}{2 if female else 1}{seq % 999 + 1:03d}"


def make_nik(*, female: bool = False) -> str:
    """Return a new valid NIK (Sleman, born 1990-08-15)."""
    seq = next(_sequence)
    day = 15 + (40 if female else 0)
    return f"340404{day:02d}0890{seq % 9999 + 1:04d}"


def superuser() -> Any:
    user_model = get_user_model()
    user = user_model.objects.filter(username="platform-admin").first()
    return user or user_model.objects.create_superuser(
        username="platform-admin", email="root@abdi.localhost", password=PASSWORD
    )


@dataclass
class Agency:
    """A small agency: a head, two division heads, staff under each, and an admin."""

    instansi: Instansi
    root: UnitKerja
    division_a: UnitKerja
    division_b: UnitKerja
    head: Employee
    head_a: Employee
    head_b: Employee
    staff_a: Employee
    staff_a2: Employee
    staff_b: Employee
    admin: Any


def employee_with_position(
    *,
    actor: Any,
    instansi: Instansi,
    unit: UnitKerja,
    title: str,
    name: str,
    reports_to: Position | None = None,
    is_unit_head: bool = False,
    kind: str = PositionKind.PELAKSANA,
) -> Employee:
    position = services.position_create(
        actor=actor, unit=unit, title=title, kind=kind, is_unit_head=is_unit_head,
        reports_to=reports_to,
    )  # fmt: skip
    return services.employee_create(
        actor=actor, instansi=instansi, nip=make_nip(), name=name, position=position,
        password=PASSWORD,
    )  # fmt: skip


def build_agency(code: str = "kab-contoh", name: str = "Pemerintah Kabupaten Contoh") -> Agency:
    """Create an agency with three levels of leadership and an agency administrator."""
    root_actor = superuser()
    instansi = services.instansi_create(actor=root_actor, code=code, name=name)
    admin = get_user_model().objects.create_user(username=f"admin-{code}", password=PASSWORD)
    services.instansi_add_administrator(actor=root_actor, instansi=instansi, user=admin)
    root = services.unit_create(actor=admin, instansi=instansi, code="DINAS", name="Dinas Utama")
    div_a = services.unit_create(
        actor=admin, instansi=instansi, code="BID-A", name="Bidang A", parent=root
    )
    div_b = services.unit_create(
        actor=admin, instansi=instansi, code="BID-B", name="Bidang B", parent=root
    )
    head = employee_with_position(
        actor=admin, instansi=instansi, unit=root, title="Kepala Dinas", name="Siti Rahmawati",
        is_unit_head=True, kind=PositionKind.JPT,
    )  # fmt: skip
    head_a = employee_with_position(
        actor=admin, instansi=instansi, unit=div_a, title="Kepala Bidang A", name="Budi Santoso",
        reports_to=head.position, is_unit_head=True, kind=PositionKind.ADMINISTRATOR,
    )  # fmt: skip
    head_b = employee_with_position(
        actor=admin, instansi=instansi, unit=div_b, title="Kepala Bidang B", name="Dewi Lestari",
        reports_to=head.position, is_unit_head=True, kind=PositionKind.ADMINISTRATOR,
    )  # fmt: skip
    staff_a = employee_with_position(
        actor=admin, instansi=instansi, unit=div_a, title="Analis A", name="Agus Wibowo",
        reports_to=head_a.position,
    )  # fmt: skip
    staff_a2 = employee_with_position(
        actor=admin, instansi=instansi, unit=div_a, title="Pengadministrasi A", name="Rina Marlina",
        reports_to=head_a.position,
    )  # fmt: skip
    staff_b = employee_with_position(
        actor=admin, instansi=instansi, unit=div_b, title="Analis B", name="Hendra Gunawan",
        reports_to=head_b.position,
    )  # fmt: skip
    return Agency(
        instansi=instansi, root=root, division_a=div_a, division_b=div_b, head=head,
        head_a=head_a, head_b=head_b, staff_a=staff_a, staff_a2=staff_a2, staff_b=staff_b,
        admin=admin,
    )  # fmt: skip


def build_citizen(*, username: str = "warga@example.id") -> Citizen:
    return services.citizen_register(
        username=username, password=PASSWORD, name="Warga Contoh", nik=make_nik(), email=username
    )
