"""The demo catalogue: seven Dukcapil services, loaded once however often the demo runs."""

import pytest

from abdi.layanan import demo
from abdi.layanan.models import AppointmentSlot, Service
from abdi.organisations import demo as organisations_demo

pytestmark = pytest.mark.django_db


def test_demo_catalogue_is_complete_and_idempotent() -> None:
    organisations_demo.seed_demo()

    first = demo.seed_demo()
    second = demo.seed_demo()

    assert (first.services_created, second.services_created) == (7, 0)
    assert (first.slots_created, second.slots_created) == (10, 0)
    services = {s.code: s for s in Service.objects.select_related("unit")}
    assert sorted(services) == sorted(
        ["ktp-el-baru", "ktp-el-penggantian", "kk-baru", "kk-perubahan", "akta-kelahiran",
         "akta-kematian", "surat-pindah"]
    )  # fmt: skip
    assert services["akta-kelahiran"].unit.code == "DUKCAPIL-CAPIL"
    assert services["ktp-el-baru"].needs_appointment
    assert all(s.service_days in (1, 3) and s.requirement_lines for s in services.values())
    assert services["ktp-el-penggantian"].fields.get(key="alasan").choice_list == [
        "Rusak", "Hilang",
    ]  # fmt: skip
    assert AppointmentSlot.objects.count() == 10


def test_demo_without_the_agency_does_nothing() -> None:
    result = demo.seed_demo()
    assert result.services_created == 0
    assert Service.objects.count() == 0
