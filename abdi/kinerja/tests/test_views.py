"""The SKP pages: who sees what, forms that refuse with the services' messages, downloads."""

import re
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from abdi.core.frames import _empty_fields
from abdi.kinerja import services
from abdi.kinerja.choices import ActingKind, Cascade, Perspective, PlanStatus, ReportStatus
from abdi.kinerja.models import Evidence, Indicator, OutputEntry, Realisation, Rhk, SkpPlan
from abdi.kinerja.tests.factories import (
    YEAR,
    add_rhk,
    approve,
    build_cascade,
    draft_plan,
    open_year,
)
from abdi.organisations.tests.factories import employee_with_position

# The planning deadline lies far ahead so that pages may start plans with the real clock;
# the periods of YEAR have all started by the time these tests run.
LATE_DEADLINE = date(2099, 12, 31)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def html(response) -> str:
    return response.content.decode()


def by_test_id(response, test_id: str) -> str:
    match = re.search(rf'<(\w+)[^>]*data-testid="{test_id}"[^>]*>(.*?)</\1>', html(response), re.S)
    assert match, f"no element with data-testid={test_id}"
    return match.group(2)


def text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


@pytest.fixture
def year(agency):
    return open_year(agency, plan_deadline=LATE_DEADLINE)


@pytest.fixture
def head_plan(year, agency):
    """The head's approved plan with one own result (approved by the agency admin)."""
    plan = draft_plan(year, agency.head)
    add_rhk(
        plan, "Indeks pelayanan publik meningkat", cascade=Cascade.OWN,
        perspective=Perspective.PENERIMA_LAYANAN, target=Decimal(100),
    )  # fmt: skip
    return approve(plan, agency.admin)


def login(client, employee_or_user, language: str = "en"):
    client.force_login(getattr(employee_or_user, "user", employee_or_user))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def plan_url(plan: SkpPlan) -> str:
    return reverse("kinerja:plan-detail", kwargs={"public_id": plan.public_id})


# --- My SKP ----------------------------------------------------------------------------------


def test_employee_starts_a_plan_from_the_page(client, agency, year):
    login(client, agency.staff_a)

    response = client.get("/kinerja/")
    assert response.status_code == 200
    assert 'data-testid="plan-create"' in html(response)

    response = client.post(reverse("kinerja:plan-create"))
    assert response.status_code == 302
    plan = SkpPlan.objects.get(employee=agency.staff_a)
    assert plan.status == PlanStatus.DRAFT
    response = client.get(response.url)
    assert "Budi Santoso" in by_test_id(response, "assessor")
    assert 'data-testid="rhk-form"' in html(response)


def test_my_plan_is_404_for_a_citizen_and_for_an_administrator(client, agency, year, citizen):
    assert login(client, citizen.user).get("/kinerja/").status_code == 404
    assert login(client, agency.admin).get("/kinerja/").status_code == 404


def test_nav_links_performance_for_employees(client, agency, year):
    response = login(client, agency.staff_a).get("/organisasi/profil/")
    assert f'href="{reverse("kinerja:plan-mine")}"' in html(response)


