"""``/api/v1/organisations``: lists with one pagination envelope, reads, writes, refusals."""

import uuid

import pytest
from django.contrib.auth import get_user_model

from abdi.core.models import AuditEvent
from abdi.organisations import services
from abdi.organisations.models import Employee, Position, UnitKerja
from abdi.organisations.tests.factories import make_nip

User = get_user_model()
BASE = "/api/v1/organisations"
JSON = "application/json"


def state() -> tuple[object, ...]:
    return (
        list(UnitKerja.objects.order_by("pk").values_list("pk", "code", "name", "parent", "path")),
        list(Position.objects.order_by("pk").values_list("pk", "title", "reports_to", "chain")),
        list(
            Employee.objects.order_by("pk").values_list(
                "pk", "nip", "name", "position", "status", "email"
            )
        ),
        User.objects.count(),
        AuditEvent.objects.count(),
    )


def as_user(client, user):
    client.force_login(user)
    return client


def employee_json(employee) -> dict:
    employee = Employee.objects.select_related("instansi", "position__unit").get(pk=employee.pk)
    position = employee.position
    return {
        "public_id": str(employee.public_id),
        "nip": employee.nip,
        "asn_kind": employee.asn_kind,
        "name": employee.name,
        "full_name": employee.full_name,
        "gender": employee.gender,
        "birth_date": employee.birth_date.isoformat(),
        "status": employee.status,
        "instansi_code": employee.instansi.code,
        "position_id": str(position.public_id) if position else None,
        "position_title": position.title if position else None,
        "unit_name": position.unit.name if position else None,
    }


# --------------------------------------------------------------------------------------------
# Agencies
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_instansi_list_for_an_agency_admin(agency, other_agency, client):
    # when
    response = as_user(client, agency.admin).get(f"{BASE}/instansi")

    # then
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "public_id": str(agency.instansi.public_id),
                "code": "kab-contoh",
                "name": "Pemerintah Kabupaten Contoh",
                "kind": "kabupaten",
                "timezone": "Asia/Jakarta",
            }
        ],
        "count": 1,
    }


@pytest.mark.django_db
def test_instansi_list_for_the_platform_admin_pages_through_every_agency(
    agency, other_agency, platform_admin, client
):
    # when
    client = as_user(client, platform_admin)
    first = client.get(f"{BASE}/instansi", {"limit": 1})
    second = client.get(f"{BASE}/instansi", {"limit": 1, "offset": 1})

    # then
    assert [i["code"] for i in first.json()["items"]] == ["kab-contoh"]
    assert [i["code"] for i in second.json()["items"]] == ["kota-lain"]
    assert first.json()["count"] == second.json()["count"] == 2


@pytest.mark.django_db
def test_instansi_list_for_a_citizen_is_empty(agency, citizen, client):
    # when
    response = as_user(client, citizen.user).get(f"{BASE}/instansi")

    # then
    assert response.json() == {"items": [], "count": 0}


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unit_list_in_tree_order(agency, client):
    # when
    response = as_user(client, agency.staff_a.user).get(f"{BASE}/instansi/kab-contoh/units")

    # then
    assert response.status_code == 200
    root = str(agency.root.public_id)
    assert response.json() == {
        "items": [
            {"public_id": root, "code": "DINAS", "name": "Dinas Utama", "depth": 0,
             "parent_id": None},
            {"public_id": str(agency.division_a.public_id), "code": "BID-A", "name": "Bidang A",
             "depth": 1, "parent_id": root},
            {"public_id": str(agency.division_b.public_id), "code": "BID-B", "name": "Bidang B",
             "depth": 1, "parent_id": root},
        ],
        "count": 3,
    }  # fmt: skip


@pytest.mark.django_db
def test_unit_list_pages_with_limit_and_offset(agency, client):
    # when
    response = as_user(client, agency.admin).get(
        f"{BASE}/instansi/kab-contoh/units", {"limit": 1, "offset": 2}
    )

    # then
    assert response.json()["count"] == 3
    assert [u["name"] for u in response.json()["items"]] == ["Bidang B"]


@pytest.mark.django_db
def test_unit_list_of_another_agency_is_404_for_its_admin(agency, other_agency, client):
    # when
    response = as_user(client, other_agency.admin).get(f"{BASE}/instansi/kab-contoh/units")

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "instansi.not_found"


