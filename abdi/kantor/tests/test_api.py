"""``/api/v1/kantor``: the letter workflow through the API, refusals as problem+json."""

import datetime as dt
from typing import Any

import pytest

from abdi.kantor.models import Letter

from .conftest import Office

pytestmark = pytest.mark.django_db

BASE = "/api/v1/kantor"


def as_user(client: Any, user: Any) -> Any:
    client.logout()
    client.force_login(user)
    return client


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    return body


def test_draft_paraf_return_revise_sign_dispose_search(client: Any, office: Office) -> None:
    agency = office.agency
    api = as_user(client, agency.staff_a.user)
    payload = {
        "template": str(office.template.public_id),
        "classification": str(office.classification.public_id),
        "subject": "Permohonan data",
        "body": "Dengan hormat,\n\nMohon data pegawai.",
        "signer_position": str(agency.head.position.public_id),
        "recipients": [{"kind": "unit", "unit": str(agency.division_b.public_id)}],
    }
    created = api.post(f"{BASE}/letters", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    letter_id = created.json()["public_id"]
    assert created.json()["status"] == "draft"
    assert api.post(f"{BASE}/letters/{letter_id}/submit").json()["status"] == "in_review"

    api = as_user(client, agency.head.user)
    assert_problem(api.post(f"{BASE}/letters/{letter_id}/sign"), 403, "kantor.not_your_turn")
    api = as_user(client, agency.head_a.user)
    assert [row["public_id"] for row in api.get(f"{BASE}/letters/awaiting").json()] == [letter_id]
    api.post(f"{BASE}/letters/{letter_id}/paraf", {"comment": ""}, content_type="application/json")
    api = as_user(client, agency.head.user)
    assert_problem(
        api.post(
            f"{BASE}/letters/{letter_id}/return", {"comment": ""}, content_type="application/json"
        ),
        422,
        "kantor.comment_required",
    )
    returned = api.post(
        f"{BASE}/letters/{letter_id}/return",
        {"comment": "Lengkapi."},
        content_type="application/json",
    )
    assert returned.json()["status"] == "returned"

    api = as_user(client, agency.staff_a.user)
    updated = api.put(
        f"{BASE}/letters/{letter_id}",
        {"subject": "Permohonan data", "body": "Dengan hormat,\n\nMohon data pegawai 2026."},
        content_type="application/json",
    )
    assert updated.json()["version"] == 2
    diff = api.get(f"{BASE}/letters/{letter_id}/diff", {"old": 1, "new": 2}).json()
    assert {"op": "+", "text": "Mohon data pegawai 2026."} in diff
    api.post(f"{BASE}/letters/{letter_id}/submit")
    as_user(client, agency.head_a.user).post(
        f"{BASE}/letters/{letter_id}/paraf", {"comment": "OK"}, content_type="application/json"
    )
    api = as_user(client, agency.head.user)
    signed = api.post(f"{BASE}/letters/{letter_id}/sign").json()
    assert signed["status"] == "signed"
    assert signed["number"].startswith("1/800/DINAS/")
    pdf = api.get(f"{BASE}/letters/{letter_id}/signed.pdf")
    assert pdf.content.startswith(b"%PDF")

    # Dewi disposes to Hendra; Hendra replies; the tree shows it.
    api = as_user(client, agency.head_b.user)
    [entry] = api.get(f"{BASE}/inbox").json()["items"]
    deadline = (agency.instansi.local_date() + dt.timedelta(days=1)).isoformat()
    assert_problem(
        api.post(
            f"{BASE}/inbox/{entry['public_id']}/dispose",
            {"recipients": [str(agency.staff_a.public_id)], "instruction": "Bantu."},
            content_type="application/json",
        ),
        422,
        "kantor.not_subordinate",
    )
    disposed = api.post(
        f"{BASE}/inbox/{entry['public_id']}/dispose",
        {
            "recipients": [str(agency.staff_b.public_id)],
            "instruction": "Siapkan data.",
            "deadline": deadline,
        },
        content_type="application/json",
    )
    assert disposed.status_code == 201, disposed.content
    api = as_user(client, agency.staff_b.user)
    [mine] = api.get(f"{BASE}/inbox", {"open_only": True}).json()["items"]
    done = api.post(
        f"{BASE}/inbox/{mine['public_id']}/complete", {"reply": "Terkirim."},
        content_type="application/json",
    )  # fmt: skip
    assert done.json()["reply"] == "Terkirim."
    api = as_user(client, agency.head_b.user)
    [root] = api.get(f"{BASE}/letters/{letter_id}/dispositions").json()
    assert [(c["recipient"], c["reply"]) for c in root["children"]] == [
        ("Hendra Gunawan", "Terkirim.")
    ]

    # Archive search; an outsider cannot probe the letter.
    found = api.get(f"{BASE}/archive", {"number": signed["number"]}).json()
    assert [row["public_id"] for row in found["items"]] == [letter_id]
    Letter.objects.filter(public_id=letter_id).update(access_class="rahasia")
    api = as_user(client, agency.staff_a2.user)
    assert_problem(api.get(f"{BASE}/letters/{letter_id}"), 404, "kantor.letter_not_found")
    assert api.get(f"{BASE}/archive").json()["count"] == 0
