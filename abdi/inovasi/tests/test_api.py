"""``/api/v1/inovasi``: register → endorse → replicate, refusals as problem+json, access."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from abdi.inovasi.models import Innovation
from abdi.kinerja.tests.factories import draft_plan, open_year
from abdi.organisations.tests.factories import Agency

from .factories import register

pytestmark = pytest.mark.django_db

BASE = "/api/v1/inovasi"
JSON = "application/json"
PROBLEM = "application/problem+json"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def as_user(client: Any, user: Any) -> Any:
    client.logout()
    client.force_login(user)
    return client


def assert_problem(response: Any, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == code
    return body


def test_register_endorse_replicate_through_the_api(
    agency: Agency, other_agency: Agency, client: Any
) -> None:
    staff = as_user(client, agency.staff_a.user)
    response = staff.post(
        f"{BASE}/innovations",
        {
            "title": "Antrean daring KTP-el", "problem": "Antre sejak subuh.",
            "idea": "Antrean lewat ponsel.", "stage": "uji_coba", "service_name": "KTP-el",
            "metric": "kinerja.accepted_outputs", "baseline_start": "2026-01-01",
            "baseline_end": "2026-03-31",
            "members": [{"employee_id": str(agency.staff_a2.public_id), "role": "Pengembang"}],
            "collaborators": [{"kind": "partner", "name": "Diskominfo", "role": "Server"}],
        },
        content_type=JSON,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    public_id = body["public_id"]
    assert body["status"] == "draft"
    assert body["stage"] == "uji_coba"
    assert body["members"][0]["employee"]["public_id"] == str(agency.staff_a2.public_id)
    assert body["collaborators"] == [{"kind": "partner", "name": "Diskominfo", "role": "Server"}]
    assert body["stage_history"][0]["to_stage"] == "uji_coba"
    comparison = body["metric_comparison"]
    assert comparison["key"] == "kinerja.accepted_outputs"
    assert comparison["baseline"] == {"start": "2026-01-01", "end": "2026-03-31", "value": "0"}
    assert body["can_change"] is True

    response = staff.post(
        f"{BASE}/innovations/{public_id}/evidence",
        {"file": SimpleUploadedFile("laporan.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "application/pdf"
    response = staff.post(
        f"{BASE}/innovations/{public_id}/updates", {"text": "Jalan."}, content_type=JSON
    )
    assert response.status_code == 201, response.content
    assert staff.post(f"{BASE}/innovations/{public_id}/submit").status_code == 200

    # another agency cannot see the draft yet
    outsider = as_user(client, other_agency.staff_b.user)
    assert_problem(outsider.get(f"{BASE}/innovations/{public_id}"), 404, "inovasi.not_found")

    leader = as_user(client, agency.head_a.user)
    queue = leader.get(f"{BASE}/reviews").json()
    assert [item["public_id"] for item in queue["items"]] == [public_id]
    response = leader.post(
        f"{BASE}/innovations/{public_id}/endorse", {"note": "Lanjutkan"}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "endorsed"

    outsider = as_user(client, other_agency.staff_b.user)
    found = outsider.get(f"{BASE}/innovations", {"q": "antrean", "other_agencies": "true"}).json()
    assert [item["public_id"] for item in found["items"]] == [public_id]
    assert outsider.get(f"{BASE}/innovations", {"stage": "replikasi"}).json()["count"] == 0
    response = outsider.post(
        f"{BASE}/innovations/{public_id}/replications", {"note": "Kami tiru"}, content_type=JSON
    )
    assert response.status_code == 201, response.content
    replica = response.json()
    assert replica["replicates"]["public_id"] == public_id
    assert replica["instansi"]["code"] == other_agency.instansi.code
    seen_by_replicator = outsider.get(f"{BASE}/innovations/{public_id}").json()
    assert [r["public_id"] for r in seen_by_replicator["replications"]] == [replica["public_id"]]
    # the replica is still a private draft of the other agency
    owner = as_user(client, agency.staff_a.user)
    assert owner.get(f"{BASE}/innovations/{public_id}").json()["replications"] == []
    assert_problem(
        owner.get(f"{BASE}/innovations/{replica['public_id']}"), 404, "inovasi.not_found"
    )


def test_refusals_are_problem_documents(agency: Agency, client: Any) -> None:
    innovation = register(agency.staff_a)
    path = f"{BASE}/innovations/{innovation.public_id}"
    colleague = as_user(client, agency.staff_a2.user)
    assert_problem(colleague.get(path), 404, "inovasi.not_found")
    staff = as_user(client, agency.staff_a.user)
    assert_problem(
        staff.post(f"{path}/endorse", {"note": ""}, content_type=JSON), 403, "inovasi.not_leader"
    )
    assert_problem(
        staff.post(f"{path}/stage", {"stage": "ide"}, content_type=JSON),
        409,
        "inovasi.stage_invalid",
    )
    assert_problem(staff.post(f"{path}/evidence", {"url": "ftp://x"}), 422, "inovasi.evidence_url")
    assert_problem(
        staff.post(
            f"{BASE}/innovations",
            {"title": "X", "problem": "Y", "idea": "Z", "metric": "nope"},
            content_type=JSON,
        ),
        422,
        "inovasi.metric_unknown",
    )
    leader = as_user(client, agency.head_a.user)
    assert_problem(
        leader.post(f"{path}/return", {"note": "x"}, content_type=JSON),
        409,
        "inovasi.not_submitted",
    )


def test_update_stage_members_and_the_skp(agency: Agency, client: Any) -> None:
    year = open_year(agency, year=timezone.now().year)
    draft_plan(year, agency.staff_a)
    innovation = register(agency.staff_a)
    path = f"{BASE}/innovations/{innovation.public_id}"
    today = agency.instansi.local_date().isoformat()
    staff = as_user(client, agency.staff_a.user)
    response = staff.put(
        path, {"title": "Antrean 2", "problem": "P", "idea": "I", "service_name": "Akta"},
        content_type=JSON,
    )  # fmt: skip
    assert response.json()["title"] == "Antrean 2"
    response = staff.post(
        f"{path}/stage", {"stage": "implementasi", "on": today}, content_type=JSON
    )
    assert response.json()["stage_history"][-1] == {
        "from_stage": "ide", "to_stage": "implementasi", "changed_on": today, "note": "",
    }  # fmt: skip
    response = staff.post(
        f"{path}/members", {"employee_id": str(agency.staff_b.public_id)}, content_type=JSON
    )
    assert response.status_code == 201, response.content
    response = staff.post(
        f"{path}/collaborators", {"kind": "stakeholder", "name": "Desa Maju"}, content_type=JSON
    )
    assert response.status_code == 201, response.content
    staff.post(f"{path}/submit")
    as_user(client, agency.head_a.user).post(f"{path}/endorse", {}, content_type=JSON)
    staff = as_user(client, agency.staff_a.user)
    response = staff.post(f"{path}/skp")
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "tambahan"
    assert staff.get(path).json()["skp_rhk_id"] == response.json()["public_id"]
    assert_problem(staff.post(f"{path}/skp"), 409, "inovasi.already_in_skp")


def test_settings_are_for_the_agency_admin(
    agency: Agency, other_agency: Agency, client: Any
) -> None:
    path = f"{BASE}/settings/{agency.instansi.code}"
    admin = as_user(client, agency.admin)
    response = admin.put(path, {"dormant_months": 4}, content_type=JSON)
    assert response.json() == {"instansi_code": agency.instansi.code, "dormant_months": 4}
    other = as_user(client, other_agency.admin)
    assert_problem(
        other.put(path, {"dormant_months": 4}, content_type=JSON), 404, "instansi.not_found"
    )


def test_the_list_needs_a_sign_in(client: Any, agency: Agency) -> None:
    register(agency.staff_a)
    response = client.get(f"{BASE}/innovations")
    assert response.status_code == 401
    assert Innovation.objects.count() == 1