@pytest.mark.django_db
def test_unit_create_by_the_agency_admin(agency, client):
    # when
    response = as_user(client, agency.admin).post(
        f"{BASE}/instansi/kab-contoh/units",
        {"code": "SEK-A1", "name": "Seksi A1", "parent_id": str(agency.division_a.public_id)},
        content_type=JSON,
    )

    # then
    assert response.status_code == 201
    unit = UnitKerja.objects.get(code="SEK-A1")
    assert response.json() == {
        "public_id": str(unit.public_id),
        "code": "SEK-A1",
        "name": "Seksi A1",
        "depth": 2,
        "parent_id": str(agency.division_a.public_id),
    }


@pytest.mark.django_db
def test_unit_create_is_403_for_an_employee(agency, client):
    # given
    before = state()

    # when
    response = as_user(client, agency.head.user).post(
        f"{BASE}/instansi/kab-contoh/units", {"code": "SEK-A1", "name": "Seksi A1"},
        content_type=JSON,
    )  # fmt: skip

    # then
    assert response.status_code == 403
    assert response.json()["code"] == "instansi.admin_required"
    assert state() == before


@pytest.mark.django_db
def test_unit_create_is_404_for_another_agencys_admin(agency, other_agency, client):
    # given
    before = state()

    # when
    response = as_user(client, other_agency.admin).post(
        f"{BASE}/instansi/kab-contoh/units", {"code": "SEK-A1", "name": "Seksi A1"},
        content_type=JSON,
    )  # fmt: skip

    # then
    assert response.status_code == 404
    assert state() == before


@pytest.mark.django_db
def test_unit_create_with_a_parent_of_another_agency_is_404(agency, other_agency, client):
    # given
    before = state()

    # when
    response = as_user(client, agency.admin).post(
        f"{BASE}/instansi/kab-contoh/units",
        {"code": "SEK-A1", "name": "Seksi A1", "parent_id": str(other_agency.root.public_id)},
        content_type=JSON,
    )

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "unit.not_found"
    assert state() == before


# --------------------------------------------------------------------------------------------
# Positions
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_position_list_in_chain_order(agency, client):
    # when
    response = as_user(client, agency.staff_b.user).get(
        f"{BASE}/instansi/kab-contoh/positions", {"limit": 2}
    )

    # then
    body = response.json()
    assert body["count"] == 6
    head = agency.head.position
    assert body["items"][0] == {
        "public_id": str(head.public_id),
        "title": "Kepala Dinas",
        "kind": "jpt",
        "is_unit_head": True,
        "unit_id": str(agency.root.public_id),
        "reports_to_id": None,
    }
    assert body["items"][1]["reports_to_id"] == str(head.public_id)


@pytest.mark.django_db
def test_position_create_by_the_agency_admin(agency, client):
    # when
    response = as_user(client, agency.admin).post(
        f"{BASE}/instansi/kab-contoh/positions",
        {"title": "Analis Kebijakan", "unit_id": str(agency.division_b.public_id),
         "kind": "fungsional", "reports_to_id": str(agency.head_b.position.public_id)},
        content_type=JSON,
    )  # fmt: skip

    # then
    assert response.status_code == 201
    position = Position.objects.get(title="Analis Kebijakan")
    assert response.json() == {
        "public_id": str(position.public_id),
        "title": "Analis Kebijakan",
        "kind": "fungsional",
        "is_unit_head": False,
        "unit_id": str(agency.division_b.public_id),
        "reports_to_id": str(agency.head_b.position.public_id),
    }
    assert position.chain == f"{agency.head_b.position.chain}{position.pk}/"


@pytest.mark.django_db
def test_position_create_is_403_for_an_employee(agency, client):
    # given
    before = state()

    # when
    response = as_user(client, agency.staff_a.user).post(
        f"{BASE}/instansi/kab-contoh/positions",
        {"title": "Analis", "unit_id": str(agency.division_b.public_id)},
        content_type=JSON,
    )

    # then
    assert response.status_code == 403
    assert state() == before


@pytest.mark.django_db
def test_position_create_refuses_a_second_head_with_409(agency, client):
    # given
    before = state()

    # when
    response = as_user(client, agency.admin).post(
        f"{BASE}/instansi/kab-contoh/positions",
        {"title": "Kepala Lain", "unit_id": str(agency.division_a.public_id),
         "is_unit_head": True},
        content_type=JSON,
    )  # fmt: skip

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "position.unit_head_taken"
    assert state() == before


