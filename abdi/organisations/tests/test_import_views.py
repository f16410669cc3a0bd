"""Employee import pages: who may use them, upload → preview → apply, progress polling."""

import io
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from abdi.organisations import importing
from abdi.organisations.choices import ImportStatus
from abdi.organisations.importing import COLUMN_NAMES, validate_rows
from abdi.organisations.models import Employee, EmployeeImport, Position
from abdi.organisations.tests.import_fixtures import (
    TODAY,
    ImportAgency,
    build_import_agency,
    make_nip,
    make_row,
    upload,
    xlsx_bytes,
)

User = get_user_model()


@pytest.fixture
def small(db: Any, settings: Any, tmp_path: Any) -> ImportAgency:
    settings.MEDIA_ROOT = tmp_path
    return build_import_agency()


def english_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def admin_client(small: ImportAgency) -> Client:
    return english_client(small.admin)


@pytest.fixture
def outsider_clients(small: ImportAgency) -> list[Client]:
    """A signed-in employee of the agency, and the administrator of another agency."""
    other = build_import_agency(code="kota-lain", name="Kota Lain", head_n=900_001)
    return [english_client(small.head.user), english_client(other.admin)]


def stored_import(small: ImportAgency, rows: list[dict[str, Any]], capture: Any) -> EmployeeImport:
    with capture(execute=True):
        created = importing.employee_import_create(
            actor=small.admin, instansi=small.instansi, uploaded_file=upload(xlsx_bytes(rows))
        )
    created.refresh_from_db()
    return created


def test_upload_page_is_not_found_for_non_administrators(small, outsider_clients):
    employee, _other_admin = outsider_clients
    url = reverse("organisations:import-create")

    assert employee.get(url).status_code == 404
    assert employee.post(url, {"instansi": small.instansi.pk}).status_code == 404
    assert employee.get(reverse("organisations:import-template")).status_code == 404
    assert EmployeeImport.objects.count() == 0


def test_import_pages_are_not_found_outside_the_agency(
    small, outsider_clients, django_capture_on_commit_callbacks
):
    employee_import = stored_import(small, [make_row(1)], django_capture_on_commit_callbacks)
    key = {"public_id": employee_import.public_id}
    before = Employee.objects.count()

    for client in outsider_clients:
        assert client.get(reverse("organisations:import-detail", kwargs=key)).status_code == 404
        assert client.get(reverse("organisations:import-progress", kwargs=key)).status_code == 404
        assert client.post(reverse("organisations:import-apply", kwargs=key)).status_code == 404

    employee_import.refresh_from_db()
    assert employee_import.status == ImportStatus.READY
    assert Employee.objects.count() == before


def test_upload_page_documents_the_columns_and_lists_recent_imports(
    small, admin_client, django_capture_on_commit_callbacks
):
    stored_import(small, [make_row(1)], django_capture_on_commit_callbacks)

    response = admin_client.get(reverse("organisations:import-create"))

    assert response.status_code == 200
    page = response.content.decode()
    for name in COLUMN_NAMES:
        assert f"<code>{name}</code>" in page
    assert reverse("organisations:import-template") in page
    assert "pegawai.xlsx" in page
    assert "Ready to import" in page


def test_upload_form_preselects_the_only_agency_without_an_empty_choice(small, admin_client):
    response = admin_client.get(reverse("organisations:import-create"))

    select = re.search(
        r'<select name="instansi"[^>]*>(.*?)</select>', response.content.decode(), re.S
    )
    assert select
    assert re.findall(r"<option[^>]*>[^<]*</option>", select.group(1)) == [
        f'<option value="{small.instansi.pk}" selected>Kabupaten Impor</option>'
    ]


def test_upload_form_asks_an_administrator_of_two_agencies_to_choose(small):
    other = build_import_agency(code="kota-lain", name="Kota Lain", head_n=900_001)
    other.instansi.administrators.add(small.admin)

    response = english_client(small.admin).get(reverse("organisations:import-create"))

    select = re.search(
        r'<select name="instansi"[^>]*>(.*?)</select>', response.content.decode(), re.S
    )
    assert select
    assert re.findall(r'<option value="([^"]*)"', select.group(1)) == [
        "", str(small.instansi.pk), str(other.instansi.pk),
    ]  # fmt: skip


def test_upload_page_shows_a_blank_example_for_the_leaders_nip(small, admin_client):
    response = admin_client.get(reverse("organisations:import-create"))

    row = re.search(r"<tr>\s*<td><code>nip_atasan</code>.*?</tr>", response.content.decode(), re.S)
    assert row
    cells = re.findall(r"<td>(.*?)</td>", row.group(0), re.S)
    assert cells[2] == ""
    assert "—" not in row.group(0)


