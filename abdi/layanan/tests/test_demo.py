"""The demo catalogue: seven Dukcapil services, loaded once however often the demo runs."""

import pytest

from abdi.layanan import demo
from abdi.layanan.choices import ApplicationStatus
from abdi.layanan.models import Application, AppointmentSlot, Service, Survey
from abdi.organisations import demo as organisations_demo
from abdi.verifikasi import services as verifikasi

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


def test_demo_cases_are_closed_through_the_officers_steps_once() -> None:
    organisations_demo.seed_demo()

    first = demo.seed_demo()
    second = demo.seed_demo()

    assert (first.cases_created, second.cases_created) == (len(demo.CASE_PATTERN), 0)
    cases = Application.objects.all()
    assert cases.count() == len(demo.CASE_PATTERN)
    assert set(cases.values_list("status", flat=True)) == {ApplicationStatus.COMPLETED}
    within = set(cases.values_list("within_sla", flat=True))
    assert within == {True, False}
    answered = sum(1 for *_rest, ikm in demo.CASE_PATTERN if ikm)
    assert Survey.objects.count() == answered
    # Each case was completed by an officer of the service's own unit, with its product.
    for case in cases.select_related("completed_by__position", "service"):
        assert case.completed_by.position.unit_id == case.service.unit_id
        assert verifikasi.documents_for(case).exists()


def test_demo_without_the_agency_does_nothing() -> None:
    result = demo.seed_demo()
    assert result.services_created == 0
    assert Service.objects.count() == 0
