"""``/api/v1/belajar``: the same services through the API, with Idempotency-Key."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from abdi.accounts.services import api_token_create
from abdi.belajar import services
from abdi.belajar.models import JpEntry, Registration

from .factories import MEETING, programme, session

pytestmark = pytest.mark.django_db

API = "/api/v1/belajar"
PROBLEM = "application/problem+json"


def bearer(user):
    _token, raw = api_token_create(actor=user, name="uji")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == code
    return response.json()


@pytest.fixture
def prog(agency):
    return programme(agency)


def test_programmes_and_sessions_with_seats_left(client, agency, prog):
    s = session(prog, capacity=25)
    client.force_login(agency.staff_a.user)

    programmes = client.get(f"{API}/programmes").json()
    sessions = client.get(f"{API}/programmes/{prog.public_id}/sessions").json()
    one = client.get(f"{API}/sessions/{s.public_id}").json()

    assert programmes["count"] == 1
    assert programmes["items"][0]["organiser_code"] == agency.instansi.code
    assert sessions["items"][0]["public_id"] == str(s.public_id)
    assert one["seats_left"] == 25
    assert one["jp"] == "2.66"
    assert "meeting_url" not in one
    assert one["join_url"] == f"/belajar/sesi/{s.public_id}/gabung/"


def test_register_with_an_idempotency_key_replays(client, other_agency, prog):
    s = session(prog, capacity=1)
    headers = bearer(other_agency.staff_a.user) | {"HTTP_IDEMPOTENCY_KEY": "4d0c-aa"}
    url = f"{API}/sessions/{s.public_id}/registrations"

    first = client.post(url, {}, content_type="application/json", **headers)
    again = client.post(url, {}, content_type="application/json", **headers)

    assert first.status_code == 201
    assert first.json()["outcome"] == "confirmed"
    assert first.json()["registration"]["status"] == "confirmed"
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["replayed"] is True
    assert again.json()["registration"]["public_id"] == first.json()["registration"]["public_id"]
    assert Registration.objects.count() == 1

    other = client.post(
        f"{API}/sessions/{session(prog).public_id}/registrations", {},
        content_type="application/json", **headers,
    )  # fmt: skip
    assert_problem(other, 422, "belajar.idempotency_key_reused")


def test_a_full_session_waitlists_with_202_or_refuses_with_409(client, agency, prog):
    s = session(prog, capacity=1)
    services.registration_create(actor=agency.staff_b.user, session=s)
    url = f"{API}/sessions/{s.public_id}/registrations"

    refused = client.post(
        url, {"waitlist": False}, content_type="application/json", **bearer(agency.staff_a.user)
    )
    queued = client.post(url, {}, content_type="application/json", **bearer(agency.staff_a.user))

    assert_problem(refused, 409, "belajar.session_full")
    assert queued.status_code == 202
    assert queued.json()["outcome"] == "waitlisted"
    assert queued.json()["registration"]["waitlist_position"] == 1


def test_cancel_promotes_and_lists_my_registrations(client, agency, prog):
    s = session(prog, capacity=1)
    mine = services.registration_create(actor=agency.staff_a.user, session=s).registration
    services.registration_create(actor=agency.staff_b.user, session=s)
    headers = bearer(agency.staff_a.user)

    response = client.post(f"{API}/registrations/{mine.public_id}/cancel", **headers)
    listed = client.get(f"{API}/me/registrations", **headers).json()
    stranger = client.post(
        f"{API}/registrations/{mine.public_id}/cancel", **bearer(agency.staff_a2.user)
    )

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Registration.objects.get(participant=agency.staff_b.user).status == "confirmed"
    assert listed["items"][0]["status"] == "cancelled"
    assert_problem(stranger, 404, "not_found")


def test_a_citizen_is_refused_with_a_code(client, citizen, prog):
    s = session(prog)
    response = client.post(
        f"{API}/sessions/{s.public_id}/registrations", {}, content_type="application/json",
        **bearer(citizen.user),
    )  # fmt: skip
    assert_problem(response, 403, "belajar.not_employee")


def test_join_check_in_certificates_and_jp(
    client, agency, prog, django_capture_on_commit_callbacks
):
    s = session(prog, starts_at=timezone.now() - timedelta(minutes=5), jp=Decimal(2))
    services.registration_create(actor=agency.staff_a.user, session=s)
    headers = bearer(agency.staff_a.user)

    joined = client.post(f"{API}/sessions/{s.public_id}/join", **headers)
    wrong = client.post(
        f"{API}/sessions/{s.public_id}/checkin", {"code": "x"}, content_type="application/json",
        **headers,
    )  # fmt: skip
    checked = client.post(
        f"{API}/sessions/{s.public_id}/checkin", {"code": s.checkin_code},
        content_type="application/json", **headers,
    )  # fmt: skip

    assert joined.json() == {"meeting_url": MEETING}
    assert_problem(wrong, 422, "belajar.checkin_code")
    assert checked.status_code == 200
    registration = Registration.objects.get(participant=agency.staff_a.user)
    Registration.objects.filter(pk=registration.pk).update(reported_minutes=120)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_close(actor=None, session=s, now=s.ends_at)

    certificates = client.get(f"{API}/me/certificates", **headers).json()
    ledger = client.get(f"{API}/me/jp", {"year": JpEntry.objects.get().earned_on.year}, **headers)
    leader = client.get(
        f"{API}/employees/{agency.staff_a.public_id}/jp", **bearer(agency.head_a.user)
    )
    peer = client.get(
        f"{API}/employees/{agency.staff_a.public_id}/jp", **bearer(agency.staff_b.user)
    )

    item = certificates["items"][0]
    assert item["code"] == registration.certificate.code
    assert item["verification_url"].endswith(f"/v/{item['code']}/")
    assert item["revoked"] is False
    assert ledger.json()["earned"] == "2.00"
    assert ledger.json()["remaining"] == "18.00"
    assert ledger.json()["entries"][0]["jp"] == "2.00"
    assert leader.status_code == 200
    assert_problem(peer, 404, "not_found")
