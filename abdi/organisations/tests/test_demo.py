"""The demo agency of ``make demo`` (``manage.py seed_demo``)."""

import io
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from abdi.core.models import AuditEvent
from abdi.layanan import demo as layanan_demo
from abdi.organisations import demo
from abdi.organisations.choices import AsnKind, PositionKind
from abdi.organisations.models import Citizen, Employee, Instansi, Position, UnitKerja
from abdi.organisations.rules import parse_nik, parse_nip
from abdi.organisations.selectors import employee_orbit

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def dukcapil_employees() -> list[Employee]:
    root = UnitKerja.objects.get(instansi__code=demo.INSTANSI_CODE, code="DUKCAPIL")
    return list(
        Employee.objects.filter(position__unit__path__startswith=root.path).select_related(
            "position__unit", "user"
        )
    )


def pos(employee: Employee) -> Position:
    assert employee.position is not None
    return employee.position


def account(employee: Employee) -> Any:
    assert employee.user is not None
    return employee.user


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Employee, get_user_model(), UnitKerja, Position, AuditEvent, Citizen)
    }


def test_the_data_itself_is_valid() -> None:
    nips = demo.demo_nips()
    assert len(set(nips.values())) == len(demo.STAFF) == len(nips)
    for person in demo.STAFF:
        parsed = parse_nip(nips[person.name], today=demo.DEMO_TODAY)
        assert parsed.birth_date == person.birth_date
        assert parsed.gender == person.gender
        assert parsed.asn_kind == (AsnKind.PPPK if person.pppk else AsnKind.PNS)
        assert 1968 <= parsed.birth_date.year <= 2000
        age_at_appointment = parsed.appointment_year - parsed.birth_date.year
        assert 20 <= age_at_appointment <= 35, person.name
    emails = [p.email_address for p in demo.STAFF]
    assert len(set(emails)) == len(emails)
    assert all(e.endswith("@slemankab.go.id") and " " not in e for e in emails)
    for citizen in demo.CITIZENS:
        assert parse_nik(citizen.nik, today=demo.DEMO_TODAY).regency_code == "3404"


def test_seed_creates_a_dukcapil_office_of_about_forty_asn_with_valid_nips() -> None:
    seed()
    employees = dukcapil_employees()
    assert 38 <= len(employees) <= 42
    kinds = Counter(e.asn_kind for e in employees)
    assert kinds[AsnKind.PNS] > 30
    assert 3 <= kinds[AsnKind.PPPK] <= 8
    genders = Counter(e.gender for e in employees)
    assert min(genders.values()) >= 15
    for employee in employees:
        parsed = parse_nip(employee.nip, today=demo.DEMO_TODAY)
        assert (parsed.asn_kind, parsed.gender, parsed.birth_date) == (
            employee.asn_kind,
            employee.gender,
            employee.birth_date,
        )
        assert account(employee).username == employee.nip
        assert employee.email.endswith("@slemankab.go.id")
    assert Employee.objects.filter(position__unit__code="BKPSDM").count() == 4


def test_every_unit_has_exactly_one_head_who_is_an_employee() -> None:
    seed()
    units = UnitKerja.objects.filter(instansi__code=demo.INSTANSI_CODE)
    assert units.count() == len(demo.UNITS)
    for unit in units:
        heads = Position.objects.filter(unit=unit, is_unit_head=True)
        assert heads.count() == 1, unit.name
        assert Employee.objects.filter(position=heads.get()).exists(), unit.name


def test_everyone_but_the_kepala_dinas_has_a_leader() -> None:
    seed()
    tops = []
    for employee in dukcapil_employees():
        orbit = employee_orbit(employee=employee)
        if orbit.leader is None:
            tops.append(employee)
    assert [pos(e).title for e in tops] == ["Kepala Dinas Kependudukan dan Pencatatan Sipil"]
    kadis = tops[0]
    assert pos(kadis).kind == PositionKind.JPT
    assert pos(kadis).unit.code == "DUKCAPIL"
    assert len(employee_orbit(employee=kadis).subordinates) == 5


def test_three_levels_of_leadership() -> None:
    """Kepala Dinas (JPT) -> Sekretaris (administrator) -> Kepala Subbagian (pengawas) -> staff.

    Precisely: the longest chain of leaders above any employee has three people, of kinds JPT,
    administrator and pengawas, each heading a unit below the previous one; every division
    (Bidang) head reports to the Kepala Dinas and leads staff of their own.
    """
    seed()
    chains = {e.pk: employee_orbit(employee=e).chain for e in dukcapil_employees()}
    longest = max(chains.values(), key=len)
    assert len(longest) == 3
    assert [pos(e).kind for e in longest] == [
        PositionKind.JPT,
        PositionKind.ADMINISTRATOR,
        PositionKind.PENGAWAS,
    ]
    assert all(pos(e).is_unit_head for e in longest)
    paths = [pos(e).unit.path for e in longest]
    assert paths[1].startswith(paths[0])
    assert paths[2].startswith(paths[1])
    assert Counter(len(chain) for chain in chains.values()) == {0: 1, 1: 5, 2: 26, 3: 8}
    for kabid in Employee.objects.filter(position__unit__code__startswith="DUKCAPIL-").filter(
        position__kind=PositionKind.ADMINISTRATOR
    ):
        orbit = employee_orbit(employee=kabid)
        assert orbit.leader == longest[0]
        assert orbit.subordinates