@pytest.mark.django_db
def test_position_create_with_an_unknown_kind_is_422(agency, client):
    # given
    before = state()

    # when
    response = as_user(client, agency.admin).post(
        f"{BASE}/instansi/kab-contoh/positions",
        {"title": "Analis", "unit_id": str(agency.division_a.public_id), "kind": "raja"},
        content_type=JSON,
    )

    # then
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.payload.kind"]
    assert state() == before


# --------------------------------------------------------------------------------------------
# Employees: list, get, orbit
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_employee_list_for_the_agency_admin(agency, other_agency, client):
    # when
    response = as_user(client, agency.admin).get(f"{BASE}/employees")

    # then
    body = response.json()
    assert body["count"] == 6
    assert [e["name"] for e in body["items"]] == [
        "Agus Wibowo", "Budi Santoso", "Dewi Lestari", "Hendra Gunawan", "Rina Marlina",
        "Siti Rahmawati",
    ]  # fmt: skip
    assert body["items"][0] == employee_json(agency.staff_a)


@pytest.mark.django_db
def test_employee_list_pages_with_limit_and_offset(agency, client):
    # when
    response = as_user(client, agency.admin).get(f"{BASE}/employees", {"limit": 2, "offset": 2})

    # then
    assert response.json()["count"] == 6
    assert [e["name"] for e in response.json()["items"]] == ["Dewi Lestari", "Hendra Gunawan"]


@pytest.mark.django_db
def test_employee_list_for_staff_shows_only_whom_they_may_see(agency, other_agency, client):
    # when
    response = as_user(client, agency.staff_a.user).get(f"{BASE}/employees")

    # then
    assert response.json()["count"] == 3
    assert [e["name"] for e in response.json()["items"]] == [
        "Agus Wibowo",
        "Budi Santoso",
        "Siti Rahmawati",
    ]


@pytest.mark.django_db
def test_employee_list_filters_by_agency_unit_and_search(
    agency, other_agency, platform_admin, client
):
    # given
    client = as_user(client, platform_admin)

    # when
    by_agency = client.get(f"{BASE}/employees", {"instansi": "kota-lain"})
    by_unit = client.get(f"{BASE}/employees", {"unit": str(agency.division_b.public_id)})
    by_search = client.get(f"{BASE}/employees", {"instansi": "kab-contoh", "q": "rina"})

    # then
    assert by_agency.json()["count"] == 6
    assert {e["instansi_code"] for e in by_agency.json()["items"]} == {"kota-lain"}
    assert [e["name"] for e in by_unit.json()["items"]] == ["Dewi Lestari", "Hendra Gunawan"]
    assert [e["name"] for e in by_search.json()["items"]] == ["Rina Marlina"]


@pytest.mark.django_db
def test_employee_list_by_another_agencys_unit_is_404(agency, other_agency, client):
    # when
    response = as_user(client, agency.admin).get(
        f"{BASE}/employees", {"unit": str(other_agency.division_a.public_id)}
    )

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "unit.not_found"


@pytest.mark.django_db
def test_employee_get_for_someone_who_may_see_them(agency, client):
    # when
    response = as_user(client, agency.staff_a.user).get(
        f"{BASE}/employees/{agency.head_a.public_id}"
    )

    # then
    assert response.status_code == 200
    assert response.json() == employee_json(agency.head_a)


@pytest.mark.django_db
def test_employee_get_of_a_peer_is_404(agency, client):
    # when
    response = as_user(client, agency.staff_a.user).get(
        f"{BASE}/employees/{agency.staff_a2.public_id}"
    )

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "employee.not_found"


@pytest.mark.django_db
def test_employee_orbit(agency, client):
    # when
    response = as_user(client, agency.staff_a.user).get(
        f"{BASE}/employees/{agency.head_a.public_id}/orbit"
    )

    # then
    assert response.status_code == 200
    assert response.json() == {
        "employee": employee_json(agency.head_a),
        "leader": employee_json(agency.head),
        "chain": [employee_json(agency.head)],
        "subordinates": [employee_json(agency.staff_a), employee_json(agency.staff_a2)],
    }


@pytest.mark.django_db
def test_employee_orbit_of_another_agencys_employee_is_404(agency, other_agency, client):
    # when
    response = as_user(client, agency.admin).get(
        f"{BASE}/employees/{other_agency.head.public_id}/orbit"
    )

    # then
    assert response.status_code == 404


