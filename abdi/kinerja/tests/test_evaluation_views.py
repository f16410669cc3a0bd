"""Kinerja II pages: evaluate, 360, history and appeal, calibration (htmx), admin, PDFs."""

import shutil
import subprocess
from typing import Any

import pytest
from django.urls import reverse

from abdi.kinerja import services
from abdi.kinerja.choices import BERAKHLAK
from abdi.kinerja.models import CalibrationChange, ConsequenceRule, PeriodClosure, PeriodEvaluation
from abdi.kinerja.tests.evaluation_factories import A, S, U, build_team, rate
from abdi.kinerja.tests.factories import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(agency: Any) -> Any:
    return build_team(agency)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Issued documents go to a temporary media root."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def today(monkeypatch):
    """Freeze the clock on 10 April 2026 (periods 1–4 started)."""
    from datetime import UTC, datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 4, 10, 3, 0, tzinfo=UTC))


def login(client, user):
    client.force_login(user)
    return client


def evaluation_post(result=A, behaviour=S):
    data = {"result_rating": result, "behaviour_rating": behaviour, "note": "Baik"}
    for value, _label, _guides in BERAKHLAK:
        data[f"v_{value}"] = behaviour
    return data


def test_leader_evaluates_on_the_page(client, agency, team, today):
    login(client, agency.head_a.user)
    url = reverse("kinerja:evaluation-form", args=[team.plans["staff_a"].public_id, 3])
    page = client.get(url)
    assert page.status_code == 200
    assert b'data-testid="evaluation-form"' in page.content
    response = client.post(url, evaluation_post())
    assert response.status_code == 302
    evaluation = PeriodEvaluation.objects.get(employee=agency.staff_a, period=3)
    assert evaluation.predicate == "baik"
    assert "Baik" in client.get(url).content.decode()


def test_evaluation_refusal_comes_back_on_the_form(client, agency, team, today):
    login(client, agency.head_a.user)
    url = reverse("kinerja:evaluation-form", args=[team.plans["staff_a"].public_id, 3])
    data = evaluation_post()
    del data["v_loyal"]
    response = client.post(url, data)
    assert response.status_code == 422
    assert "Loyal" in response.content.decode()
    assert not PeriodEvaluation.objects.exists()


def test_employee_sees_own_evaluation_read_only_and_others_get_404(client, agency, team, today):
    rate(agency, team.plans["staff_a"], 3, A, S)
    url = reverse("kinerja:evaluation-form", args=[team.plans["staff_a"].public_id, 3])
    login(client, agency.staff_a.user)
    page = client.get(url)
    assert page.status_code == 200
    assert b'data-testid="evaluation-form"' not in page.content
    assert client.post(url, evaluation_post(U, U)).status_code == 422
    assert PeriodEvaluation.objects.get(employee=agency.staff_a, period=3).predicate == "baik"
    login(client, agency.staff_b.user)
    assert client.get(url).status_code == 404


def test_peer_review_page_and_anonymous_summary(client, agency, team, today):
    for reviewer in (agency.staff_a, agency.staff_a2, agency.head_b):
        login(client, reviewer.user)
        data = {f"v_{value}": S for value, _l, _g in BERAKHLAK}
        data["comment"] = f"Masukan rahasia {reviewer.pk}"
        response = client.post(reverse("kinerja:peer-review", args=[agency.head_a.public_id]), data)
        assert response.status_code == 302
    login(client, agency.head.user)
    page = client.get(
        reverse("kinerja:evaluation-form", args=[team.plans["head_a"].public_id, 4])
    ).content.decode()
    assert "Masukan rahasia" in page
    for reviewer in (agency.staff_a, agency.staff_a2, agency.head_b):
        assert reviewer.full_name not in page
    # The person evaluated does not see the 360 summary at all.
    login(client, agency.head_a.user)
    own = client.get(
        reverse("kinerja:evaluation-form", args=[team.plans["head_a"].public_id, 4])
    ).content.decode()
    assert "Masukan rahasia" not in own


