"""The API: catalogue, apply with Idempotency-Key, public status, queue, transitions, survey."""

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from abdi.layanan.models import Application
from abdi.layanan.tests.factories import PDF, submit
from abdi.organisations.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

BASE = "/api/v1/layanan"


def client_for(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def apply(client: Client, service: Any, key: str = "k1", **data: Any) -> Any:
    return client.post(
        f"{BASE}/services/{service.public_id}/applications",
        {
            "data": json.dumps({"no_kk": "3404071403920003", **data}),
            "kk": SimpleUploadedFile("kk.pdf", PDF),
        },
        headers={"Idempotency-Key": key},
    )


def test_catalogue_is_public(service: Any) -> None:
    listing = Client().get(f"{BASE}/services").json()
    assert [item["code"] for item in listing["items"]] == ["ktp-el-baru"]
    detail = Client().get(f"{BASE}/services/{service.public_id}").json()
    assert [f["key"] for f in detail["fields"]] == ["no_kk", "alasan"]
    assert detail["documents"][0] == {
        "key": "kk", "label": "Kartu Keluarga", "accept": "pdf_image", "max_bytes": 1024,
        "max_count": 2, "required": True,
    }  # fmt: skip
    assert detail["requirements"] == ["Kartu Keluarga", "Perekaman biometrik"]


def test_apply_twice_with_the_same_key_returns_the_first(citizen: Any, service: Any) -> None:
    client = client_for(citizen.user)
    first = apply(client, service)
    again = apply(client, service)

    assert first.status_code == 201
    assert again.status_code == 201
    assert first.json()["public_id"] == again.json()["public_id"]
    assert first.json()["documents"][0]["content_type"] == "application/pdf"
    assert Application.objects.count() == 1


def test_the_submit_answer_shows_the_case_as_a_read_of_it_does(citizen: Any, service: Any) -> None:
    client = client_for(citizen.user)
    submitted = apply(client, service).json()

    read = client.get(f"{BASE}/applications/{submitted['public_id']}").json()

    assert submitted == read
    assert [step["status"] for step in submitted["history"]] == ["submitted"]
    assert [doc["document"] for doc in submitted["documents"]] == ["kk"]


def test_second_active_application_is_a_conflict(citizen: Any, service: Any) -> None:
    client = client_for(citizen.user)
    apply(client, service, key="a")
    response = apply(client, service, key="b")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "layanan.active_exists"


def test_invalid_file_is_a_problem_on_its_field(citizen: Any, service: Any) -> None:
    response = client_for(citizen.user).post(
        f"{BASE}/services/{service.public_id}/applications",
        {"data": json.dumps({"no_kk": "1"}), "kk": SimpleUploadedFile("kk.pdf", b"GIF89a")},
    )
    body = response.json()
    assert response.status_code == 422
    assert (body["code"], body["errors"][0]["field"]) == ("layanan.document_type", "kk")


def test_public_status_shows_only_status_and_timeline(citizen: Any, service: Any) -> None:
    application = submit(citizen, service)
    response = Client().post(
        f"{BASE}/status",
        {"tracking_code": application.display_code.lower(), "nik": citizen.nik},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert set(response.json()) == {"tracking_code", "service", "status", "history"}
    assert response.json()["history"][0]["status"] == "submitted"
    wrong = Client().post(
        f"{BASE}/status",
        {"tracking_code": application.tracking_code, "nik": "3404041508900001"},
        content_type="application/json",
    )
    assert wrong.status_code == 404


@override_settings(ABDI_LAYANAN_STATUS_RATE="2/m")
def test_public_status_is_rate_limited(citizen: Any, service: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    body = {"tracking_code": "AAAAAAAAAA", "nik": citizen.nik}
    codes = [
        Client().post(f"{BASE}/status", body, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert codes == [404, 404, 429]


def test_the_queue_answers_as_many_cases_as_asked_riskiest_first(
    agency: Any, service: Any, officer: Any
) -> None:
    from datetime import timedelta

    from abdi.layanan.tests.factories import NOW
    from abdi.organisations.tests.factories import build_citizen

    cases = [
        submit(build_citizen(username=f"l{day}@example.id"), service, now=NOW + timedelta(days=day))
        for day in (3, 1, 2)
    ]
    api = client_for(officer)

    top = api.get(f"{BASE}/queue", {"limit": 2}).json()
    everything = api.get(f"{BASE}/queue").json()
    too_many = api.get(f"{BASE}/queue", {"limit": 201})

    assert [item["tracking_code"] for item in top] == [
        cases[1].display_code, cases[2].display_code,
    ]  # fmt: skip
    assert len(everything) == 3
    assert too_many.status_code == 422


def test_officer_workflow_through_the_api(
    agency: Any, citizen: Any, service: Any, officer: Any
) -> None:
    application = submit(citizen, service)
    api = client_for(officer)
    stranger = client_for(agency.staff_b.user)
    case = f"{BASE}/cases/{application.public_id}"

    assert stranger.get(case).status_code == 404
    queue = api.get(f"{BASE}/queue").json()
    assert [item["tracking_code"] for item in queue] == [application.display_code]
    assert api.post(f"{case}/claim").json()["status"] == "in_review"
    document = api.get(case).json()["documents"][0]["public_id"]
    checked = api.post(
        f"{case}/documents/{document}/check", {"accepted": False, "note": "Buram"},
        content_type="application/json",
    )  # fmt: skip
    assert checked.json()["documents"][0]["status"] == "rejected"
    corrected = api.post(
        f"{case}/correction", {"note": "Unggah ulang"}, content_type="application/json"
    )
    assert (corrected.json()["status"], corrected.json()["paused"]) == ("needs_correction", True)

    citizen_api = client_for(citizen.user)
    resubmitted = citizen_api.post(
        f"{BASE}/applications/{application.public_id}/resubmit",
        {"kk": SimpleUploadedFile("baru.pdf", PDF)},
    )
    assert resubmitted.status_code == 200
    assert resubmitted.json()["status"] == "in_review"

    document = api.get(case).json()["documents"][0]["public_id"]
    api.post(
        f"{case}/documents/{document}/check", {"accepted": True}, content_type="application/json"
    )
    assert (
        api.post(f"{case}/approve", {}, content_type="application/json").json()["status"]
        == "approved"
    )
    completed = api.post(f"{case}/complete")
    assert completed.json()["status"] == "completed"

    mine = citizen_api.get(f"{BASE}/applications/{application.public_id}").json()
    assert mine["product_url"].startswith("http")
    assert mine["survey_due"] is True
    answers = {f"u{i}": 3 for i in range(1, 10)}
    survey = citizen_api.post(
        f"{BASE}/applications/{application.public_id}/survey", answers,
        content_type="application/json",
    )  # fmt: skip
    assert survey.status_code == 201
    again = citizen_api.post(
        f"{BASE}/applications/{application.public_id}/survey", answers,
        content_type="application/json",
    )  # fmt: skip
    assert (again.status_code, again.json()["code"]) == (409, "layanan.survey_done")

    head = client_for(agency.head_a.user)
    today = agency.instansi.local_date()
    ikm = head.get(f"{BASE}/ikm", {"start": today.replace(day=1), "end": today}).json()
    assert (ikm["converted"], ikm["grade"], ikm["respondents"]) == ("75.00", "C", 1)