# --------------------------------------------------------------------------------------------
# Employees: create and patch
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_employee_create_by_the_agency_admin(agency, client):
    # given
    position = services.position_create(
        actor=agency.admin, unit=agency.division_b, title="Analis B2",
        reports_to=agency.head_b.position,
    )  # fmt: skip

    # when
    response = as_user(client, agency.admin).post(
        f"{BASE}/employees",
        {"instansi_code": "kab-contoh", "nip": "19900115 201503 2 004", "name": "Ani Suryani",
         "front_title": "dr.", "position_id": str(position.public_id)},
        content_type=JSON,
    )  # fmt: skip

    # then
    assert response.status_code == 201
    employee = Employee.objects.get(nip="199001152015032004")
    assert response.json() == employee_json(employee)
    assert response.json()["full_name"] == "dr. Ani Suryani"
    assert (response.json()["gender"], response.json()["asn_kind"]) == ("P", "PNS")
    assert employee.user.username == "199001152015032004"
    assert employee.user.has_usable_password() is False


@pytest.mark.django_db
def test_employee_create_is_403_for_an_employee(agency, client):
    # given
    before = state()

    # when
    response = as_user(client, agency.head.user).post(
        f"{BASE}/employees",
        {"instansi_code": "kab-contoh", "nip": make_nip(), "name": "Titipan"},
        content_type=JSON,
    )

    # then
    assert response.status_code == 403
    assert response.json()["code"] == "instansi.admin_required"
    assert state() == before


@pytest.mark.django_db
def test_employee_create_is_404_for_another_agencys_admin(agency, other_agency, client):
    # given
    before = state()

    # when
    response = as_user(client, other_agency.admin).post(
        f"{BASE}/employees",
        {"instansi_code": "kab-contoh", "nip": make_nip(), "name": "Titipan"},
        content_type=JSON,
    )

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "instansi.not_found"
    assert state() == before


@pytest.mark.django_db
def test_employee_create_into_a_held_position_is_409(agency, client):
    # given
    before = state()

    # when
    response = as_user(client, agency.admin).post(
        f"{BASE}/employees",
        {"instansi_code": "kab-contoh", "nip": make_nip(), "name": "Penyerobot",
         "position_id": str(agency.staff_a.position.public_id)},
        content_type=JSON,
    )  # fmt: skip

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "employee.position_taken"
    assert state() == before


@pytest.mark.django_db
def test_employee_patch_changes_only_the_given_fields(agency, client):
    # given
    mark = AuditEvent.objects.count()

    # when
    response = as_user(client, agency.admin).patch(
        f"{BASE}/employees/{agency.staff_b.public_id}",
        {"status": "cuti", "back_title": "S.E."},
        content_type=JSON,
    )

    # then
    assert response.status_code == 200
    employee = Employee.objects.get(pk=agency.staff_b.pk)
    assert (employee.name, employee.back_title, employee.status, employee.position_id) == (
        "Hendra Gunawan", "S.E.", "cuti", agency.staff_b.position.pk,
    )  # fmt: skip
    assert response.json() == employee_json(employee)
    assert list(AuditEvent.objects.order_by("pk")[mark:].values_list("action", flat=True)) == [
        "organisations.employee.updated"
    ]


@pytest.mark.django_db
def test_employee_patch_with_null_position_clears_the_position(agency, client):
    # when
    response = as_user(client, agency.admin).patch(
        f"{BASE}/employees/{agency.staff_b.public_id}", {"position_id": None}, content_type=JSON
    )

    # then
    assert response.status_code == 200
    assert response.json()["position_id"] is None
    assert Employee.objects.get(pk=agency.staff_b.pk).position_id is None


@pytest.mark.django_db
def test_employee_patch_of_oneself_is_403_for_an_employee(agency, client):
    # given
    before = state()

    # when
    response = as_user(client, agency.staff_a.user).patch(
        f"{BASE}/employees/{agency.staff_a.public_id}", {"name": "Nama Baru"}, content_type=JSON
    )

    # then
    assert response.status_code == 403
    assert state() == before


@pytest.mark.django_db
def test_employee_patch_is_404_for_another_agencys_admin(agency, other_agency, client):
    # given
    before = state()

    # when
    response = as_user(client, other_agency.admin).patch(
        f"{BASE}/employees/{agency.staff_a.public_id}", {"name": "Nama Baru"}, content_type=JSON
    )

    # then
    assert response.status_code == 404
    assert state() == before


@pytest.mark.django_db
def test_employee_patch_of_an_unknown_employee_is_404(agency, client):
    # when
    response = as_user(client, agency.admin).patch(
        f"{BASE}/employees/{uuid.uuid4()}", {"name": "Nama Baru"}, content_type=JSON
    )

    # then
    assert response.status_code == 404
