"""API errors: one RFC 7807 problem+json shape with a stable ``code``, whatever went wrong."""

import uuid

import pytest

from abdi.core.models import AuditEvent
from abdi.organisations.models import Employee, UnitKerja
from abdi.organisations.tests.factories import make_nip

PROBLEM_KEYS = {"type", "title", "status", "detail", "code", "instance", "request_id"}
EMPLOYEES_URL = "/api/v1/organisations/employees"
UNITS_URL = "/api/v1/organisations/instansi/kab-contoh/units"


def assert_problem(response, *, status: int, code: str, title: str) -> dict:
    """Check the problem+json envelope shared by every error and return the body."""
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["type"] == f"https://abdi.go.id/problems/{code}"
    assert body["title"] == title
    assert body["status"] == status
    assert body["code"] == code
    assert body["instance"] == response.wsgi_request.path
    assert body["request_id"] == response["X-Request-ID"]
    assert isinstance(body["detail"], str)
    assert body["detail"].strip() != ""
    return body


def _counts() -> tuple[int, int, int]:
    return Employee.objects.count(), UnitKerja.objects.count(), AuditEvent.objects.count()


# --------------------------------------------------------------------------------------------
# 401
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unauthenticated_request_gets_401_problem(client):
    # when
    response = client.get("/api/v1/accounts/me")

    # then
    body = assert_problem(response, status=401, code="auth.required", title="Unauthorized")
    assert body["instance"] == "/api/v1/accounts/me"
    assert "errors" not in body


@pytest.mark.django_db
def test_unknown_bearer_token_gets_401_problem(client):
    # when
    response = client.get(
        "/api/v1/accounts/me", headers={"Authorization": "Bearer not-a-real-token"}
    )

    # then
    assert_problem(response, status=401, code="auth.required", title="Unauthorized")


# --------------------------------------------------------------------------------------------
# 404: a forbidden record looks exactly like a missing one
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_employee_gets_404_problem(agency, client):
    # given
    client.force_login(agency.staff_a.user)

    # when
    response = client.get(f"{EMPLOYEES_URL}/{uuid.uuid4()}")

    # then
    assert_problem(response, status=404, code="employee.not_found", title="Not found")


@pytest.mark.django_db
def test_forbidden_employee_gets_the_same_404_as_a_missing_one(agency, other_agency, client):
    # given staff_a may see neither their peer nor anyone of another agency
    client.force_login(agency.staff_a.user)

    # when
    missing = client.get(f"{EMPLOYEES_URL}/{uuid.uuid4()}")
    peer = client.get(f"{EMPLOYEES_URL}/{agency.staff_a2.public_id}")
    foreign = client.get(f"{EMPLOYEES_URL}/{other_agency.staff_a.public_id}")

    # then
    def without_instance(response) -> dict:
        body = response.json()
        return {k: v for k, v in body.items() if k not in {"instance", "request_id"}}

    assert missing.status_code == peer.status_code == foreign.status_code == 404
    assert without_instance(peer) == without_instance(missing)
    assert without_instance(foreign) == without_instance(missing)
    assert peer["Content-Type"] == foreign["Content-Type"] == missing["Content-Type"]


@pytest.mark.django_db
def test_unknown_agency_gets_404_problem(agency, client):
    # given
    client.force_login(agency.admin)

    # when
    response = client.get("/api/v1/organisations/instansi/tidak-ada/units")

    # then
    assert_problem(response, status=404, code="instansi.not_found", title="Not found")


# --------------------------------------------------------------------------------------------
# 422
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_invalid_body_gets_422_problem_with_each_field_error(agency, client):
    # given
    client.force_login(agency.admin)
    before = _counts()

    # when
    response = client.post(
        EMPLOYEES_URL, {"instansi_code": "kab-contoh", "nip": 123}, content_type="application/json"
    )

    # then
    body = assert_problem(
        response, status=422, code="request.invalid", title="Unprocessable content"
    )
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("body.payload.nip", "string_type"),
        ("body.payload.name", "missing"),
    ]
    assert all(e["message"] for e in body["errors"])
    assert _counts() == before


@pytest.mark.django_db
def test_invalid_path_parameter_gets_422_problem(agency, client):
    # given
    client.force_login(agency.admin)

    # when
    response = client.get(f"{EMPLOYEES_URL}/not-a-uuid")

    # then
    body = assert_problem(
        response, status=422, code="request.invalid", title="Unprocessable content"
    )
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("path.public_id", "uuid_parsing")]


@pytest.mark.django_db
def test_unparseable_body_gets_400_problem(agency, client):
    # given
    client.force_login(agency.admin)
    before = _counts()

    # when
    response = client.post(EMPLOYEES_URL, "{not json", content_type="application/json")

    # then
    assert_problem(response, status=400, code="request.malformed", title="Bad request")
    assert _counts() == before


@pytest.mark.django_db
def test_unknown_api_address_gets_404_problem_not_an_html_page(agency, client):
    client.force_login(agency.admin)

    response = client.get("/api/v1/no-such-endpoint")

    body = assert_problem(response, status=404, code="not_found", title="Not found")
    assert body["instance"] == "/api/v1/no-such-endpoint"


