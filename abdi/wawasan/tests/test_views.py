"""Dashboards through HTTP: who sees what, the figures, drill-down and the exports."""

import csv
import io

import pyarrow.parquet as pq
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from abdi.organisations import services
from abdi.organisations.tests.factories import PASSWORD
from abdi.wawasan import facts, opendata
from abdi.wawasan.models import ServiceFact, StaleFact
from abdi.wawasan.rules import Period
from abdi.wawasan.tests.conftest import answer_survey

pytestmark = pytest.mark.django_db

MARCH = {"tahun": 2026, "bulan": 3}


@pytest.fixture
def refreshed(world):
    facts.refresh_agency(instansi=world.agency.instansi, year=2026, months=[3])
    return world


def login(client, user):
    user.set_password(PASSWORD)
    user.save()
    assert client.login(username=user.get_username(), password=PASSWORD)
    return client


def agency_url(world):
    return reverse("wawasan:agency", args=[world.agency.instansi.public_id])


def unit_url(unit):
    return reverse("wawasan:unit", args=[unit.public_id])


def test_the_agency_admin_sees_the_agency_dashboard_with_its_figures(client, refreshed):
    login(client, refreshed.agency.admin)

    response = client.get(agency_url(refreshed), MARCH)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="kpi-employees">6<' in page
    assert 'data-testid="kpi-completed">3<' in page
    assert 'data-testid="kpi-sla">66,7%<' in page
    # Two late or overdue: the case completed in 5 working days and the open one.
    assert 'data-testid="kpi-breaches">2<' in page
    # IKM of answers all 4 and all 3: mean NRR 3.5 → 87.50, grade B.
    assert 'data-testid="kpi-ikm">87,50 (B)<' in page
    assert 'data-testid="predicates-sangat_baik">1 ' in page
    assert 'data-testid="predicates-sangat_kurang">1 ' in page


def test_home_leads_each_leader_to_their_dashboard(client, refreshed, platform_admin):
    agency = refreshed.agency
    assert login(client, agency.admin).get(reverse("wawasan:home")).url == agency_url(refreshed)
    client.logout()
    assert login(client, agency.head_a.user).get(reverse("wawasan:home")).url == unit_url(
        agency.division_a
    )
    client.logout()
    assert login(client, agency.head.user).get(reverse("wawasan:home")).url == agency_url(refreshed)
    client.logout()
    assert login(client, platform_admin).get(reverse("wawasan:home")).url == reverse(
        "wawasan:national"
    )
    client.logout()
    assert login(client, agency.staff_a.user).get(reverse("wawasan:home")).status_code == 403


def test_a_unit_head_sees_their_subtree_but_not_a_sibling_unit_nor_the_agency(client, refreshed):
    agency = refreshed.agency
    login(client, agency.head_a.user)

    assert client.get(unit_url(agency.division_a), MARCH).status_code == 200
    assert client.get(unit_url(agency.division_b), MARCH).status_code == 404
    assert client.get(unit_url(agency.root), MARCH).status_code == 404
    assert client.get(agency_url(refreshed), MARCH).status_code == 404
    assert client.get(reverse("wawasan:national")).status_code == 404


def test_staff_and_other_agencies_see_no_dashboard(client, refreshed, other_agency):
    agency = refreshed.agency
    login(client, agency.staff_a.user)
    assert client.get(unit_url(agency.division_a)).status_code == 404
    client.logout()
    login(client, other_agency.admin)
    assert client.get(agency_url(refreshed)).status_code == 404
    assert client.get(unit_url(agency.division_a)).status_code == 404


def test_drill_down_from_agency_to_unit_to_person(client, refreshed):
    agency = refreshed.agency
    login(client, agency.admin)

    page = client.get(agency_url(refreshed), MARCH).content.decode()
    assert unit_url(agency.root) in page
    page = client.get(unit_url(agency.root), MARCH).content.decode()
    assert unit_url(agency.division_a) in page
    page = client.get(unit_url(agency.division_a), MARCH).content.decode()
    person = reverse("wawasan:person", args=[agency.staff_a.public_id])
    assert person in page
    assert 'data-testid="kpi-employees">3<' in page
    response = client.get(person, {"tahun": 2026})
    assert response.status_code == 200
    assert "Agus Wibowo" in response.content.decode()
    assert "Sangat Baik" in response.content.decode()


def test_person_figures_follow_the_chain_of_command(client, refreshed):
    agency = refreshed.agency
    staff_b = reverse("wawasan:person", args=[agency.staff_b.public_id])
    staff_a = reverse("wawasan:person", args=[agency.staff_a.public_id])
    login(client, agency.head_a.user)
    assert client.get(staff_a).status_code == 200
    assert client.get(staff_b).status_code == 404
    client.logout()
    login(client, agency.staff_a2.user)
    assert client.get(staff_a).status_code == 404
    client.logout()
    login(client, agency.staff_a.user)
    assert client.get(staff_a).status_code == 200