def test_add_rhk_cascaded_from_the_leaders_result(client, agency, year, head_plan):
    plan = draft_plan(year, agency.head_a)
    head_rhk = head_plan.rhks.get()
    login(client, agency.head_a)

    response = client.get("/kinerja/")
    form = by_test_id(response, "rhk-form")
    assert head_rhk.text in form  # the leader's results are offered as parents

    data = {"text": "Layanan bidang A tepat waktu", "kind": "utama", "cascade": "derived",
            "parent": str(head_rhk.public_id)}  # fmt: skip
    response = client.post(reverse("kinerja:rhk-create", args=[plan.public_id]), data)
    assert response.status_code == 302
    rhk = plan.rhks.get()
    assert rhk.parent == head_rhk

    # With htmx the updated plan partial comes back, with the new indicator in it.
    data = {f"i{rhk.pk}-aspect": "kuantitas", f"i{rhk.pk}-text": "Jumlah layanan tepat waktu",
            f"i{rhk.pk}-target": "12", f"i{rhk.pk}-unit": "layanan"}  # fmt: skip
    response = client.post(
        reverse("kinerja:indicator-create", args=[rhk.public_id]), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "<html" not in html(response)
    assert "Jumlah layanan tepat waktu" in by_test_id(response, "indicator")
    assert "Indeks pelayanan publik meningkat" in by_test_id(response, "rhk-parent")


def test_add_rhk_with_a_parent_not_of_the_direct_leader_is_422(client, agency, year, head_plan):
    plan = draft_plan(year, agency.staff_a)
    head_rhk = head_plan.rhks.get()  # the head leads head_a, not staff_a
    login(client, agency.staff_a)
    data = {"text": "Berkas diverifikasi", "kind": "utama", "cascade": "derived",
            "parent": str(head_rhk.public_id)}  # fmt: skip

    response = client.post(reverse("kinerja:rhk-create", args=[plan.public_id]), data)

    assert response.status_code == 422
    assert f"current {YEAR} plan of Budi Santoso" in text(by_test_id(response, "rhk-form"))
    assert not Rhk.objects.filter(plan=plan).exists()

    response = client.post(
        reverse("kinerja:rhk-create", args=[plan.public_id]),
        {**data, "text": "", "cascade": "own", "parent": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "<html" not in html(response)
    assert "Describe the planned result." in html(response)
    assert not Rhk.objects.filter(plan=plan).exists()


def test_others_cannot_see_or_change_a_plan(client, agency, year, head_plan):
    plan = draft_plan(year, agency.staff_a)
    login(client, agency.staff_a2)
    assert client.get(plan_url(plan)).status_code == 404
    data = {"text": "x", "kind": "utama", "cascade": "own"}
    response = client.post(reverse("kinerja:rhk-create", args=[plan.public_id]), data)
    assert response.status_code == 404
    assert client.get(reverse("kinerja:plan-pdf", args=[plan.public_id])).status_code == 404
    # The leader's leader may see it, read-only.
    response = login(client, agency.head).get(plan_url(plan))
    assert response.status_code == 200
    assert 'data-testid="rhk-form"' not in html(response)


def test_submit_approve_record_realisation_with_evidence_and_accept(client, agency, year):
    # The head's own plan: planned and submitted on the page; the admin records approval.
    head_plan = draft_plan(year, agency.head)
    login(client, agency.head)
    data = {"text": "Indeks pelayanan publik meningkat", "kind": "utama", "cascade": "own",
            "perspective": Perspective.PENERIMA_LAYANAN}  # fmt: skip
    client.post(reverse("kinerja:rhk-create", args=[head_plan.public_id]), data)
    head_rhk = head_plan.rhks.get()
    p = f"i{head_rhk.pk}"
    client.post(
        reverse("kinerja:indicator-create", args=[head_rhk.public_id]),
        {f"{p}-aspect": "kuantitas", f"{p}-text": "Nilai IKM", f"{p}-target": "100",
         f"{p}-unit": "indeks"},
    )  # fmt: skip
    response = client.post(reverse("kinerja:plan-submit", args=[head_plan.public_id]))
    assert response.status_code == 302
    response = login(client, agency.admin).post(
        reverse("kinerja:plan-approve", args=[head_plan.public_id])
    )
    assert response.status_code == 302

    # head_a plans a cascaded result; submitting without indicators is refused.
    plan = draft_plan(year, agency.head_a)
    rhk, _ = add_rhk(plan, "Layanan bidang A tepat waktu", parent=head_rhk)
    empty = services.rhk_add(
        actor=agency.head_a.user, plan=plan, text="Tanpa indikator", parent=head_rhk
    )
    login(client, agency.head_a)
    response = client.post(reverse("kinerja:plan-submit", args=[plan.public_id]))
    assert response.status_code == 422
    assert "at least one indicator" in by_test_id(response, "plan-errors")
    client.post(reverse("kinerja:rhk-delete", args=[empty.public_id]))
    assert client.post(reverse("kinerja:plan-submit", args=[plan.public_id])).status_code == 302

    # A subordinate of head_a may not decide; the head (direct leader) returns and approves.
    response = login(client, agency.staff_a).post(
        reverse("kinerja:plan-approve", args=[plan.public_id])
    )
    assert response.status_code == 404
    login(client, agency.head)
    response = client.post(reverse("kinerja:plan-return", args=[plan.public_id]), {"comment": ""})
    assert response.status_code == 422
    assert "Say what has to change." in html(response)
    response = client.post(reverse("kinerja:plan-approve", args=[plan.public_id]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED

    # head_a records a realisation with a PDF as evidence.
    indicator = rhk.indicators.get()
    p = f"r{indicator.pk}"
    upload = SimpleUploadedFile("laporan.pdf", PDF, content_type="application/pdf")
    login(client, agency.head_a)
    response = client.post(
        reverse("kinerja:realisation-create", args=[indicator.public_id]),
        {f"{p}-period": "1", f"{p}-value": "6", f"{p}-note": "Januari", f"{p}-file": upload},
    )
    assert response.status_code == 302
    realisation = Realisation.objects.get(indicator=indicator, period=1)
    assert realisation.value == Decimal(6)
    assert realisation.status == ReportStatus.SUBMITTED
    evidence = Evidence.objects.get(realisation=realisation)
    assert evidence.content_type == "application/pdf"
    response = client.get("/kinerja/")
    assert "laporan.pdf" in by_test_id(response, "evidence")
    assert by_test_id(response, "rhk-progress") == "60%"
    download = client.get(reverse("kinerja:evidence-file", args=[evidence.public_id]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.4")

    # A Word file renamed to .pdf is refused by content, and nothing is recorded.
    upload = SimpleUploadedFile("palsu.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(
        reverse("kinerja:realisation-create", args=[indicator.public_id]),
        {f"{p}-period": "2", f"{p}-value": "7", f"{p}-file": upload},
    )
    assert response.status_code == 422
    assert not Realisation.objects.filter(indicator=indicator, period=2).exists()

    # The leader accepts it and gives feedback.
    login(client, agency.head)
    response = client.post(
        reverse("kinerja:realisation-decide", args=[realisation.public_id]),
        {f"d{realisation.pk}-decision": "accept"},
    )
    assert response.status_code == 302
    realisation.refresh_from_db()
    assert realisation.status == ReportStatus.ACCEPTED
    response = client.post(
        reverse("kinerja:feedback-create", args=[rhk.public_id]),
        {f"f{rhk.pk}-period": "1", f"f{rhk.pk}-text": "Pertahankan."},
    )
    assert response.status_code == 302
    assert "Pertahankan." in by_test_id(client.get(plan_url(plan)), "feedback")

    # The head sees head_a's progress rolled up on the cascade page: (own none + 60 %) → 60 %.
    response = client.get(reverse("kinerja:cascade"))
    cascade = text(by_test_id(response, "cascade"))
    assert "Indeks pelayanan publik meningkat" in cascade
    assert "Layanan bidang A tepat waktu — Budi Santoso 60%" in cascade


def test_leader_writes_behaviour_expectations_before_approval(client, agency, year, head_plan):
    plan = draft_plan(year, agency.head_a)
    add_rhk(plan, "Layanan bidang A tepat waktu", parent=head_plan.rhks.get())
    services.plan_submit(actor=agency.head_a.user, plan=plan)
    login(client, agency.head)
    response = client.get(plan_url(plan))
    form = by_test_id(response, "expectations-form")
    assert "Berorientasi Pelayanan" in form
    assert "ramah, cekatan, solutif" in form

    response = client.post(
        reverse("kinerja:plan-expectations", args=[plan.public_id]),
        {"akuntabel": "Laporan tepat waktu", "loyal": ""},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.behaviour_expectations == {"akuntabel": "Laporan tepat waktu"}
    # The owner may not.
    response = login(client, agency.head_a).post(
        reverse("kinerja:plan-expectations", args=[plan.public_id]), {"akuntabel": "x"}
    )
    assert response.status_code == 422


def test_returned_plan_shows_the_comment_and_revision_needs_a_reason(client, agency):
    cascade = build_cascade(agency)
    login(client, agency.head_a)
    response = client.post(
        reverse("kinerja:plan-revise", args=[cascade.a_plan.public_id]), {"reason": " "}
    )
    assert response.status_code == 422
    assert "Give the reason for the revision." in html(response)
    response = client.post(
        reverse("kinerja:plan-revise", args=[cascade.a_plan.public_id]),
        {"reason": "Tugas tambahan dari pimpinan"},
    )
    assert response.status_code == 302
    new = SkpPlan.objects.get(employee=agency.head_a, is_current=True)
    assert new.version == 2
    services.plan_submit(actor=agency.head_a.user, plan=new)
    services.plan_return(actor=agency.head.user, plan=new, comment="Tambahkan target waktu")
    response = client.get("/kinerja/")
    assert "Tambahkan target waktu" in by_test_id(response, "return-comment")
    assert 'data-testid="rhk-form"' in html(response)


def test_annex_is_saved_one_item_per_line(client, agency, year):
    plan = draft_plan(year, agency.staff_a)
    login(client, agency.staff_a)
    response = client.post(
        reverse("kinerja:plan-annex", args=[plan.public_id]),
        {"resources": "Laptop\n\n Akses SIMPEG ", "accountability": "Laporan bulanan",
         "consequences": ""},
    )  # fmt: skip
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.resources == ["Laptop", "Akses SIMPEG"]
    assert plan.consequences == []


# --- Downloads -------------------------------------------------------------------------------


def test_plan_downloads_as_pdf_and_excel(client, agency, year, head_plan):
    login(client, agency.head)
    response = client.get(reverse("kinerja:plan-pdf", args=[head_plan.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    response = client.get(reverse("kinerja:plan-xlsx", args=[head_plan.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response.content.startswith(b"PK")
    assert "attachment" in response["Content-Disposition"]


# --- Team, cascade, matrix, outputs ----------------------------------------------------------


def test_team_page_for_a_leader_and_404_for_others(client, agency):
    cascade = build_cascade(agency)
    login(client, agency.head_a)
    response = client.get(reverse("kinerja:team"))
    assert response.status_code == 200
    team = text(by_test_id(response, "team"))
    assert "Agus Wibowo" in team
    assert "Rina Marlina" in team
    assert 'data-testid="not-planned"' in html(response)  # Rina has no plan
    assert reverse("kinerja:plan-detail", args=[cascade.staff_plan.public_id]) in html(response)
    assert login(client, agency.staff_a).get(reverse("kinerja:team")).status_code == 404


def test_the_my_team_tab_is_offered_only_to_those_who_lead(client, agency):
    cascade = build_cascade(agency)
    plan_url = reverse("kinerja:plan-detail", args=[cascade.staff_plan.public_id])
    team_link = f'href="{reverse("kinerja:team")}"'

    assert team_link in html(login(client, agency.head_a).get(plan_url))
    assert team_link not in html(login(client, agency.staff_a).get(plan_url))


def test_acting_official_sees_the_covered_staff_on_the_team_page(client, agency):
    cascade = build_cascade(agency)
    today = timezone.localtime(timezone.now(), ZoneInfo(agency.instansi.timezone)).date()
    services.acting_assign(
        actor=agency.admin, position=agency.head_a.position, acting=agency.staff_b,
        kind=ActingKind.PLT, starts_on=today - timedelta(days=1), ends_on=None,
        reason="Kepala bidang cuti besar",
    )  # fmt: skip
    a2_plan = draft_plan(cascade.year, agency.staff_a2)
    add_rhk(a2_plan, "Arsip layanan tertata", parent=cascade.a_rhk)
    services.plan_submit(actor=agency.staff_a2.user, plan=a2_plan)
    entry = services.output_add(
        actor=agency.staff_a.user, rhk=cascade.staff_rhk, week=date(YEAR, 3, 2),
        output="Verifikasi 12 berkas", quantity=Decimal(12), today=date(YEAR, 3, 6),
    )  # fmt: skip

    login(client, agency.staff_b)
    response = client.get(reverse("kinerja:team"))

    assert response.status_code == 200
    rows = re.findall(r'<tr data-testid="team-row">(.*?)</tr>', html(response), re.S)
    assert [text(row).split()[:2] for row in rows] == [["Agus", "Wibowo"], ["Rina", "Marlina"]]
    assert all('data-testid="pending"' in row for row in rows)
    assert "Verifikasi 12 berkas" in by_test_id(response, "team-outputs")
    response = client.post(
        reverse("kinerja:output-decide", args=[entry.public_id]),
        {f"o{entry.pk}-decision": "accept", f"o{entry.pk}-comment": ""},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == ReportStatus.ACCEPTED
    # A staff member with neither subordinates nor an assignment still has no team page.
    assert login(client, agency.staff_a2).get(reverse("kinerja:team")).status_code == 404


def _team_queries(client, agency) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("kinerja:team")).status_code == 200
    return len(queries)


def test_team_page_query_count_does_not_grow_with_the_team(
    client, agency, django_assert_num_queries
):
    cascade = build_cascade(agency)
    services.output_add(
        actor=agency.staff_a.user, rhk=cascade.staff_rhk, week=date(YEAR, 3, 2),
        output="Verifikasi 12 berkas", quantity=Decimal(12), today=date(YEAR, 3, 6),
    )  # fmt: skip

    def hire(count: int) -> None:
        for i in range(count):
            employee = employee_with_position(
                actor=agency.admin, instansi=agency.instansi, unit=agency.division_a,
                title="Staf A", name=f"Staf {Rhk.objects.count()}-{i}",
                reports_to=agency.head_a.position,
            )  # fmt: skip
            draft_plan(cascade.year, employee)

    hire(1)  # 3 subordinates
    login(client, agency.head_a)
    client.get("/kinerja/")  # the menu's answers kept, as for both team visits below
    baseline = _team_queries(client, agency)
    hire(197)  # a 200-person unit
    with django_assert_num_queries(baseline):
        response = client.get(reverse("kinerja:team"))
    assert len(re.findall('data-testid="team-row"', html(response))) == 200


def test_leader_accepts_a_weekly_output_on_the_team_page(client, agency):
    cascade = build_cascade(agency)
    login(client, agency.staff_a)
    response = client.get(reverse("kinerja:output-list"))
    assert cascade.staff_rhk.text in by_test_id(response, "output-form")
    data = {"week": f"{YEAR}-03-02", "rhk": str(cascade.staff_rhk.public_id),
            "output": "Verifikasi 12 berkas", "quantity": "12", "location": "",
            "url": "https://drive.example.id/berkas"}  # fmt: skip
    response = client.post(reverse("kinerja:output-list"), data)
    assert response.status_code == 302
    entry = OutputEntry.objects.get(employee=agency.staff_a)
    assert entry.evidence.get().url == "https://drive.example.id/berkas"
    response = client.post(reverse("kinerja:output-list"), {**data, "week": "2019-03-04"})
    assert response.status_code == 422
    assert f"{YEAR}" in text(by_test_id(response, "output-form"))

    login(client, agency.head_a)
    response = client.get(reverse("kinerja:team"))
    assert "Verifikasi 12 berkas" in by_test_id(response, "team-outputs")
    response = client.post(
        reverse("kinerja:output-decide", args=[entry.public_id]),
        {f"o{entry.pk}-decision": "return", f"o{entry.pk}-comment": ""},
    )
    assert response.status_code == 422
    response = client.post(
        reverse("kinerja:output-decide", args=[entry.public_id]),
        {f"o{entry.pk}-decision": "accept"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == ReportStatus.ACCEPTED
    # Not the leader of Agus: 404.
    response = login(client, agency.head_b).post(
        reverse("kinerja:output-decide", args=[entry.public_id]),
        {f"o{entry.pk}-decision": "accept"},
    )
    assert response.status_code == 404


def test_cascade_and_matrix_pages(client, agency, citizen):
    cascade = build_cascade(agency)
    services.realisation_record(
        actor=agency.staff_a.user, indicator=cascade.staff_indicator, period=1,
        value=Decimal(5), today=date(YEAR, 2, 1),
    )  # fmt: skip
    login(client, agency.head)
    tree = text(by_test_id(client.get(reverse("kinerja:cascade")), "cascade"))
    # staff 50 % → head_a 50 % → head 50 %.
    assert "Indeks pelayanan publik meningkat — Siti Rahmawati 50%" in tree
    assert "Berkas layanan diverifikasi — Agus Wibowo 50%" in tree
    # Another division's results do not show on staff_b's page; the leaders' line does.
    tree = text(
        by_test_id(login(client, agency.staff_b).get(reverse("kinerja:cascade")), "cascade")
    )
    assert "Agus Wibowo" not in tree
    assert "Siti Rahmawati" in tree

    login(client, agency.head_a)
    response = client.get(reverse("kinerja:matrix"))
    matrix = text(by_test_id(response, "matrix"))
    assert "Layanan bidang A tepat waktu" in matrix
    assert "Berkas layanan diverifikasi" in matrix
    response = client.get(reverse("kinerja:matrix-xlsx"))
    assert response["Content-Type"] == XLSX
    assert response.content.startswith(b"PK")

    for name in ("kinerja:cascade", "kinerja:matrix", "kinerja:team", "kinerja:output-list"):
        assert login(client, citizen.user).get(reverse(name)).status_code == 404


def test_refusals_are_shown_in_indonesian(client, agency):
    cascade = build_cascade(agency)
    login(client, agency.head_a, language="id")
    response = client.post(
        reverse("kinerja:plan-revise", args=[cascade.a_plan.public_id]), {"reason": ""}
    )
    assert response.status_code == 422
    assert "Isikan alasan revisi." in html(response)


# --- Edit in place, contributors, the period view ---------------------------------------------


@pytest.fixture
def staff_draft(year, agency):
    """Agus's draft plan with one own result and its indicator."""
    plan = draft_plan(year, agency.staff_a)
    rhk, indicator = add_rhk(plan, "Berkas layanan diverifikasi", cascade=Cascade.OWN)
    return plan, rhk, indicator


def test_owner_edits_a_result_in_place(client, agency, staff_draft):
    plan, rhk, _ = staff_draft
    login(client, agency.staff_a)
    assert 'data-testid="rhk-edit-form"' in html(client.get("/kinerja/"))
    url = reverse("kinerja:rhk-update", args=[rhk.public_id])
    p = f"e{rhk.pk}"

    response = client.post(
        url, {f"{p}-text": "Berkas layanan diverifikasi tepat waktu", f"{p}-kind": "tambahan"},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert response.status_code == 200
    assert "<html" not in html(response)
    assert "Berkas layanan diverifikasi tepat waktu" in html(response)
    rhk.refresh_from_db()
    assert (rhk.text, rhk.kind) == ("Berkas layanan diverifikasi tepat waktu", "tambahan")

    # Without htmx: back to the plan page.
    response = client.post(url, {f"{p}-text": "Berkas diverifikasi", f"{p}-kind": "utama"})
    assert response.status_code == 302
    rhk.refresh_from_db()
    assert rhk.text == "Berkas diverifikasi"

    response = client.post(url, {f"{p}-text": "  ", f"{p}-kind": "tambahan"})
    assert response.status_code == 422
    assert "Describe the planned result." in text(by_test_id(response, "rhk-edit-form"))
    rhk.refresh_from_db()
    assert (rhk.text, rhk.kind) == ("Berkas diverifikasi", "utama")


def test_owner_edits_an_indicator_in_place(client, agency, staff_draft):
    plan, rhk, indicator = staff_draft
    login(client, agency.staff_a)
    p = f"ei{indicator.pk}"
    url = reverse("kinerja:indicator-update", args=[indicator.public_id])
    data = {f"{p}-aspect": "kualitas", f"{p}-text": "Berkas lengkap", f"{p}-target": "95",
            f"{p}-unit": "persen", f"{p}-metric": ""}  # fmt: skip

    response = client.post(url, data, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "Berkas lengkap" in by_test_id(response, "indicator")
    indicator.refresh_from_db()
    assert (indicator.aspect, indicator.text, indicator.target, indicator.unit) == (
        "kualitas", "Berkas lengkap", Decimal(95), "persen",
    )  # fmt: skip

    response = client.post(url, {**data, f"{p}-text": "", f"{p}-target": "1"})
    assert response.status_code == 422
    assert "Describe the indicator." in text(by_test_id(response, "indicator-edit-form"))
    indicator.refresh_from_db()
    assert indicator.target == Decimal(95)


def test_only_the_owner_edits_or_adds_contributors(client, agency, staff_draft):
    plan, rhk, indicator = staff_draft
    posts = [
        (reverse("kinerja:rhk-update", args=[rhk.public_id]),
         {f"e{rhk.pk}-text": "Diubah", f"e{rhk.pk}-kind": "utama"}),
        (reverse("kinerja:indicator-update", args=[indicator.public_id]),
         {f"ei{indicator.pk}-aspect": "kuantitas", f"ei{indicator.pk}-text": "Diubah",
          f"ei{indicator.pk}-target": "1", f"ei{indicator.pk}-unit": "x"}),
        (reverse("kinerja:rhk-contributor-add", args=[rhk.public_id]),
         {f"c{rhk.pk}-nip": agency.staff_b.nip}),
    ]  # fmt: skip
    # A colleague who may not see the plan, and the leader who may see but not change it.
    for employee in (agency.staff_a2, agency.head_a):
        login(client, employee)
        for url, data in posts:
            assert client.post(url, data).status_code == 404
    response = login(client, agency.head_a).get(plan_url(plan))
    assert 'data-testid="rhk-edit-form"' not in html(response)
    assert 'data-testid="contributor-form"' not in html(response)
    rhk.refresh_from_db()
    indicator.refresh_from_db()
    assert rhk.text == "Berkas layanan diverifikasi"
    assert indicator.text == "Jumlah Berkas layanan diverifikasi"
    assert not rhk.contributors.exists()


def test_owner_adds_a_contributor_from_another_unit_by_nip(client, agency, staff_draft):
    plan, rhk, _ = staff_draft
    login(client, agency.staff_a)
    url = reverse("kinerja:rhk-contributor-add", args=[rhk.public_id])
    p = f"c{rhk.pk}"

    response = client.post(url, {f"{p}-nip": f" {agency.staff_b.nip} ", f"{p}-role": "Verifikator"})

    assert response.status_code == 302
    contributors = text(by_test_id(client.get("/kinerja/"), "contributors"))
    assert "Hendra Gunawan — Bidang B · Verifikator" in contributors
    # The leader sees the collaboration too.
    assert "Hendra Gunawan" in by_test_id(
        login(client, agency.head_a).get(plan_url(plan)), "contributors"
    )

    login(client, agency.staff_a)
    response = client.post(url, {f"{p}-nip": "199001012020011999", f"{p}-role": ""})
    assert response.status_code == 422
    assert "No employee of this agency has the NIP 199001012020011999." in text(
        by_test_id(response, "contributor-form")
    )
    response = client.post(url, {f"{p}-nip": agency.staff_b.nip}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "already contributes" in text(by_test_id(response, "contributor-form"))
    assert rhk.contributors.count() == 1


def test_empty_forms_are_rendered_once_per_language_and_then_reused(client, agency):
    build_cascade(agency)
    login(client, agency.staff_a)

    def forms(response) -> list[str]:
        found = re.findall(
            r'data-testid="(?:realisation|plan-revise)-form">(.*?)</form>', html(response), re.S
        )
        # The CSRF token is masked afresh on each page; the rest is the cached fragment.
        return [re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", form) for form in found]

    def field_renders(response) -> int:
        return [t.name for t in response.templates].count("kinerja/partials/_fields.html")

    _empty_fields.cache_clear()  # rendered once per process: another test may have
    first = client.get("/kinerja/")
    # A changed plan is rendered anew (the page itself is no longer the kept one), but its
    # empty forms (the realisation's, the revision's) are those rendered on the first visit.
    SkpPlan.objects.filter(employee=agency.staff_a).update(updated_at=timezone.now())
    second = client.get("/kinerja/")
    indonesian = login(client, agency.staff_a, language="id").get("/kinerja/")

    assert len(forms(first)) == 2
    # Rendered anew indeed: not the page kept from the first visit.
    assert "kinerja/partials/_plan.html" in [t.name for t in second.templates]
    assert forms(second) == forms(first)
    assert field_renders(first) == 2
    assert field_renders(second) == 0
    revise, realisation = forms(first)  # the plan's header comes before its results
    assert 'name="reason"' in revise
    assert "Reason for the revision" in revise
    assert 'name="r' in realisation
    assert "Save realisation" in realisation
    assert forms(indonesian) != forms(first)  # their own entries, in their own language
    assert "Alasan revisi" in forms(indonesian)[0]
    assert field_renders(indonesian) == field_renders(first)


def test_results_indicators_and_realisations_are_read_without_joining_their_plan() -> None:
    # Ordering by the parent itself would follow the plan's ordering: agency, year, employee.
    for queryset in (Rhk.objects.all(), Indicator.objects.all(), Realisation.objects.all()):
        sql = str(queryset.query)
        assert "kinerja_skpplan" not in sql
        assert "organisations_employee" not in sql


def test_period_view_shows_the_output_log_beside_the_realisation(client, agency):
    cascade = build_cascade(agency)
    staff = agency.staff_a.user
    services.realisation_record(
        actor=staff, indicator=cascade.staff_indicator, period=3, value=Decimal(4),
        today=date(YEAR, 4, 2),
    )  # fmt: skip
    services.output_add(
        actor=staff, rhk=cascade.staff_rhk, week=date(YEAR, 3, 2), output="Verifikasi Maret",
        today=date(YEAR, 3, 6),
    )  # fmt: skip
    services.output_add(
        actor=staff, rhk=cascade.staff_rhk, week=date(YEAR, 1, 5), output="Verifikasi Januari",
        today=date(YEAR, 1, 9),
    )  # fmt: skip
    login(client, agency.staff_a)

    response = client.get("/kinerja/", {"periode": 3})
    view = text(by_test_id(response, "period-view"))
    assert "Period 3 (01/03–31/03)" in view
    assert "Verifikasi Maret" in view
    assert "Verifikasi Januari" not in view
    assert "4 dokumen" in text(by_test_id(response, "period-realisation"))
    assert 'data-testid="period-picker"' in html(response)

    response = client.get("/kinerja/", {"periode": 1})
    view = text(by_test_id(response, "period-view"))
    assert "Verifikasi Januari" in view
    assert "Verifikasi Maret" not in view
    assert "Not reported" in view

    # The leader sees the same view of the subordinate's plan.
    response = login(client, agency.head_a).get(plan_url(cascade.staff_plan), {"periode": 3})
    assert "Verifikasi Maret" in by_test_id(response, "period-view")


def _plan_with_rhks(year, employee, leader, count: int, *, approved: bool, other) -> SkpPlan:
    plan = draft_plan(year, employee)
    for i in range(count):
        rhk, _ = add_rhk(plan, f"Hasil {i}", cascade=Cascade.OWN)
        services.rhk_add_contributor(actor=employee.user, rhk=rhk, employee=other, role="Mitra")
    if not approved:
        return plan
    plan = approve(plan, leader.user)
    for rhk in plan.rhks.all():
        services.output_add(
            actor=employee.user, rhk=rhk, week=date(YEAR, 3, 2), output=f"Keluaran {rhk.text}",
            today=date(YEAR, 3, 6),
        )  # fmt: skip
    return plan


@pytest.mark.parametrize("approved", [False, True])
def test_plan_page_query_count_does_not_grow_with_the_results(
    client, agency, year, django_assert_num_queries, approved
):
    _plan_with_rhks(year, agency.staff_a, agency.head_a, 2, approved=approved, other=agency.staff_b)
    _plan_with_rhks(year, agency.staff_a2, agency.head_a, 8, approved=approved, other=agency.head_b)
    login(client, agency.staff_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/kinerja/", {"periode": 3})
    assert response.status_code == 200
    assert len(re.findall('data-testid="contributor"', html(response))) == 2

    login(client, agency.staff_a2)
    with django_assert_num_queries(len(queries)):
        response = client.get("/kinerja/", {"periode": 3})
    assert len(re.findall('data-testid="contributor"', html(response))) == 8
    if approved:
        assert len(re.findall('data-testid="period-output"', html(response))) == 8


def test_opening_next_year_in_advance_keeps_people_in_the_current_year(client, agency):
    # Whatever today is, the agency has this year and next year open.
    from django.utils import timezone

    this_year = timezone.localdate().year
    open_year(agency, year=this_year, plan_deadline=date(this_year, 12, 31))
    open_year(agency, year=this_year + 1, plan_deadline=date(this_year + 1, 1, 31))
    login(client, agency.staff_a)

    page = text(client.get(reverse("kinerja:plan-mine")).content.decode())

    assert str(this_year) in page
    assert str(this_year + 1) not in page