def test_upload_page_writes_upload_times_with_the_full_month_name(
    small, admin_client, django_capture_on_commit_callbacks
):
    employee_import = stored_import(small, [make_row(1)], django_capture_on_commit_callbacks)
    EmployeeImport.objects.filter(pk=employee_import.pk).update(
        created_at=datetime(2026, 3, 2, 1, 5, tzinfo=UTC)
    )
    detail = reverse("organisations:import-detail", kwargs={"public_id": employee_import.public_id})

    listing = admin_client.get(reverse("organisations:import-create")).content.decode()
    page = admin_client.get(detail).content.decode()

    # 01:05 UTC is 08:05 in Jakarta
    assert "<td>2 March 2026 08:05<br>" in listing
    assert "on 2 March 2026 08:05" in page


def test_template_download_has_the_header_and_an_example_that_validates(small, admin_client):
    response = admin_client.get(reverse("organisations:import-template"))

    assert response.status_code == 200
    assert response["Content-Type"] == importing.XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == list(COLUMN_NAMES)
    nip_cell = sheet["A2"]
    assert (nip_cell.value, nip_cell.number_format) == ("198503152010031002", "@")
    rows = list(importing.read_rows(io.BytesIO(response.content), "templat.xlsx"))
    results = validate_rows(rows, instansi=small.instansi, today=TODAY)
    assert results[0].errors == []


def test_upload_of_a_wrong_file_type_is_refused_on_the_form(small, admin_client):
    response = admin_client.post(
        reverse("organisations:import-create"),
        {"instansi": small.instansi.pk, "file": upload(b"nip,nama", "pegawai.txt")},
    )

    assert response.status_code == 422
    assert "Upload an Excel (.xlsx) or CSV (.csv) file." in response.content.decode()
    assert EmployeeImport.objects.count() == 0


def test_upload_shows_each_rows_problems_in_the_preview(
    small, admin_client, django_capture_on_commit_callbacks
):
    content = xlsx_bytes([make_row(1), make_row(2, kode_unit="BID-Z", email="ani@")])

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("organisations:import-create"),
            {"instansi": small.instansi.pk, "file": upload(content)},
        )
    employee_import = EmployeeImport.objects.get()
    detail = reverse("organisations:import-detail", kwargs={"public_id": employee_import.public_id})
    page = admin_client.get(detail).content.decode()

    assert response.status_code == 302
    assert response["Location"] == detail
    assert employee_import.status == ImportStatus.INVALID
    assert "There is no unit with code BID-Z in this agency." in page
    assert "“ani@” is not a valid email address." in page
    assert 'data-code="import.unknown_unit"' in page
    assert 'data-testid="apply"' not in page
    assert Employee.objects.count() == 1


def test_preview_counts_rows_with_problems_only_as_problems_and_shows_them_first(
    small, admin_client, django_capture_on_commit_callbacks
):
    employee_import = stored_import(
        small,
        [make_row(1), make_row(2, kode_unit="BID-Z"), make_row(3, email="ani@")],
        django_capture_on_commit_callbacks,
    )
    url = reverse("organisations:import-detail", kwargs={"public_id": employee_import.public_id})

    response = admin_client.get(url)

    page = response.content.decode()
    counts = {
        key: re.search(rf'data-testid="count-{key}">(.*?)</dd>', page).group(1)
        for key in ("total", "create", "update")
    }
    assert counts == {"total": "3", "create": "1", "update": "0"}
    assert 'data-testid="count-problems"><span class="badge badge-err">2</span>' in page
    # the problems come right after the line and the action, where they cannot be cut off
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", page)
    assert headers[:3] == ["Line", "Action", "Problems"]
    assert '<th class="col-problems">' in page


