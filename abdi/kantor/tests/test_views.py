"""Office pages: who sees what, refusals on the page, the manage page for administrators."""

from typing import Any

import pytest
from django.urls import reverse

from abdi.kantor.models import LetterTemplate

from .conftest import Office, draft

pytestmark = pytest.mark.django_db


def test_desk_lists_drafts_and_awaiting(client: Any, office: Office) -> None:
    agency = office.agency
    letter = draft(office)
    client.force_login(agency.staff_a.user)
    page = client.get(reverse("kantor:home"))
    assert page.status_code == 200
    assert letter.subject in page.content.decode()
    assert client.post(reverse("kantor:letter-submit", args=[letter.public_id])).status_code == 302
    client.force_login(agency.head_a.user)
    desk = client.get(reverse("kantor:home")).content.decode()
    assert letter.subject in desk
    detail = client.get(reverse("kantor:letter-detail", args=[letter.public_id])).content.decode()
    assert 'data-testid="paraf"' in detail
    refused = client.post(
        reverse("kantor:letter-decide", args=[letter.public_id]), {"decision": "return"}
    )
    assert refused.status_code == 422
    assert 'id="id_comment_error"' in refused.content.decode()


def test_outsider_gets_404_for_a_draft(client: Any, office: Office) -> None:
    letter = draft(office)
    client.force_login(office.agency.staff_b.user)
    assert client.get(reverse("kantor:letter-detail", args=[letter.public_id])).status_code == 404
    assert client.get(reverse("kantor:letter-pdf", args=[letter.public_id])).status_code == 404


def test_create_letter_through_the_form(client: Any, office: Office) -> None:
    agency = office.agency
    client.force_login(agency.staff_a.user)
    response = client.post(
        reverse("kantor:letter-create"),
        {
            "template": office.template.pk,
            "classification": office.classification.pk,
            "access_class": "terbatas",
            "subject": "Laporan bulanan",
            "body": "Isi laporan.",
            "signer_position": agency.head_a.position.pk,
            "people": [agency.staff_a2.pk],
            "external": "Kepala BPS | Jl. Sudirman 2",
        },
    )
    assert response.status_code == 302
    letter = agency.staff_a.drafted_letters.get()
    assert [r.label for r in letter.recipients.all()] == ["Rina Marlina", "Kepala BPS"]
    preview = client.get(reverse("kantor:letter-pdf", args=[letter.public_id]))
    assert preview.content.startswith(b"%PDF")


def test_manage_page_is_for_administrators(client: Any, office: Office) -> None:
    agency = office.agency
    client.force_login(agency.staff_a.user)
    assert client.get(reverse("kantor:manage")).status_code == 404
    client.force_login(agency.admin)
    assert client.get(reverse("kantor:manage")).status_code == 200
    bad = client.post(
        reverse("kantor:manage"),
        {"form": "template", "kind": "surat_dinas", "name": "Surat Dinas", "kop_title": "Kop",
         "numbering_pattern": "{year}"},
    )  # fmt: skip
    assert bad.status_code == 422
    good = client.post(
        reverse("kantor:manage"),
        {"form": "template", "kind": "surat_dinas", "name": "Surat Dinas", "kop_title": "Kop",
         "numbering_pattern": "{seq:03d}/{klasifikasi}/{year}"},
    )  # fmt: skip
    assert good.status_code == 302
    assert LetterTemplate.objects.filter(name="Surat Dinas").exists()
    client.post(reverse("kantor:manage"), {"form": "demo-key"})
    assert "demo" in client.get(reverse("kantor:manage")).content.decode()
