"""``/api/v1/kinerja``: the SKP workflow through the API, refusals as problem+json, documents."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from abdi.kinerja.models import Evidence, Realisation, Rhk, SkpPlan
from abdi.kinerja.tests.factories import NOW, YEAR, build_cascade

BASE = "/api/v1/kinerja"
JSON = "application/json"
PROBLEM = "application/problem+json"
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def frozen(monkeypatch):
    """Mid-January 2026: before the planning deadline, with period 1 (January) started."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def as_user(client, user):
    client.force_login(user)
    return client


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    return body


# --------------------------------------------------------------------------------------------
# The whole workflow
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_plan_workflow_from_draft_to_accepted_realisation(agency, client, frozen, media):
    # given the approved cascade head → head_a → staff_a; staff_a2 also reports to head_a
    cascade = build_cascade(agency)
    staff = as_user(client, agency.staff_a2.user)

    # when staff_a2 starts a plan
    response = staff.post(f"{BASE}/plans", {"year": YEAR}, content_type=JSON)

    # then
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["status"] == "draft"
    assert plan["year"] == YEAR
    assert plan["employee"]["public_id"] == str(agency.staff_a2.public_id)
    assert plan["assessor"]["public_id"] == str(agency.head_a.public_id)
    assert plan["rhks"] == []
    plan_id = plan["public_id"]
    assert staff.get(f"{BASE}/plans/me", {"year": YEAR}).json()["public_id"] == plan_id

    # when a result cascading the leader's is added, with an indicator
    response = staff.post(
        f"{BASE}/plans/{plan_id}/rhks",
        {"text": "Arsip layanan tertata", "parent_id": str(cascade.a_rhk.public_id)},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    rhk = response.json()
    assert rhk["parent_id"] == str(cascade.a_rhk.public_id)
    assert rhk["cascade"] == "derived"
    response = staff.post(
        f"{BASE}/rhks/{rhk['public_id']}/indicators",
        {"aspect": "kuantitas", "text": "Jumlah arsip", "target": "12", "unit": "berkas"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    indicator = response.json()
    assert indicator["target"] == "12.00"

    # when submitted and approved by the direct leader
    response = staff.post(f"{BASE}/plans/{plan_id}/submit")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    leader = as_user(client, agency.head_a.user)
    response = leader.post(f"{BASE}/plans/{plan_id}/approve")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"

    # when the employee records January and attaches a PDF
    staff = as_user(client, agency.staff_a2.user)
    response = staff.put(
        f"{BASE}/indicators/{indicator['public_id']}/realisations/1",
        {"value": "6", "note": "Separuh arsip"},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    realisation = response.json()
    assert (realisation["period"], realisation["value"]) == (1, "6.00")
    assert realisation["status"] == "submitted"
    upload = SimpleUploadedFile("bukti.pdf", PDF_BYTES, content_type="application/pdf")
    response = staff.post(
        f"{BASE}/realisations/{realisation['public_id']}/evidence", {"file": upload}
    )
    assert response.status_code == 201, response.content
    evidence = response.json()
    assert evidence["original_name"] == "bukti.pdf"
    assert evidence["content_type"] == "application/pdf"
    assert evidence["size"] == len(PDF_BYTES)
    # a corrected note keeps its evidence, and the answer shows it
    response = staff.put(
        f"{BASE}/indicators/{indicator['public_id']}/realisations/1",
        {"value": "6", "note": "Separuh arsip, bukti terlampir"},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    assert response.json()["note"] == "Separuh arsip, bukti terlampir"
    assert [e["public_id"] for e in response.json()["evidence"]] == [evidence["public_id"]]

    # when the leader accepts it
    leader = as_user(client, agency.head_a.user)
    response = leader.post(f"{BASE}/realisations/{realisation['public_id']}/accept")

    # then
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    assert Realisation.objects.get(public_id=realisation["public_id"]).status == "accepted"
    assert Evidence.objects.get(public_id=evidence["public_id"]).file.read() == PDF_BYTES
    detail = leader.get(f"{BASE}/plans/{plan_id}").json()
    [only] = detail["rhks"]
    assert only["progress"] == "0.5000"
    [ind] = only["indicators"]
    assert ind["realisations"][0]["evidence"][0]["public_id"] == evidence["public_id"]
    team = leader.get(f"{BASE}/team", {"year": YEAR}).json()
    rows = {row["employee"]["public_id"]: row for row in team["items"]}
    assert rows[str(agency.staff_a2.public_id)]["plan_status"] == "approved"
    assert rows[str(agency.staff_a.public_id)]["plan_id"] == str(cascade.staff_plan.public_id)


@pytest.mark.django_db
def test_returning_and_revising_a_plan(agency, client, frozen):
    # given a submitted plan of staff_a2
    cascade = build_cascade(agency)
    staff = as_user(client, agency.staff_a2.user)
    plan_id = staff.post(f"{BASE}/plans", {"year": YEAR}, content_type=JSON).json()["public_id"]
    rhk = staff.post(
        f"{BASE}/plans/{plan_id}/rhks",
        {"text": "Surat terkirim", "parent_id": str(cascade.a_rhk.public_id)},
        content_type=JSON,
    ).json()
    staff.post(
        f"{BASE}/rhks/{rhk['public_id']}/indicators",
        {"aspect": "waktu", "text": "Hari kirim", "target": 2, "unit": "hari"},
        content_type=JSON,
    )
    staff.post(f"{BASE}/plans/{plan_id}/submit")

    # when the leader returns it with a comment
    leader = as_user(client, agency.head_a.user)
    response = leader.post(
        f"{BASE}/plans/{plan_id}/return", {"comment": "Perjelas target"}, content_type=JSON
    )

    # then
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "returned"
    assert response.json()["return_comment"] == "Perjelas target"

    # when resubmitted, approved and revised by the owner
    staff = as_user(client, agency.staff_a2.user)
    staff.post(f"{BASE}/plans/{plan_id}/submit")
    as_user(client, agency.head_a.user).post(f"{BASE}/plans/{plan_id}/approve")
    staff = as_user(client, agency.staff_a2.user)
    response = staff.post(
        f"{BASE}/plans/{plan_id}/revise", {"reason": "Tugas baru"}, content_type=JSON
    )

    # then
    assert response.status_code == 201, response.content
    revised = response.json()
    assert (revised["version"], revised["status"]) == (2, "draft")
    assert revised["previous_id"] == plan_id
    assert [r["text"] for r in revised["rhks"]] == ["Surat terkirim"]
    assert SkpPlan.objects.get(public_id=plan_id).status == "superseded"


@pytest.mark.django_db
def test_editing_results_indicators_annex_and_expectations(agency, client, frozen):
    # given a draft plan of staff_a2 with one result and indicator
    cascade = build_cascade(agency)
    staff = as_user(client, agency.staff_a2.user)
    plan_id = staff.post(f"{BASE}/plans", {"year": YEAR}, content_type=JSON).json()["public_id"]
    rhk = staff.post(
        f"{BASE}/plans/{plan_id}/rhks",
        {"text": "Draf", "parent_id": str(cascade.a_rhk.public_id)},
        content_type=JSON,
    ).json()
    indicator = staff.post(
        f"{BASE}/rhks/{rhk['public_id']}/indicators",
        {"aspect": "kuantitas", "text": "Jumlah", "target": "3", "unit": "dokumen"},
        content_type=JSON,
    ).json()

    # when
    patched = staff.patch(
        f"{BASE}/rhks/{rhk['public_id']}", {"text": "Draf final"}, content_type=JSON
    )
    patched_ind = staff.patch(
        f"{BASE}/indicators/{indicator['public_id']}", {"target": "4.5"}, content_type=JSON
    )
    contributor = staff.post(
        f"{BASE}/rhks/{rhk['public_id']}/contributors",
        {"employee_id": str(agency.staff_b.public_id), "role": "Penyedia data"},
        content_type=JSON,
    )
    annex = staff.put(
        f"{BASE}/plans/{plan_id}/annex",
        {"resources": ["Laptop", " "], "accountability": ["Lapor bulanan"]},
        content_type=JSON,
    )
    expectations = as_user(client, agency.head_a.user).put(
        f"{BASE}/plans/{plan_id}/behaviour-expectations",
        {"expectations": {"akuntabel": "Tepat waktu"}},
        content_type=JSON,
    )

    # then
    assert patched.status_code == 200, patched.content
    assert patched.json()["text"] == "Draf final"
    assert patched.json()["indicators"][0]["public_id"] == indicator["public_id"]
    assert patched_ind.status_code == 200, patched_ind.content
    assert (patched_ind.json()["target"], patched_ind.json()["unit"]) == ("4.50", "dokumen")
    assert contributor.status_code == 201, contributor.content
    assert contributor.json()["employee"]["public_id"] == str(agency.staff_b.public_id)
    assert annex.json()["resources"] == ["Laptop"]
    assert annex.json()["consequences"] == []
    assert expectations.status_code == 200, expectations.content
    assert expectations.json()["behaviour_expectations"] == {"akuntabel": "Tepat waktu"}

    # when the indicator and the result are removed
    staff = as_user(client, agency.staff_a2.user)
    removed_ind = staff.delete(f"{BASE}/indicators/{indicator['public_id']}")
    removed = staff.delete(f"{BASE}/rhks/{rhk['public_id']}")

    # then
    assert (removed_ind.status_code, removed.status_code) == (204, 204)
    assert not Rhk.objects.filter(public_id=rhk["public_id"]).exists()


# --------------------------------------------------------------------------------------------
# Refusals
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_leader_further_up_cannot_approve(agency, client, frozen):
    # given staff_a2's submitted plan; the agency head sees it but is not the direct leader
    cascade = build_cascade(agency)
    staff = as_user(client, agency.staff_a2.user)
    plan_id = staff.post(f"{BASE}/plans", {"year": YEAR}, content_type=JSON).json()["public_id"]
    rhk = staff.post(
        f"{BASE}/plans/{plan_id}/rhks",
        {"text": "Data", "parent_id": str(cascade.a_rhk.public_id)},
        content_type=JSON,
    ).json()
    staff.post(
        f"{BASE}/rhks/{rhk['public_id']}/indicators",
        {"aspect": "kuantitas", "text": "Jumlah", "target": "1", "unit": "dokumen"},
        content_type=JSON,
    )
    staff.post(f"{BASE}/plans/{plan_id}/submit")

    # when
    response = as_user(client, agency.head.user).post(f"{BASE}/plans/{plan_id}/approve")

    # then
    body = assert_problem(response, 403, "skp.not_leader")
    assert body["instance"] == f"{BASE}/plans/{plan_id}/approve"
    assert SkpPlan.objects.get(public_id=plan_id).status == "submitted"


@pytest.mark.django_db
def test_a_peer_cannot_accept_a_realisation(agency, client, frozen):
    # given staff_a's recorded realisation; staff_a2 is a peer, head_a's plan is visible to
    # the agency head, who is not staff_a's direct leader
    cascade = build_cascade(agency)
    realisation = as_user(client, agency.staff_a.user).put(
        f"{BASE}/indicators/{cascade.staff_indicator.public_id}/realisations/1",
        {"value": "3"},
        content_type=JSON,
    )
    assert realisation.status_code == 200, realisation.content
    url = f"{BASE}/realisations/{realisation.json()['public_id']}/accept"

    # when
    by_peer = as_user(client, agency.staff_a2.user).post(url)
    by_head = as_user(client, agency.head.user).post(url)

    # then the peer may not even see it; the head sees it but does not decide
    assert_problem(by_peer, 404, "skp.realisation_not_found")
    assert_problem(by_head, 403, "skp.not_leader")
    assert Realisation.objects.get().status == "submitted"


@pytest.mark.django_db
def test_another_agency_sees_nothing(agency, other_agency, client, frozen):
    # given
    cascade = build_cascade(agency)
    stranger = as_user(client, other_agency.head_a.user)
    plan_id = cascade.staff_plan.public_id

    # when / then
    assert_problem(stranger.get(f"{BASE}/plans/{plan_id}"), 404, "skp.plan_not_found")
    assert_problem(stranger.post(f"{BASE}/plans/{plan_id}/approve"), 404, "skp.plan_not_found")
    assert_problem(stranger.get(f"{BASE}/plans/{plan_id}/document.pdf"), 404, "skp.plan_not_found")
    assert_problem(
        stranger.patch(f"{BASE}/rhks/{cascade.staff_rhk.public_id}", {}, content_type=JSON),
        404,
        "skp.rhk_not_found",
    )
    assert_problem(stranger.get(f"{BASE}/plans/me", {"year": YEAR}), 404, "skp.year_not_found")
    assert stranger.get(f"{BASE}/years").json() == {"items": [], "count": 0}


@pytest.mark.django_db
def test_validation_errors_are_problems_with_a_code(agency, client, frozen, media):
    # given
    cascade = build_cascade(agency)
    staff = as_user(client, agency.staff_a.user)
    plan_id = cascade.staff_plan.public_id

    # when / then: the request itself is invalid
    body = assert_problem(
        staff.put(
            f"{BASE}/indicators/{cascade.staff_indicator.public_id}/realisations/1",
            {"value": "banyak"},
            content_type=JSON,
        ),
        422,
        "request.invalid",
    )
    assert [e["field"] for e in body["errors"]] == ["body.payload.value"]

    # when / then: the services refuse
    body = assert_problem(
        staff.put(
            f"{BASE}/indicators/{cascade.staff_indicator.public_id}/realisations/13",
            {"value": "1"},
            content_type=JSON,
        ),
        422,
        "skp.period_invalid",
    )
    assert body["errors"][0]["field"] == "period"
    assert_problem(
        staff.post(
            f"{BASE}/plans/{plan_id}/rhks", {"text": "X", "cascade": "own"}, content_type=JSON
        ),
        409,
        "skp.plan_not_editable",
    )
    realisation = staff.put(
        f"{BASE}/indicators/{cascade.staff_indicator.public_id}/realisations/1",
        {"value": "1"},
        content_type=JSON,
    ).json()
    fake = SimpleUploadedFile("bukti.pdf", b"\x89PNG\r\n\x1a\nnot a pdf")
    assert_problem(
        staff.post(f"{BASE}/realisations/{realisation['public_id']}/evidence", {"file": fake}),
        422,
        "skp.evidence_type",
    )
    assert_problem(
        staff.post(f"{BASE}/realisations/{realisation['public_id']}/evidence", {}),
        422,
        "skp.evidence_missing",
    )
    assert_problem(
        as_user(client, agency.head_a.user).post(
            f"{BASE}/realisations/{realisation['public_id']}/return",
            {"comment": "  "},
            content_type=JSON,
        ),
        422,
        "skp.comment_required",
    )


@pytest.mark.django_db
def test_planning_refusals(agency, client, frozen):
    # given a draft plan of staff_a2
    cascade = build_cascade(agency)
    staff = as_user(client, agency.staff_a2.user)
    plan_id = staff.post(f"{BASE}/plans", {"year": YEAR}, content_type=JSON).json()["public_id"]

    # when / then
    assert_problem(
        staff.post(f"{BASE}/plans", {"year": YEAR}, content_type=JSON), 409, "skp.plan_exists"
    )
    assert_problem(
        staff.post(f"{BASE}/plans/{plan_id}/rhks", {"text": "Tanpa induk"}, content_type=JSON),
        422,
        "skp.parent_required",
    )
    assert_problem(
        staff.post(
            f"{BASE}/plans/{plan_id}/rhks",
            {"text": "Induk salah", "parent_id": str(cascade.head_rhk.public_id)},
            content_type=JSON,
        ),
        422,
        "skp.parent_not_leaders",
    )
    assert_problem(
        staff.post(f"{BASE}/plans/{plan_id}/rhks", {"kind": "besar"}, content_type=JSON),
        422,
        "request.invalid",
    )
    assert_problem(staff.post(f"{BASE}/plans/{plan_id}/submit"), 422, "skp.plan_incomplete")


# --------------------------------------------------------------------------------------------
# Years, documents, outputs, cascade, matrix, metrics
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_agency_admin_opens_a_year_and_an_employee_cannot(agency, client):
    # given
    payload = {"instansi_code": "kab-contoh", "year": 2027, "plan_deadline": "2027-01-31"}

    # when
    by_staff = as_user(client, agency.staff_a.user).post(
        f"{BASE}/years", payload, content_type=JSON
    )
    by_admin = as_user(client, agency.admin).post(f"{BASE}/years", payload, content_type=JSON)

    # then
    assert_problem(by_staff, 403, "instansi.admin_required")
    assert by_admin.status_code == 201, by_admin.content
    year = by_admin.json()
    assert (year["year"], year["rhythm"], year["status"]) == (2027, "monthly", "open")
    assert year["plan_deadline"] == "2027-01-31"
    assert len(year["periods"]) == 12
    assert year["periods"][1] == {"index": 2, "start": "2027-02-01", "end": "2027-02-28"}
    listed = as_user(client, agency.staff_a.user).get(f"{BASE}/years").json()
    assert [item["year"] for item in listed["items"]] == [2027]
    again = as_user(client, agency.admin).post(f"{BASE}/years", payload, content_type=JSON)
    assert_problem(again, 409, "skp.year_exists")


@pytest.mark.django_db
def test_plan_documents_download(agency, client):
    # given
    cascade = build_cascade(agency)
    owner = as_user(client, agency.staff_a.user)
    plan_id = cascade.staff_plan.public_id
    name = f"SKP-{YEAR}-{agency.staff_a.nip}-v1"

    # when
    pdf = owner.get(f"{BASE}/plans/{plan_id}/document.pdf")
    xlsx = owner.get(f"{BASE}/plans/{plan_id}/document.xlsx")

    # then
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="{name}.pdf"'
    assert pdf.content.startswith(b"%PDF-")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert xlsx["Content-Disposition"] == f'attachment; filename="{name}.xlsx"'
    assert xlsx.content.startswith(b"PK")


@pytest.mark.django_db
def test_weekly_outputs_logged_listed_and_decided(agency, client, frozen, media):
    # given
    cascade = build_cascade(agency)
    staff = as_user(client, agency.staff_a.user)

    # when staff_a logs an output on a Wednesday, with a link as evidence
    response = staff.post(
        f"{BASE}/outputs",
        {"rhk_id": str(cascade.staff_rhk.public_id), "week": "2026-01-07", "output": "5 berkas",
         "quantity": "5"},
        content_type=JSON,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    entry = response.json()
    link = staff.post(
        f"{BASE}/outputs/{entry['public_id']}/evidence", {"url": "https://example.id/berkas"}
    )

    # then
    assert (entry["week"], entry["quantity"], entry["status"]) == (
        "2026-01-05",
        "5.00",
        "submitted",
    )
    assert link.status_code == 201, link.content
    assert link.json()["url"] == "https://example.id/berkas"
    mine = staff.get(f"{BASE}/outputs", {"week": "2026-01-09"}).json()
    assert [item["public_id"] for item in mine["items"]] == [entry["public_id"]]
    assert staff.get(f"{BASE}/outputs", {"week": "2026-01-12"}).json()["count"] == 0

    # when the leader lists the subordinate's outputs and accepts
    leader = as_user(client, agency.head_a.user)
    listed = leader.get(f"{BASE}/outputs", {"employee": str(agency.staff_a.public_id)}).json()
    accepted = leader.post(f"{BASE}/outputs/{entry['public_id']}/accept")

    # then
    assert listed["count"] == 1
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    peer = as_user(client, agency.staff_a2.user)
    assert_problem(
        peer.get(f"{BASE}/outputs", {"employee": str(agency.staff_a.public_id)}),
        404,
        "employee.not_found",
    )


@pytest.mark.django_db
def test_leader_feedback_on_a_result(agency, client, frozen):
    # given
    cascade = build_cascade(agency)

    # when
    response = as_user(client, agency.head_a.user).post(
        f"{BASE}/rhks/{cascade.staff_rhk.public_id}/feedback",
        {"period": 1, "text": "Pertahankan"},
        content_type=JSON,
    )

    # then
    assert response.status_code == 201, response.content
    assert response.json()["author"]["public_id"] == str(agency.head_a.public_id)
    plan = as_user(client, agency.staff_a.user).get(f"{BASE}/plans/{cascade.staff_plan.public_id}")
    assert plan.json()["rhks"][0]["feedback"][0]["text"] == "Pertahankan"


@pytest.mark.django_db
def test_cascade_is_a_flat_list_from_the_head(agency, client):
    # given
    cascade = build_cascade(agency)

    # when
    response = as_user(client, agency.staff_a.user).get(f"{BASE}/cascade", {"year": YEAR})

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["root_plan_id"] == str(cascade.head_plan.public_id)
    nodes = [(n["rhk_id"], n["parent_id"], n["depth"], n["employee"]["nip"]) for n in body["nodes"]]
    head, a, staff = cascade.head_rhk, cascade.a_rhk, cascade.staff_rhk
    assert nodes == [
        (str(head.public_id), None, 0, agency.head.nip),
        (str(a.public_id), str(head.public_id), 1, agency.head_a.nip),
        (str(staff.public_id), str(a.public_id), 2, agency.staff_a.nip),
    ]
    assert all(node["progress"] is None for node in body["nodes"])


@pytest.mark.django_db
def test_role_result_matrix_of_a_unit(agency, client):
    # given
    cascade = build_cascade(agency)

    # when
    response = as_user(client, agency.head_a.user).get(
        f"{BASE}/matrix", {"unit": str(agency.division_a.public_id), "year": YEAR}
    )

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    columns = [c["employee"]["public_id"] for c in body["columns"]]
    assert columns == [str(agency.staff_a.public_id), str(agency.staff_a2.public_id)]
    [row] = body["rows"]
    assert row["rhk"]["rhk_id"] == str(cascade.a_rhk.public_id)
    assert row["cells"][0]["rhks"] == [
        {"rhk_id": str(cascade.staff_rhk.public_id), "text": cascade.staff_rhk.text}
    ]
    assert row["cells"][1] == {"rhks": [], "roles": []}


@pytest.mark.django_db
def test_metrics_list(employee_user, client):
    response = as_user(client, employee_user).get(f"{BASE}/metrics")

    assert response.status_code == 200
    found = {item["key"]: item for item in response.json()["items"]}
    assert found["kinerja.accepted_outputs"]["label"]
    assert found["kinerja.accepted_outputs"]["unit"]


@pytest.mark.django_db
def test_anonymous_requests_are_refused(client):
    assert_problem(client.get(f"{BASE}/years"), 401, "auth.required")
    assert_problem(client.get(f"{BASE}/plans/me"), 401, "auth.required")


@pytest.mark.django_db
def test_saving_a_realisation_again_reads_each_row_once(
    agency, client, frozen, django_assert_max_num_queries
):
    # given a realisation already recorded (the deadline's common case: correcting it)
    cascade = build_cascade(agency)
    url = f"{BASE}/indicators/{cascade.staff_indicator.public_id}/realisations/1"
    as_user(client, agency.staff_a.user).put(url, {"value": "3"}, content_type=JSON)

    # when it is saved with a new value: the session's user, the indicator (seen by the
    # actor), under the transaction the indicator, the plan locked, the realisation locked,
    # the update, the audit event, the unit for the dashboards, their stale mark, and the
    # realisation read back with its evidence; no uniqueness check of the generated id,
    # no plan or indicator read twice
    with django_assert_max_num_queries(14):
        response = client.put(url, {"value": "4.5"}, content_type=JSON)

    # then
    assert response.status_code == 200, response.content
    assert response.json()["value"] == "4.50"
    assert response.json()["indicator_id"] == str(cascade.staff_indicator.public_id)
