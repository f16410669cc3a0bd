"""Kinerja II through the API: rate, 360, curve, calibration, rules, close, export, appeal."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.utils import timezone

from abdi.kinerja.choices import BERAKHLAK
from abdi.kinerja.models import PeriodEvaluation
from abdi.kinerja.tests.evaluation_factories import build_team

pytestmark = pytest.mark.django_db

BASE = "/api/v1/kinerja"
JSON = "application/json"
PROBLEM = "application/problem+json"


@pytest.fixture
def april(monkeypatch, settings, tmp_path):
    """10 April 2026 (periods 1–4 started); issued files under a temporary media root."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 4, 10, 3, 0, tzinfo=UTC))


@pytest.fixture
def team(agency: Any) -> Any:
    return build_team(agency)


def as_user(client, user):
    client.force_login(user)
    return client


def problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == code


def rating_payload(result="sesuai", behaviour="sesuai"):
    return {
        "result_rating": result,
        "behaviour_rating": behaviour,
        "behaviour_values": {v: {"rating": behaviour} for v, _l, _g in BERAKHLAK},
    }


def rate(client, plan, period, result, behaviour):
    return client.post(
        f"{BASE}/plans/{plan.public_id}/evaluations/{period}",
        rating_payload(result, behaviour),
        content_type=JSON,
    )


def test_rate_get_and_refusals(client, agency, team, april):
    leader = as_user(client, agency.head_a.user)
    response = rate(leader, team.plans["staff_a"], 3, "di_atas", "di_atas")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["predicate"], body["period"], body["result_suggested"]) == ("sangat_baik", 3, "")
    assert (
        leader.get(f"{BASE}/evaluations/{body['public_id']}").json()["predicate"] == "sangat_baik"
    )
    problem(
        rate(leader, team.plans["staff_a"], 3, "great", "sesuai"), 422, "evaluation.rating_invalid"
    )
    other = as_user(client, agency.head_b.user)
    problem(rate(other, team.plans["staff_a"], 3, "sesuai", "sesuai"), 404, "skp.plan_not_found")
    problem(other.get(f"{BASE}/evaluations/{body['public_id']}"), 404, "evaluation.not_found")


def test_peer_summary_hidden_until_three(client, agency, team, april):
    ratings = {v: "sesuai" for v, _l, _g in BERAKHLAK}
    for reviewer in (agency.staff_a, agency.staff_a2):
        response = as_user(client, reviewer.user).post(
            f"{BASE}/employees/{agency.head_a.public_id}/peer-reviews",
            {"period": 4, "ratings": ratings, "comment": f"dari {reviewer.pk}"},
            content_type=JSON,
        )
        assert response.status_code == 201, response.content
    head = as_user(client, agency.head.user)
    evaluation = rate(head, team.plans["head_a"], 4, "sesuai", "sesuai").json()
    url = f"{BASE}/evaluations/{evaluation['public_id']}/peer-summary"
    problem(head.get(url), 404, "evaluation.peer_summary_hidden")
    as_user(client, agency.head_b.user).post(
        f"{BASE}/employees/{agency.head_a.public_id}/peer-reviews",
        {"period": 4, "ratings": ratings}, content_type=JSON,
    )  # fmt: skip
    summary = as_user(client, agency.head.user).get(url).json()
    assert summary["responses"] == 3
    assert set(summary) == {"responses", "values", "comments"}
    # The employee evaluated cannot read it.
    problem(as_user(client, agency.head_a.user).get(url), 404, "evaluation.not_found")