@pytest.mark.django_db
def test_field_problems_are_worded_for_people_in_the_requested_language(agency, client):
    client.force_login(agency.admin)
    payload = {"nip": 5, "name": "x" * 201, "status": "sleeping"}

    response = client.post(
        EMPLOYEES_URL, payload, content_type="application/json", headers={"Accept-Language": "en"}
    )

    body = assert_problem(
        response, status=422, code="request.invalid", title="Unprocessable content"
    )
    messages = {error["field"]: (error["code"], error["message"]) for error in body["errors"]}
    assert messages == {
        "body.payload.instansi_code": ("missing", "This field is required."),
        "body.payload.nip": ("string_type", "Enter text."),
        "body.payload.name": ("string_too_long", "Enter at most 200 characters."),
        "body.payload.status": (
            "enum",
            "Choose one of: 'aktif', 'cuti', 'nonaktif' or 'pensiun'.",
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("12345", "nip.length"),
        ("1985041220100310AB", "nip.not_digits"),
        ("198513122010031001", "nip.birth_date_invalid"),
        ("198504122010033001", "nip.gender_invalid"),
    ],
)
def test_domain_error_gets_422_problem_with_its_code(agency, client, nip, code):
    # given
    client.force_login(agency.admin)
    before = _counts()

    # when
    response = client.post(
        EMPLOYEES_URL,
        {"instansi_code": "kab-contoh", "nip": nip, "name": "Pegawai Baru"},
        content_type="application/json",
    )

    # then
    body = assert_problem(response, status=422, code=code, title="Unprocessable content")
    assert body["errors"] == [{"field": "nip", "code": code, "message": body["detail"]}]
    assert _counts() == before


@pytest.mark.django_db
def test_model_validation_error_gets_422_problem_not_a_server_error(agency, client):
    # given an email the model refuses
    client.force_login(agency.admin)
    before = _counts()

    # when
    response = client.post(
        EMPLOYEES_URL,
        {"instansi_code": "kab-contoh", "nip": make_nip(), "name": "Baru", "email": "bukan-email"},
        content_type="application/json",
    )

    # then
    body = assert_problem(
        response, status=422, code="employee.invalid", title="Unprocessable content"
    )
    assert body["errors"] == [{"field": "email", "code": "invalid", "message": body["detail"]}]
    assert _counts() == before


# --------------------------------------------------------------------------------------------
# 409 and 403
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_duplicate_nip_gets_409_problem(agency, client):
    # given
    client.force_login(agency.admin)
    before = _counts()

    # when
    response = client.post(
        EMPLOYEES_URL,
        {"instansi_code": "kab-contoh", "nip": agency.staff_a.nip, "name": "Kembar"},
        content_type="application/json",
    )

    # then
    body = assert_problem(response, status=409, code="nip.duplicate", title="Conflict")
    assert body["errors"] == [{"field": "nip", "code": "nip.duplicate", "message": body["detail"]}]
    assert _counts() == before


@pytest.mark.django_db
def test_duplicate_unit_code_gets_409_problem(agency, client):
    # given
    client.force_login(agency.admin)
    before = _counts()

    # when
    response = client.post(
        UNITS_URL, {"code": "BID-A", "name": "Bidang A Lagi"}, content_type="application/json"
    )

    # then
    body = assert_problem(response, status=409, code="unit.code_duplicate", title="Conflict")
    assert [e["field"] for e in body["errors"]] == ["code"]
    assert _counts() == before


@pytest.mark.django_db
def test_non_admin_creating_a_unit_gets_403_problem(agency, client):
    # given an employee of the agency: they can see it but not change it
    client.force_login(agency.staff_a.user)
    before = _counts()

    # when
    response = client.post(
        UNITS_URL, {"code": "SEK-X", "name": "Seksi X"}, content_type="application/json"
    )

    # then
    assert_problem(response, status=403, code="instansi.admin_required", title="Forbidden")
    assert _counts() == before


@pytest.mark.django_db
def test_admin_creating_a_unit_with_the_same_request_succeeds(agency, client):
    # given the agency's administrator, with the request refused above
    client.force_login(agency.admin)

    # when
    response = client.post(
        UNITS_URL, {"code": "SEK-X", "name": "Seksi X"}, content_type="application/json"
    )

    # then
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json; charset=utf-8"


# --------------------------------------------------------------------------------------------
# Language
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_problem_is_answered_in_the_requested_language(agency, client, language):
    # given
    client.force_login(agency.admin)

    # when
    response = client.post(
        EMPLOYEES_URL,
        {"instansi_code": "kab-contoh", "nip": "12345", "name": "Pegawai Baru"},
        content_type="application/json",
        headers={"Accept-Language": language},
    )

    # then the code is stable across languages; the detail is in the active language
    assert_problem(response, status=422, code="nip.length", title="Unprocessable content")
    assert response["Content-Language"] == language


@pytest.mark.django_db
def test_problem_detail_in_english_names_the_rule(agency, client):
    # given
    client.force_login(agency.admin)

    # when
    response = client.post(
        EMPLOYEES_URL,
        {"instansi_code": "kab-contoh", "nip": "12345", "name": "Pegawai Baru"},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )

    # then
    assert response.json()["detail"] == "NIP must be exactly 18 digits, not 5."


def test_model_rules_skip_the_generated_public_id_which_its_unique_index_guards(agency):
    from django.db import IntegrityError, connection, transaction
    from django.test.utils import CaptureQueriesContext

    from abdi.core.exceptions import full_clean

    twin = UnitKerja(
        instansi=agency.instansi, code="BU-9", name="Bagian Umum",
        public_id=agency.division_a.public_id,
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        full_clean(twin, code="unit.invalid")

    conditions = [q["sql"].split("WHERE")[-1] for q in queries.captured_queries]
    assert any('"code"' in where for where in conditions)  # the other rules were checked
    assert not any("public_id" in where for where in conditions)
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