def test_every_table_exports_to_excel_and_csv(client, refreshed):
    login(client, refreshed.agency.admin)

    response = client.get(agency_url(refreshed), {**MARCH, "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Sebaran predikat", "Permohonan menurut status", "Layanan  waktu layanan dan IKM",
        "Inovasi menurut tahap", "Permohonan per bulan", "Unit kerja",
    ]  # fmt: skip
    services = list(workbook["Layanan  waktu layanan dan IKM"].iter_rows(values_only=True))
    assert services[1][:3] == ("KTP-el Baru", 4, 3)

    response = client.get(agency_url(refreshed), {**MARCH, "format": "csv", "tabel": "cases"})
    assert "permohonan-menurut-status.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Status", "Permohonan", "Porsi (%)"]
    assert rows[-1][:2] == ["Selesai", "3"]


def test_a_bad_period_is_refused_with_an_indonesian_message_and_no_figures(client, refreshed):
    login(client, refreshed.agency.admin)

    response = client.get(agency_url(refreshed), {"tahun": "dua ribu", "bulan": 3})
    assert response.status_code == 422
    assert "Tulis tahun sebagai angka" in response.content.decode()
    assert "kpi-employees" not in response.content.decode()
    response = client.get(agency_url(refreshed), {"tahun": 2026, "bulan": 13, "format": "csv"})
    assert response.status_code == 422
    assert "Pilih bulan dari daftar" in response.content.decode()
    response = client.get(agency_url(refreshed), {**MARCH, "format": "csv", "tabel": "zzz"})
    assert response.status_code == 404


def test_the_curve_is_not_judged_without_predicates(client, refreshed):
    login(client, refreshed.agency.admin)

    page = client.get(agency_url(refreshed), {"tahun": 2026, "bulan": 1}).content.decode()

    assert 'data-testid="curve-no-data"' in page
    assert 'data-testid="curve-ok"' not in page


def test_in_an_agency_of_several_top_level_offices_each_head_sees_their_own(client, refreshed):
    agency = refreshed.agency
    services.unit_create(
        actor=agency.admin, instansi=agency.instansi, code="BADAN", name="Badan Lain"
    )
    login(client, agency.head.user)

    assert client.get(reverse("wawasan:home")).url == unit_url(agency.root)
    assert client.get(agency_url(refreshed)).status_code == 404
    page = client.get(unit_url(agency.division_a), MARCH).content.decode()
    # Units above are named; the agency is not a link for a head who may not open it.
    assert agency_url(refreshed) not in page


def test_the_national_roll_up_lists_each_agency_for_the_platform_admin(
    client, refreshed, platform_admin
):
    login(client, platform_admin)

    response = client.get(reverse("wawasan:national"), MARCH)

    assert response.status_code == 200
    page = response.content.decode()
    assert refreshed.agency.instansi.name in page
    assert agency_url(refreshed) in page


def test_open_data_is_anonymised_csv_and_parquet(client, refreshed):
    agency = refreshed.agency
    url = reverse("wawasan:open-data-file", args=["csv"])
    response = client.get(url, {"tahun": 2026})

    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert response.status_code == 200
    assert [(r["unit_code"], r["month"], r["received"], r["completed"]) for r in rows] == [
        ("BID-A", "3", "4", "3")
    ]
    assert rows[0]["median_working_days"] == "2.0"
    # Two respondents: below the threshold, the IKM is withheld.
    assert (rows[0]["ikm_respondents"], rows[0]["ikm_converted"], rows[0]["ikm_grade"]) == (
        "2",
        "",
        "",
    )
    citizens = [case.citizen for case in refreshed.cases]
    secrets = [c.nik for c in citizens] + [c.name for c in citizens]
    secrets += [agency.staff_a.nip, agency.staff_a.name, agency.staff_a2.name]
    assert not [s for s in secrets if s in text]

    response = client.get(reverse("wawasan:open-data-file", args=["parquet"]), {"tahun": 2026})
    table = pq.read_table(io.BytesIO(response.content))
    assert table.num_rows == 1
    assert table.column("ikm_converted").to_pylist() == [None]
    assert table.schema.field("received").metadata

    # With enough respondents the IKM is published.
    ServiceFact.objects.update(respondents=5, **{f"u{i}": 18 for i in range(1, 10)})
    rows = opendata.service_rows(year=2026)
    assert (rows[0]["ikm_converted"], rows[0]["ikm_grade"]) == (90.0, "A")


def test_open_data_refuses_a_bad_year_in_indonesian(client, db):
    response = client.get(reverse("wawasan:open-data-file", args=["csv"]), {"tahun": "x"})

    assert response.status_code == 422
    assert "Tulis tahun sebagai angka" in response.content.decode()


def test_period_default_is_the_newest_month_with_facts(client, refreshed):
    login(client, refreshed.agency.admin)

    response = client.get(agency_url(refreshed))

    assert response.context["period"] == Period(2026, 3)


def test_a_dashboard_applies_the_writes_still_waiting_before_it_reads(client, refreshed):
    case = refreshed.cases[2]
    # Committed, but its drain not yet run (a worker's window still open).
    answer_survey(case)
    assert StaleFact.objects.exists()
    login(client, refreshed.agency.admin)

    response = client.get(agency_url(refreshed), MARCH)

    assert response.status_code == 200
    assert not StaleFact.objects.exists()
    fact = ServiceFact.objects.get(instansi=refreshed.agency.instansi, year=2026, month=3)
    assert fact.respondents == 3