def test_preview_of_a_clean_file_has_no_problems_column(
    small, admin_client, django_capture_on_commit_callbacks
):
    employee_import = stored_import(small, [make_row(1)], django_capture_on_commit_callbacks)
    url = reverse("organisations:import-detail", kwargs={"public_id": employee_import.public_id})

    page = admin_client.get(url).content.decode()

    assert re.findall(r"<th[^>]*>([^<]*)</th>", page) == [
        "Line", "Action", "NIP", "Name", "Unit", "Position", "Leader's NIP",
    ]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_upload_preview_apply_and_done(small, admin_client):
    # Transactional, like production: the eager tasks run when each request's work commits.
    content = xlsx_bytes(
        [make_row(1, nip_atasan=small.head.nip), make_row(2, nip_atasan=make_nip(1))]
    )
    uploaded = admin_client.post(
        reverse("organisations:import-create"),
        {"instansi": small.instansi.pk, "file": upload(content)},
        follow=True,
    )
    employee_import = EmployeeImport.objects.get()
    key = {"public_id": employee_import.public_id}
    preview = uploaded.content.decode()
    assert uploaded.redirect_chain == [(reverse("organisations:import-detail", kwargs=key), 302)]
    assert 'data-testid="import-status">Ready to import<' in preview
    assert "Import 2 employees" in preview
    assert Employee.objects.count() == 1

    response = admin_client.post(reverse("organisations:import-apply", kwargs=key), follow=True)

    page = response.content.decode()
    assert response.redirect_chain == [(reverse("organisations:import-detail", kwargs=key), 302)]
    assert "Imported: 2 new and 0 updated employees." in page
    assert 'data-testid="import-status">Imported<' in page
    assert 'data-testid="apply"' not in page
    assert "hx-trigger" not in page
    assert Employee.objects.count() == 3
    assert Position.objects.get(holder__nip=make_nip(2)).reports_to.holder.nip == make_nip(1)


def test_apply_of_an_import_with_problems_shows_why_and_writes_nothing(
    small, admin_client, django_capture_on_commit_callbacks
):
    employee_import = stored_import(
        small, [make_row(1, kode_unit="X")], django_capture_on_commit_callbacks
    )
    key = {"public_id": employee_import.public_id}

    response = admin_client.post(reverse("organisations:import-apply", kwargs=key), follow=True)

    assert "Only an import that is ready can be applied" in response.content.decode()
    employee_import.refresh_from_db()
    assert employee_import.status == ImportStatus.INVALID
    assert Employee.objects.count() == 1


def test_progress_partial_polls_while_working_and_stops_with_286_when_finished(
    small, admin_client, django_capture_on_commit_callbacks
):
    employee_import = stored_import(small, [make_row(1)], django_capture_on_commit_callbacks)
    url = reverse("organisations:import-progress", kwargs={"public_id": employee_import.public_id})
    EmployeeImport.objects.filter(pk=employee_import.pk).update(
        status=ImportStatus.VALIDATING, total_rows=200, processed_rows=50
    )

    working = admin_client.get(url, headers={"HX-Request": "true"})

    assert working.status_code == 200
    assert 'hx-trigger="every 1s"' in working.content.decode()
    assert f'hx-get="{url}"' in working.content.decode()
    assert "Checked 50 of 200 rows." in working.content.decode()
    assert 'value="25"' in working.content.decode()

    EmployeeImport.objects.filter(pk=employee_import.pk).update(status=ImportStatus.READY)
    finished = admin_client.get(url, headers={"HX-Request": "true"})

    assert finished.status_code == 286
    assert finished["HX-Refresh"] == "true"
    assert "hx-trigger" not in finished.content.decode()
    assert "Ready to import" in finished.content.decode()


def test_detail_lists_rows_with_problems_first_one_hundred_per_page(
    small, admin_client, django_capture_on_commit_callbacks
):
    rows = [make_row(n) for n in range(150)]
    rows[140]["kode_unit"] = "BID-Z"
    employee_import = stored_import(small, rows, django_capture_on_commit_callbacks)
    url = reverse("organisations:import-detail", kwargs={"public_id": employee_import.public_id})

    first = admin_client.get(url).content.decode()
    second = admin_client.get(url, {"page": 2}).content.decode()

    assert first.count("<tr") == 101
    assert second.count("<tr") == 51
    assert first.index("<td>142</td>") < first.index("<td>2</td>")
    assert "Page 1 of 2" in first
    assert "<td>151</td>" in second


def test_row_problems_are_shown_in_the_readers_language(
    small, admin_client, django_capture_on_commit_callbacks
):
    # Uploaded in English (the test runs under the English language of the uploader's client)…
    from django.utils import translation

    with translation.override("en"):
        employee_import = stored_import(
            small, [make_row(1, nip="12345")], django_capture_on_commit_callbacks
        )
    url = reverse("organisations:import-detail", kwargs={"public_id": employee_import.public_id})

    english = admin_client.get(url).content.decode()
    admin_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "id"
    indonesian = admin_client.get(url).content.decode()

    assert "NIP must be exactly 18 digits, not 5." in english
    assert "NIP harus terdiri dari 18 digit, bukan 5." in indonesian
    assert "NIP must be exactly 18 digits" not in indonesian