def test_calibration_change_swaps_the_board_with_htmx(client, agency, team, today):
    for who in ("head_a", "head_b", "staff_a", "staff_a2", "staff_b", "head"):
        rate(agency, team.plans[who], 3, S, S)
    services.organisation_predicate_set(actor=agency.admin, year=team.year, predicate="baik")
    login(client, agency.head.user)
    response = client.post(reverse("kinerja:calibration"), {"period": "3", "panel": ""})
    assert response.status_code == 302
    board = client.get(response["Location"]).content.decode()
    assert 'data-code="curve.bp_k_required"' in board
    session_url = response["Location"]
    change_url = session_url + "ubah/"
    evaluation = PeriodEvaluation.objects.get(employee=agency.staff_a, period=3)
    refused = client.post(
        change_url, {"evaluation": evaluation.public_id, "predicate": "kurang", "reason": ""},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert refused.status_code == 422
    assert not CalibrationChange.objects.exists()
    changed = client.post(
        change_url,
        {"evaluation": evaluation.public_id, "predicate": "kurang", "reason": "Disiplin"},
        HTTP_HX_REQUEST="true",
    )
    assert changed.status_code == 200
    body = changed.content.decode()
    assert body.startswith('<div id="board"')  # the partial only
    assert 'data-code="curve.bp_k_required"' not in body.split('data-testid="units"')[0]
    close = client.post(session_url + "tutup/", {"note": "Selesai"})
    assert close.status_code == 302


def test_admin_closes_period_and_exports_tpp(client, agency, team, today):
    rate(agency, team.plans["staff_a2"], 3, U, S)
    login(client, agency.admin)
    query = f"?instansi={agency.instansi.code}"
    assert client.get(reverse("kinerja:evaluation-manage") + query).status_code == 200
    client.post(
        reverse("kinerja:rule-add") + query,
        {"trigger": "butuh_perbaikan", "min_repeats": 1, "effect": "tpp", "tpp_percent": "90",
         "description": "BP: TPP 90%"},
    )  # fmt: skip
    assert ConsequenceRule.objects.count() == 1
    client.post(reverse("kinerja:org-predicate") + query, {"unit": "", "predicate": "baik"})
    response = client.post(reverse("kinerja:period-close") + query, {"period": "3"})
    assert response.status_code == 302
    assert PeriodClosure.objects.filter(period=3).exists()
    page = client.get(reverse("kinerja:evaluation-manage") + query + "&periode=3").content.decode()
    assert "BP: TPP 90%" in page
    export = client.get(reverse("kinerja:tpp-xlsx", args=[3]) + query)
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    login(client, agency.head.user)
    assert client.get(reverse("kinerja:evaluation-manage") + query).status_code == 404


def test_history_appeal_and_decision_pages(client, agency, team, today):
    rate(agency, team.plans["staff_a"], 3, U, S)
    services.period_close(actor=agency.admin, year=team.year, period=3, today=TODAY)
    evaluation = PeriodEvaluation.objects.get(employee=agency.staff_a, period=3)
    login(client, agency.staff_a.user)
    page = client.get(reverse("kinerja:history")).content.decode()
    assert 'data-testid="appeal-form"' in page
    client.post(
        reverse("kinerja:appeal-file", args=[evaluation.public_id]),
        {"reason": "Realisasi belum dihitung", "requested": "baik"},
    )
    login(client, agency.head.user)
    assert "Realisasi belum dihitung" in client.get(reverse("kinerja:appeal-list")).content.decode()
    appeal = evaluation.appeals.get()
    client.post(
        reverse("kinerja:appeal-decide", args=[appeal.public_id]),
        {"decision": "grant", "predicate": "baik", "reason": "Bukti lengkap"},
    )
    evaluation.refresh_from_db()
    assert evaluation.predicate == "baik"
    login(client, agency.head_a.user)  # the direct leader does not decide
    assert "Realisasi" not in client.get(reverse("kinerja:appeal-list")).content.decode()


def _pdf_text(pdf: bytes, tmp_path) -> str:
    executable = shutil.which("pdftotext")
    assert executable
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    completed = subprocess.run(  # noqa: S603 - fixed executable, our own temporary file
        [executable, "-enc", "UTF-8", str(source), "-"], check=True, capture_output=True, timeout=60
    )
    return completed.stdout.decode()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_evaluation_pdf_is_issued_with_a_verification_code(client, agency, team, today, tmp_path):
    from abdi.verifikasi import services as verifikasi

    evaluation = rate(agency, team.plans["staff_a"], 3, A, A)
    login(client, agency.staff_a.user)
    response = client.get(reverse("kinerja:evaluation-pdf", args=[evaluation.public_id]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert "DOKUMEN EVALUASI KINERJA PEGAWAI" in text
    assert "Sangat Baik" in text
    assert agency.staff_a.nip in text
    (document,) = verifikasi.documents_for(evaluation)
    assert document.kind == "kinerja.evaluation"
    assert document.display_code in text
    # Downloading again reuses the issued document.
    client.get(reverse("kinerja:evaluation-pdf", args=[evaluation.public_id]))
    assert verifikasi.documents_for(evaluation).count() == 1
    assert document.sha256


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_approved_skp_pdf_carries_a_verification_code(client, agency, team, tmp_path):
    from abdi.verifikasi import services as verifikasi

    plan = team.plans["staff_a"]
    login(client, agency.staff_a.user)
    response = client.get(reverse("kinerja:plan-pdf", args=[plan.public_id]))
    (document,) = verifikasi.documents_for(plan)
    assert document.kind == "kinerja.skp"
    assert document.display_code in _pdf_text(response.content, tmp_path)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_approved_skp_and_evaluation_are_signed_electronically_and_verify(
    client, agency, team, today, tmp_path, settings
):
    """Issue 7 item 6: no wet signature — the deciding official signs through kantor."""
    from abdi.verifikasi import services as verifikasi

    settings.ABDI_KANTOR_KEY_DIR = str(tmp_path / "keys")
    plan = team.plans["staff_a"]
    evaluation = rate(agency, plan, 3, A, A)
    login(client, agency.staff_a.user)
    skp = client.get(reverse("kinerja:plan-pdf", args=[plan.public_id])).content
    evaluated = client.get(reverse("kinerja:evaluation-pdf", args=[evaluation.public_id])).content

    for content, subject, signer in (
        (skp, plan, plan.approved_by),
        (evaluated, evaluation, evaluation.evaluator),
    ):
        assert signer is not None
        (document,) = verifikasi.documents_for(subject)
        assert signer.full_name in _pdf_text(content, tmp_path)
        genuine = verifikasi.check_document(document.code, content=content)
        assert genuine.file_valid is True
        assert [check.passed for check in genuine.file_checks] == [True, True]
        middle = len(content) // 3  # inside the signed byte range
        tampered = content[:middle] + bytes([content[middle] ^ 0x01]) + content[middle + 1 :]
        forged = verifikasi.check_document(document.code, content=tampered)
        assert [check.passed for check in forged.file_checks] == [False, False]


def test_team_evaluations_lists_subordinates(client, agency, team, today):
    login(client, agency.head_a.user)
    page = client.get(reverse("kinerja:team-evaluations") + "?periode=3").content.decode()
    assert agency.staff_a.full_name in page
    assert reverse("kinerja:evaluation-form", args=[team.plans["staff_a"].public_id, 3]) in page