def test_accounts_and_roles() -> None:
    output = seed()
    user_model = get_user_model()
    root = user_model.objects.get(username="admin")
    assert root.is_superuser
    assert root.is_staff
    assert root.check_password(demo.DEMO_PASSWORD)
    instansi = Instansi.objects.get(code="kab-sleman")
    assert instansi.name == "Pemerintah Kabupaten Sleman"
    assert instansi.kind == "kabupaten"
    assert instansi.timezone == "Asia/Jakarta"
    agency_admin = user_model.objects.get(username="admin.sleman")
    assert list(instansi.administrators.all()) == [agency_admin]
    assert not agency_admin.is_superuser
    assert not Employee.objects.filter(user=agency_admin).exists()
    assert agency_admin.check_password(demo.DEMO_PASSWORD)
    for employee in dukcapil_employees()[:3]:
        assert account(employee).check_password(demo.DEMO_PASSWORD)
    citizens = {c.user.username: c for c in Citizen.objects.select_related("user")}
    # The two demo logins, and the citizens whose closed cases the layanan demo holds.
    applicants = {f"warga{n:02d}@demo.abdi.id" for n in range(1, layanan_demo.DEMO_CITIZENS + 1)}
    assert set(citizens) == {"warga@example.id", "+6281234567890"} | applicants
    assert all(c.region_code.startswith("3404") for c in citizens.values())
    assert citizens["+6281234567890"].user.check_password(demo.DEMO_PASSWORD)
    for login in demo.demo_logins():
        assert login.username in output
        assert user_model.objects.get(username=login.username).check_password(login.password)


def test_everything_is_audited_with_the_platform_admin_as_actor() -> None:
    seed()
    root = get_user_model().objects.get(username="admin")
    # The other apps' demos add their own events; this test is about the organisation.
    by_admin = Counter(
        AuditEvent.objects.filter(actor=root, action__startswith="organisations.")
        .values_list("action", flat=True)
        .order_by()
    )
    assert by_admin == {
        "organisations.instansi.created": 1,
        "organisations.instansi.administrator_added": 1,
        "organisations.unit.created": len(demo.UNITS),
        "organisations.position.created": len(demo.STAFF),
        "organisations.employee.created": len(demo.STAFF),
    }
    registered = AuditEvent.objects.filter(action="organisations.citizen.registered")
    assert registered.count() == len(demo.CITIZENS) + layanan_demo.DEMO_CITIZENS


def test_running_twice_changes_nothing_and_prints_the_logins_again() -> None:
    first = seed()
    before = counts()
    second = seed()
    assert counts() == before
    assert "already present" in second
    for output in (first, second):
        assert "Demo logins" in output
        assert "admin.sleman" in output
        assert demo.DEMO_PASSWORD in output
        assert "warga@example.id" in output
    kadis_nip = demo.demo_nips()["Suharyanto Wibowo"]
    assert kadis_nip in second


def test_the_function_reports_whether_it_created_the_demo() -> None:
    first = demo.seed_demo()
    assert first.created
    assert first.employees_created == len(demo.STAFF)
    second = demo.seed_demo()
    assert not second.created
    assert second.employees_created == 0
    assert second.accounts_created == 0
    assert second.instansi == first.instansi


def test_quiet_prints_only_the_logins() -> None:
    out = io.StringIO()
    call_command("seed_demo", "--quiet", stdout=out)
    text = out.getvalue()
    assert "Creating" not in text
    assert text.startswith("Demo logins")
    assert "admin.sleman" in text


def test_refuses_a_non_admin_account_named_admin_and_changes_nothing() -> None:
    get_user_model().objects.create_user(username="admin", password="x")
    with pytest.raises(CommandError, match="not a platform administrator"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Instansi.objects.exists()
    assert get_user_model().objects.count() == 1


def test_keeps_an_existing_superuser_named_admin() -> None:
    get_user_model().objects.create_superuser(username="admin", password="my-own-password")
    output = seed()
    assert "password was not changed" in output
    assert get_user_model().objects.get(username="admin").check_password("my-own-password")
    assert Employee.objects.count() == len(demo.STAFF)