def test_admin_curve_calibration_rules_close_export_and_appeal(client, agency, team, april):
    head = as_user(client, agency.head.user)
    for who in ("head_a", "head_b"):
        assert rate(head, team.plans[who], 3, "sesuai", "sesuai").status_code == 200
    leader = as_user(client, agency.head_a.user)
    rate(leader, team.plans["staff_a"], 3, "sesuai", "sesuai")
    rate(leader, team.plans["staff_a2"], 3, "di_bawah", "sesuai")
    admin = as_user(client, agency.admin)
    assert (
        admin.post(
            f"{BASE}/years/2026/org-predicates", {"predicate": "istimewa"}, content_type=JSON
        ).status_code
        == 201
    )
    curve = admin.get(f"{BASE}/years/2026/periods/3/curve").json()
    assert curve["agency"]["counts"] == {"baik": 3, "butuh_perbaikan": 1}
    # Istimewa expects most employees Sangat Baik: none is.
    assert [b["code"] for b in curve["agency"]["breaches"]] == ["curve.sb_most"]
    assert curve["nine_box"][1][1] == 3
    session = admin.post(f"{BASE}/calibrations", {"period": 3}, content_type=JSON).json()
    staff = PeriodEvaluation.objects.get(employee=agency.staff_a, period=3)
    changed = admin.post(
        f"{BASE}/calibrations/{session['public_id']}/changes",
        {"evaluation": str(staff.public_id), "predicate": "sangat_baik", "reason": "Inovasi"},
        content_type=JSON,
    )
    assert changed.json()["curve"]["agency"]["counts"]["sangat_baik"] == 1
    problem(
        admin.post(
            f"{BASE}/calibrations/{session['public_id']}/changes",
            {"evaluation": str(staff.public_id), "predicate": "baik", "reason": " "},
            content_type=JSON,
        ),
        422, "skp.reason_required",
    )  # fmt: skip
    assert (
        admin.post(
            f"{BASE}/calibrations/{session['public_id']}/close", {}, content_type=JSON
        ).json()["status"]
        == "closed"
    )
    rule = admin.post(
        f"{BASE}/consequence-rules",
        {
            "trigger": "butuh_perbaikan",
            "effect": "tpp",
            "tpp_percent": "90",
            "description": "BP 90%",
        },
        content_type=JSON,
    )
    assert rule.status_code == 201, rule.content
    closed = admin.post(f"{BASE}/years/2026/periods/3/close")
    assert closed.status_code == 201, closed.content
    assert closed.json()["appeal_deadline"] == "2026-04-30"
    listed = admin.get(f"{BASE}/years/2026/periods/3/consequences").json()
    assert [(c["employee_nip"], c["tpp_percent"]) for c in listed["items"]] == [
        (agency.staff_a2.nip, "90.00")
    ]
    export = admin.get(f"{BASE}/years/2026/periods/3/consequences.xlsx")
    assert export.status_code == 200
    problem(as_user(client, agency.head.user).get(f"{BASE}/years/2026/periods/3/curve"), 404,
            "skp.year_not_found")  # fmt: skip
    # The employee appeals; the direct leader may not decide, the leader's leader does.
    staff_a2 = as_user(client, agency.staff_a2.user)
    evaluation = PeriodEvaluation.objects.get(employee=agency.staff_a2, period=3)
    appeal = staff_a2.post(
        f"{BASE}/evaluations/{evaluation.public_id}/appeals",
        {"reason": "Realisasi belum lengkap", "requested": "baik"}, content_type=JSON,
    )  # fmt: skip
    assert appeal.status_code == 201, appeal.content
    url = f"{BASE}/appeals/{appeal.json()['public_id']}/decide"
    decision = {"grant": True, "reason": "Bukti lengkap", "predicate": "baik"}
    problem(as_user(client, agency.head_a.user).post(url, decision, content_type=JSON), 404,
            "appeal.not_found")  # fmt: skip
    decided = as_user(client, agency.head.user).post(url, decision, content_type=JSON)
    assert decided.json()["status"] == "granted"
    history = as_user(client, agency.staff_a2.user).get(f"{BASE}/history").json()
    assert history[0]["evaluation"]["predicate"] == "baik"
    assert history[0]["consequences"] == []
    pdf = staff_a2.get(f"{BASE}/evaluations/{evaluation.public_id}/document.pdf")
    assert pdf.content.startswith(b"%PDF")
