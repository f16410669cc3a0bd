"""The innovation pages: thin views over the services, 404 for what one may not see."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from abdi.core.navigation import items_for
from abdi.inovasi.choices import ReviewStatus, Stage
from abdi.inovasi.models import Innovation
from abdi.organisations.tests.factories import Agency

from .factories import endorsed, register

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(client: Any, user: Any) -> Any:
    client.logout()
    client.force_login(user)
    return client


def test_register_then_submit_and_the_leader_returns_it(agency: Agency, client: Any) -> None:
    staff = login(client, agency.staff_a.user)
    assert staff.get(reverse("inovasi:create")).status_code == 200
    response = staff.post(
        reverse("inovasi:create"),
        {"title": "Antrean daring", "problem": "Antre.", "idea": "Ponsel.", "stage": "ide",
         "service_name": "KTP-el", "stakeholders": "Kecamatan Depok\n", "partners": "Bank Daerah"},
    )  # fmt: skip
    innovation = Innovation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inovasi:detail", args=[innovation.public_id])
    assert sorted(innovation.collaborators.values_list("kind", "name")) == [
        ("partner", "Bank Daerah"), ("stakeholder", "Kecamatan Depok"),
    ]  # fmt: skip
    page = staff.get(response["Location"])
    assert b"Antrean daring" in page.content
    staff.post(reverse("inovasi:submit", args=[innovation.public_id]))
    innovation.refresh_from_db()
    assert innovation.status == ReviewStatus.SUBMITTED

    leader = login(client, agency.head_a.user)
    assert b"Antrean daring" in leader.get(reverse("inovasi:home")).content
    response = leader.post(
        reverse("inovasi:decide", args=[innovation.public_id]), {"decision": "return", "note": ""}
    )
    assert response.status_code == 422
    response = leader.post(
        reverse("inovasi:decide", args=[innovation.public_id]),
        {"decision": "return", "note": "Lengkapi data dasar."},
    )
    assert response.status_code == 302
    innovation.refresh_from_db()
    assert (innovation.status, innovation.return_note) == ("returned", "Lengkapi data dasar.")


def test_owner_forms_stage_progress_evidence(agency: Agency, client: Any) -> None:
    innovation = register(agency.staff_a)
    staff = login(client, agency.staff_a.user)
    today = agency.instansi.local_date().isoformat()
    args = [innovation.public_id]
    staff.post(reverse("inovasi:stage", args=args), {"stage": "uji_coba", "on": today})
    staff.post(reverse("inovasi:progress", args=args), {"text": "Uji coba 2 minggu."})
    response = staff.post(
        reverse("inovasi:evidence", args=args),
        {"file": SimpleUploadedFile("laporan.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 302
    response = staff.post(
        reverse("inovasi:evidence", args=args),
        {"file": SimpleUploadedFile("foto.png", PDF, content_type="image/png")},
    )
    assert response.status_code == 422
    assert b"isinya sesuai" in response.content or b"content matches" in response.content
    innovation.refresh_from_db()
    assert innovation.stage == Stage.UJI_COBA
    evidence = innovation.evidence.get()
    download = staff.get(reverse("inovasi:evidence-file", args=[evidence.public_id]))
    assert b"".join(download.streaming_content) == PDF
    colleague = login(client, agency.staff_b.user)
    assert (
        colleague.get(reverse("inovasi:evidence-file", args=[evidence.public_id])).status_code
        == 404
    )
    assert colleague.get(reverse("inovasi:detail", args=args)).status_code == 404
    assert colleague.post(reverse("inovasi:progress", args=args), {"text": "x"}).status_code == 404


def test_another_agency_finds_and_replicates(
    agency: Agency, other_agency: Agency, client: Any
) -> None:
    original = endorsed(agency.staff_a, agency.head_a)
    register(agency.staff_a2, "Draf rahasia antrean")
    outsider = login(client, other_agency.staff_b.user)
    page = outsider.get(reverse("inovasi:search"), {"q": "antrean", "other": "on"})
    assert b"Antrean daring KTP-el" in page.content
    assert b"Draf rahasia" not in page.content
    response = outsider.post(
        reverse("inovasi:replicate", args=[original.public_id]), {"note": "Tiru"}
    )
    replica = Innovation.objects.get(replicates=original)
    assert response["Location"] == reverse("inovasi:detail", args=[replica.public_id])
    page = outsider.get(reverse("inovasi:detail", args=[original.public_id]))
    assert replica.title.encode() in page.content


def test_the_nav_entry_and_the_admin_settings(agency: Agency, client: Any, rf: Any) -> None:
    request = rf.get("/")
    request.user = agency.staff_a.user
    labels = [str(item.label) for item in items_for(request, frozenset({"employee"}))]
    assert any(label in ("Inovasi", "Innovation") for label in labels)
    admin = login(client, agency.admin)
    assert admin.get(reverse("inovasi:settings")).status_code == 200
    response = admin.post(reverse("inovasi:settings"), {"dormant_months": "3"})
    assert response.status_code == 302
    assert agency.instansi.innovation_settings.dormant_months == 3
    staff = login(client, agency.staff_a.user)
    assert staff.get(reverse("inovasi:settings")).status_code == 404
