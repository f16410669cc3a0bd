"""Pages of the organisations app: tree, profiles, admin forms, htmx partials, language."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from abdi.core.models import AuditEvent
from abdi.organisations import services
from abdi.organisations.forms import EmployeeForm, PositionForm
from abdi.organisations.models import Employee, Position, UnitKerja
from abdi.organisations.tests.factories import employee_with_position, make_nip, superuser

User = get_user_model()


def html(response) -> str:
    return response.content.decode()


def by_test_id(response, test_id: str) -> str:
    """Return the inner HTML of the element with ``data-testid``."""
    match = re.search(rf'<(\w+)[^>]*data-testid="{test_id}"[^>]*>(.*?)</\1>', html(response), re.S)
    assert match, f"no element with data-testid={test_id}"
    return match.group(2)


def text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def state() -> tuple[object, ...]:
    return (
        list(UnitKerja.objects.order_by("pk").values_list("pk", "code", "name", "parent", "path")),
        list(Position.objects.order_by("pk").values_list("pk", "title", "reports_to", "chain")),
        list(Employee.objects.order_by("pk").values_list("pk", "nip", "name", "position")),
        User.objects.count(),
        AuditEvent.objects.count(),
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def in_english(client):
    """Choose English the way the language menu does (its cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def profile_links(fragment: str) -> set[tuple[str, str]]:
    """Return (public id, text) of every link to an employee's profile in ``fragment``."""
    return set(re.findall(r'<a href="/organisasi/pegawai/([0-9a-f-]+)/">([^<]+)</a>', fragment))


def select_options(response, name: str) -> list[tuple[str, str, bool]]:
    """Return (value, label, selected) of each option of the select named ``name``."""
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html(response), re.S)
    assert match, f"no select named {name}"
    return [
        (value, label, bool(selected))
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', match.group(1)
        )
    ]


# --------------------------------------------------------------------------------------------
# Unit tree and unit page
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unit_tree_shows_every_unit_to_the_agency_admin(agency, client):
    # when
    response = in_english(signed_in(client, agency.admin)).get("/organisasi/kab-contoh/")

    # then
    assert response.status_code == 200
    tree = text(by_test_id(response, "unit-tree"))
    for name in ("Dinas Utama", "Bidang A", "Bidang B"):
        assert name in tree
    assert "Kepala Bidang A: Budi Santoso" in tree
    assert "/organisasi/kab-contoh/unit/baru/" in html(response)


@pytest.mark.django_db
def test_unit_tree_shows_employees_the_tree_without_admin_links(agency, client):
    # when
    response = signed_in(client, agency.staff_a.user).get("/organisasi/kab-contoh/")

    # then
    assert response.status_code == 200
    assert "Bidang B" in text(by_test_id(response, "unit-tree"))
    assert "/organisasi/kab-contoh/unit/baru/" not in html(response)


@pytest.mark.django_db
def test_unit_tree_of_another_agency_is_not_found(agency, other_agency, client):
    # when
    response = signed_in(client, other_agency.admin).get("/organisasi/kab-contoh/")

    # then
    assert response.status_code == 404


@pytest.mark.django_db
def test_organisation_index_goes_straight_to_the_only_agency(agency, client):
    # when
    response = signed_in(client, agency.staff_a.user).get("/organisasi/")

    # then
    assert response.status_code == 302
    assert response["Location"] == "/organisasi/kab-contoh/"


@pytest.mark.django_db
def test_organisation_index_lists_agencies_to_the_platform_admin(
    agency, other_agency, platform_admin, client
):
    # when
    response = signed_in(client, platform_admin).get("/organisasi/")

    # then
    assert response.status_code == 200
    assert "Pemerintah Kabupaten Contoh" in html(response)
    assert "Pemerintah Kota Lain" in html(response)


@pytest.mark.django_db
def test_pages_need_a_signed_in_user(agency, client):
    # when
    response = client.get("/organisasi/kab-contoh/")

    # then
    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/?next=/organisasi/kab-contoh/"


@pytest.mark.django_db
def test_unit_page_lists_positions_and_visible_employees(agency, client):
    # when
    response = signed_in(client, agency.admin).get(
        f"/organisasi/unit/{agency.division_a.public_id}/"
    )

    # then
    assert response.status_code == 200
    page = text(html(response))
    for expected in ("Kepala Bidang A", "Analis A", "Pengadministrasi A", "Budi Santoso"):
        assert expected in page
    assert "Dewi Lestari" not in page


def _unit_page_actor(agency, who):
    return {
        "platform_admin": superuser,
        "agency_admin": lambda: agency.admin,
        "head_of_the_unit_above": lambda: agency.head.user,
        "head_of_the_unit": lambda: agency.head_a.user,
        "head_of_a_sibling_unit": lambda: agency.head_b.user,
        "staff_of_the_unit": lambda: agency.staff_a.user,
    }[who]()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "sees_staff", "linked"),
    [
        ("platform_admin", True, {"head_a", "staff_a", "staff_a2"}),
        ("agency_admin", True, {"head_a", "staff_a", "staff_a2"}),
        ("head_of_the_unit_above", True, {"head_a", "staff_a", "staff_a2"}),
        ("head_of_the_unit", True, {"head_a", "staff_a", "staff_a2"}),
        ("head_of_a_sibling_unit", False, set()),
        ("staff_of_the_unit", False, {"head_a", "staff_a"}),
    ],
)
def test_unit_page_names_every_holder_but_links_and_lists_only_whom_the_actor_may_see(
    agency, client, who, sees_staff, linked
):
    # given
    client = in_english(signed_in(client, _unit_page_actor(agency, who)))

    # when
    response = client.get(f"/organisasi/unit/{agency.division_a.public_id}/")

    # then every holder's name is shown: it is directory information
    assert response.status_code == 200
    positions = by_test_id(response, "positions")
    assert text(positions).count("Budi Santoso") == 1
    for name in ("Budi Santoso", "Agus Wibowo", "Rina Marlina"):
        assert name in text(positions)
    # and linked to the profile only when the actor may open it
    assert profile_links(positions) == {
        (str(getattr(agency, key).public_id), getattr(agency, key).full_name) for key in linked
    }
    # and the unit's staff list is only for those who may see all of it
    assert ('data-testid="unit-employees"' in html(response)) is sees_staff
    if sees_staff:
        staff = by_test_id(response, "unit-employees")
        assert "Employees in this unit and its sub-units" in staff
        assert '<span class="badge">3</span>' in staff
    else:
        assert "Employees in this unit and its sub-units" not in html(response)


@pytest.mark.django_db
def test_unit_page_queries_do_not_grow_with_its_positions(agency, client):
    # given
    client = signed_in(client, agency.staff_a.user)
    url = f"/organisasi/unit/{agency.division_a.public_id}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(3):
        employee_with_position(
            actor=agency.admin, instansi=agency.instansi, unit=agency.division_a,
            title=f"Analis Tambahan {n}", name=f"Pegawai Tambahan {n}",
            reports_to=agency.head_a.position,
        )  # fmt: skip

    # when
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)

    # then
    assert text(by_test_id(response, "positions")).count("Pegawai Tambahan") == 3
    assert len(more.captured_queries) == len(few.captured_queries)


# --------------------------------------------------------------------------------------------
# Profiles
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_my_profile_shows_staff_their_leader(agency, client):
    # when
    response = in_english(signed_in(client, agency.staff_a.user)).get("/organisasi/profil/")

    # then
    assert response.status_code == 200
    assert by_test_id(response, "nip") == agency.staff_a.nip
    assert text(by_test_id(response, "leader")) == "Budi Santoso Kepala Bidang A"
    assert text(by_test_id(response, "subordinates")) == "No subordinates."


@pytest.mark.django_db
def test_my_profile_shows_a_leader_their_subordinates(agency, client):
    # when
    response = in_english(signed_in(client, agency.head_a.user)).get("/organisasi/profil/")

    # then
    assert text(by_test_id(response, "leader")) == "Siti Rahmawati Kepala Dinas"
    assert text(by_test_id(response, "subordinates")) == (
        "Agus Wibowo Analis A Rina Marlina Pengadministrasi A"
    )


@pytest.mark.django_db
def test_my_profile_is_not_found_for_someone_who_is_not_an_employee(agency, client):
    # when
    response = signed_in(client, agency.admin).get("/organisasi/profil/")

    # then
    assert response.status_code == 404


@pytest.mark.django_db
def test_staff_may_see_their_leaders_page(agency, client):
    # when
    response = signed_in(client, agency.staff_a.user).get(
        f"/organisasi/pegawai/{agency.head_a.public_id}/"
    )

    # then
    assert response.status_code == 200
    assert by_test_id(response, "nip") == agency.head_a.nip


@pytest.mark.django_db
def test_staff_gets_404_for_a_peers_page(agency, client):
    # when
    response = signed_in(client, agency.staff_a.user).get(
        f"/organisasi/pegawai/{agency.staff_a2.public_id}/"
    )

    # then
    assert response.status_code == 404
    assert agency.staff_a2.nip not in html(response)


@pytest.mark.django_db
def test_staff_gets_404_for_another_agencys_employee(agency, other_agency, client):
    # when
    response = signed_in(client, agency.staff_a.user).get(
        f"/organisasi/pegawai/{other_agency.staff_a.public_id}/"
    )

    # then
    assert response.status_code == 404


# --------------------------------------------------------------------------------------------
# Employee list and its htmx partial
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_employee_list_full_page(agency, client):
    # when
    response = signed_in(client, agency.admin).get("/organisasi/kab-contoh/pegawai/")

    # then
    assert response.status_code == 200
    assert "<html" in html(response)
    assert [t.name for t in response.templates][0] == "organisations/employee_list.html"
    for employee in (agency.head, agency.staff_a, agency.staff_b):
        assert employee.name in html(response)


@pytest.mark.django_db
def test_employee_list_htmx_request_for_the_table_gets_only_the_partial(agency, client):
    # when
    response = signed_in(client, agency.admin).get(
        "/organisasi/kab-contoh/pegawai/",
        {"q": "bidang"},
        headers={"HX-Request": "true", "HX-Target": "employee-table"},
    )

    # then
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == (
        "organisations/partials/_employee_table.html"
    )
    body = html(response)
    assert "<html" not in body
    assert "<table>" in body


@pytest.mark.django_db
def test_employee_list_htmx_search_filters_the_rows(agency, client):
    # when
    response = signed_in(client, agency.admin).get(
        "/organisasi/kab-contoh/pegawai/",
        {"q": "wibowo"},
        headers={"HX-Request": "true", "HX-Target": "employee-table"},
    )

    # then
    body = html(response)
    assert "Agus Wibowo" in body
    assert "Budi Santoso" not in body


@pytest.mark.django_db
def test_employee_list_htmx_request_for_another_target_gets_the_full_page(agency, client):
    # when
    response = signed_in(client, agency.admin).get(
        "/organisasi/kab-contoh/pegawai/", headers={"HX-Request": "true", "HX-Target": "main"}
    )

    # then
    assert "<html" in html(response)


@pytest.mark.django_db
def test_employee_list_shows_staff_only_whom_they_may_see(agency, client):
    # when
    response = signed_in(client, agency.staff_a.user).get("/organisasi/pegawai/")

    # then
    body = html(response)
    for visible in ("Agus Wibowo", "Budi Santoso", "Siti Rahmawati"):
        assert visible in body
    for hidden in ("Rina Marlina", "Dewi Lestari", "Hendra Gunawan"):
        assert hidden not in body


# --------------------------------------------------------------------------------------------
# Admin forms
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_creates_a_unit_through_the_form(agency, client):
    # given
    client = signed_in(client, agency.admin)
    mark = AuditEvent.objects.count()

    # when
    response = client.post(
        "/organisasi/kab-contoh/unit/baru/",
        {"code": "SEK-A1", "name": "Seksi A1", "parent": agency.division_a.pk},
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == "/organisasi/kab-contoh/"
    unit = UnitKerja.objects.get(instansi=agency.instansi, code="SEK-A1")
    assert (unit.name, unit.parent_id, unit.depth) == ("Seksi A1", agency.division_a.pk, 2)
    assert list(AuditEvent.objects.order_by("pk")[mark:].values_list("action", "target_id")) == [
        ("organisations.unit.created", str(unit.public_id))
    ]


@pytest.mark.django_db
def test_unit_form_shows_a_malformed_code_on_its_field_and_writes_nothing(agency, client):
    # given
    before = state()

    # when
    response = in_english(signed_in(client, agency.admin)).post(
        "/organisasi/kab-contoh/unit/baru/", {"code": "kode dengan spasi!", "name": "Seksi"}
    )

    # then
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "code": [
            "Use letters, digits, dots, hyphens or underscores for the unit code, without spaces."
        ]
    }
    assert state() == before


@pytest.mark.django_db
def test_unit_form_preselects_the_parent_from_the_query(agency, client):
    # when
    client = signed_in(client, agency.admin)
    response = client.get(f"/organisasi/kab-contoh/unit/baru/?parent={agency.division_a.pk}")
    valid = client.get(f"/organisasi/kab-contoh/unit/baru/?parent={agency.division_a.public_id}")

    # then an id that is not a public id is ignored rather than failing
    assert response.status_code == 200
    assert valid.status_code == 200
    assert f'<option value="{agency.division_a.pk}" selected>' in html(valid)
    assert f'<option value="{agency.division_a.pk}" selected>' not in html(response)


@pytest.mark.django_db
def test_position_form_ignores_a_malformed_unit_in_the_query(agency, client):
    # when
    client = signed_in(client, agency.admin)
    malformed = client.get("/organisasi/kab-contoh/jabatan/baru/?unit=bukan-uuid")
    valid = client.get(f"/organisasi/kab-contoh/jabatan/baru/?unit={agency.division_b.public_id}")

    # then
    assert malformed.status_code == 200
    assert valid.status_code == 200
    assert f'<option value="{agency.division_b.pk}" selected>' in html(valid)


@pytest.mark.django_db
def test_admin_edits_a_unit_through_the_form(agency, client):
    # given
    mark = AuditEvent.objects.count()

    # when
    response = signed_in(client, agency.admin).post(
        f"/organisasi/kab-contoh/unit/{agency.division_a.public_id}/ubah/",
        {"code": "BID-A", "name": "Bidang Anggaran", "parent": agency.division_b.pk},
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == f"/organisasi/unit/{agency.division_a.public_id}/"
    unit = UnitKerja.objects.get(pk=agency.division_a.pk)
    assert (unit.name, unit.parent_id, unit.depth) == ("Bidang Anggaran", agency.division_b.pk, 2)
    assert list(AuditEvent.objects.order_by("pk")[mark:].values_list("action", flat=True)) == [
        "organisations.unit.updated"
    ]


@pytest.mark.django_db
def test_unit_edit_form_does_not_offer_the_units_own_subtree_as_parent(agency, client):
    # when
    response = signed_in(client, agency.admin).get(
        f"/organisasi/kab-contoh/unit/{agency.root.public_id}/ubah/"
    )

    # then
    assert response.status_code == 200
    assert f'<option value="{agency.division_a.pk}"' not in html(response)


@pytest.mark.django_db
def test_unit_edit_form_leads_back_and_cancels_to_the_unit(agency, client):
    # when
    response = in_english(signed_in(client, agency.admin)).get(
        f"/organisasi/kab-contoh/unit/{agency.division_a.public_id}/ubah/"
    )

    # then
    unit_url = f"/organisasi/unit/{agency.division_a.public_id}/"
    assert f'<p><a href="{unit_url}">← Bidang A</a></p>' in html(response)
    cancel = re.search(r'<a [^>]*href="([^"]+)"[^>]*data-testid="cancel">([^<]+)<', html(response))
    assert cancel
    assert cancel.groups() == (unit_url, "Cancel")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "back"),
    [
        ("/organisasi/kab-contoh/unit/baru/", "tree"),
        ("/organisasi/kab-contoh/unit/baru/?parent={division_a}", "division_a"),
        ("/organisasi/kab-contoh/jabatan/baru/", "tree"),
        ("/organisasi/kab-contoh/jabatan/baru/?unit={division_a}", "division_a"),
        ("/organisasi/kab-contoh/jabatan/{staff_b_position}/ubah/", "division_b"),
        ("/organisasi/kab-contoh/pegawai/baru/", "tree"),
        ("/organisasi/kab-contoh/pegawai/{staff_b}/ubah/", "staff_b"),
    ],
)
def test_admin_forms_have_a_cancel_link_back_to_where_they_came_from(agency, client, path, back):
    # given
    ids = {
        "division_a": agency.division_a.public_id,
        "staff_b_position": agency.staff_b.position.public_id,
        "staff_b": agency.staff_b.public_id,
    }
    expected = {
        "tree": "/organisasi/kab-contoh/",
        "division_a": f"/organisasi/unit/{agency.division_a.public_id}/",
        "division_b": f"/organisasi/unit/{agency.division_b.public_id}/",
        "staff_b": f"/organisasi/pegawai/{agency.staff_b.public_id}/",
    }[back]

    # when
    response = signed_in(client, agency.admin).get(path.format(**ids))

    # then
    assert response.status_code == 200
    assert f'<a class="btn btn-secondary" href="{expected}" data-testid="cancel">' in html(response)
    assert f'<p><a href="{expected}">← ' in html(response)


@pytest.mark.django_db
def test_position_form_starts_as_a_staff_position(agency, client):
    # when
    response = in_english(signed_in(client, agency.admin)).get(
        "/organisasi/kab-contoh/jabatan/baru/"
    )

    # then
    assert [(value, label) for value, label, selected in select_options(response, "kind")] == [
        ("jpt", "Senior executive (JPT)"),
        ("administrator", "Administrator"),
        ("pengawas", "Supervisor"),
        ("fungsional", "Functional"),
        ("pelaksana", "Staff (pelaksana)"),
    ]
    assert [value for value, _label, selected in select_options(response, "kind") if selected] == [
        "pelaksana"
    ]


@pytest.mark.django_db
def test_position_form_labels_leaders_by_unit_and_holder(agency, client):
    # given a vacant position with the same title as a held one in another unit
    vacant = services.position_create(actor=agency.admin, unit=agency.division_b, title="Analis A")

    # when
    response = in_english(signed_in(client, agency.admin)).get(
        "/organisasi/kab-contoh/jabatan/baru/"
    )

    # then
    labels = {value: label for value, label, _selected in select_options(response, "reports_to")}
    assert labels[str(agency.staff_a.position.pk)] == "Analis A — Bidang A (Agus Wibowo)"
    assert labels[str(vacant.pk)] == "Analis A — Bidang B (vacant)"
    assert labels[str(agency.head.position.pk)] == "Kepala Dinas — Dinas Utama (Siti Rahmawati)"


@pytest.mark.django_db
def test_employee_form_lists_vacant_positions_first_labelled_by_unit_and_holder(agency, client):
    # given
    admin = agency.admin
    vacant_b = services.position_create(actor=admin, unit=agency.division_b, title="Analis A")
    vacant_a = services.position_create(actor=admin, unit=agency.division_a, title="Analis A")

    # when
    response = in_english(signed_in(client, agency.admin)).get(
        "/organisasi/kab-contoh/pegawai/baru/"
    )

    # then
    options = select_options(response, "position")
    assert options[0] == ("", "---------", True)
    assert [label for _value, label, _selected in options[1:3]] == [
        "Analis A — Bidang A (vacant)",
        "Analis A — Bidang B (vacant)",
    ]
    assert [value for value, _label, _selected in options[1:3]] == [
        str(vacant_a.pk), str(vacant_b.pk),
    ]  # fmt: skip
    assert {label for _value, label, _selected in options[3:]} == {
        "Kepala Dinas — Dinas Utama (Siti Rahmawati)",
        "Kepala Bidang A — Bidang A (Budi Santoso)",
        "Kepala Bidang B — Bidang B (Dewi Lestari)",
        "Analis A — Bidang A (Agus Wibowo)",
        "Pengadministrasi A — Bidang A (Rina Marlina)",
        "Analis B — Bidang B (Hendra Gunawan)",
    }
    assert "Vacant positions are listed first." in html(response)


@pytest.mark.django_db
def test_position_selects_are_labelled_with_one_query_each(agency, django_assert_num_queries):
    # given
    for n in range(5):
        services.position_create(actor=agency.admin, unit=agency.division_b, title=f"Lowong {n}")
    employee_form = EmployeeForm(instansi=agency.instansi)
    position_form = PositionForm(instansi=agency.instansi)

    # when / then
    with django_assert_num_queries(1):
        assert "Lowong 4 — Bidang B" in str(employee_form["position"])
    with django_assert_num_queries(1):
        assert "Analis B — Bidang B (Hendra Gunawan)" in str(position_form["reports_to"])


@pytest.mark.django_db
def test_admin_creates_a_position_through_the_form(agency, client):
    # given
    mark = AuditEvent.objects.count()

    # when
    response = signed_in(client, agency.admin).post(
        "/organisasi/kab-contoh/jabatan/baru/",
        {
            "title": "Analis Kebijakan",
            "unit": agency.division_b.pk,
            "kind": "fungsional",
            "reports_to": agency.head_b.position.pk,
        },
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == f"/organisasi/unit/{agency.division_b.public_id}/"
    position = Position.objects.get(title="Analis Kebijakan")
    assert (position.unit_id, position.kind, position.is_unit_head) == (
        agency.division_b.pk, "fungsional", False,
    )  # fmt: skip
    assert position.chain == f"{agency.head_b.position.chain}{position.pk}/"
    assert list(AuditEvent.objects.order_by("pk")[mark:].values_list("action", flat=True)) == [
        "organisations.position.created"
    ]


@pytest.mark.django_db
def test_position_form_refuses_a_second_head_with_the_message_on_the_field(agency, client):
    # given
    before = state()

    # when
    response = in_english(signed_in(client, agency.admin)).post(
        "/organisasi/kab-contoh/jabatan/baru/",
        {"title": "Kepala Lain", "unit": agency.division_a.pk, "kind": "pengawas",
         "is_unit_head": "on"},
    )  # fmt: skip

    # then
    assert response.status_code == 422
    assert response.context["form"].errors == {"is_unit_head": ["Bidang A already has a head."]}
    assert "Bidang A already has a head." in html(response)
    assert state() == before


@pytest.mark.django_db
def test_admin_edits_a_position_through_the_form(agency, client):
    # given
    position = agency.staff_b.position

    # when
    response = signed_in(client, agency.admin).post(
        f"/organisasi/kab-contoh/jabatan/{position.public_id}/ubah/",
        {"title": "Analis Senior B", "unit": agency.division_b.pk, "kind": "fungsional",
         "reports_to": agency.head.position.pk},
    )  # fmt: skip

    # then
    assert response.status_code == 302
    position = Position.objects.get(pk=position.pk)
    assert (position.title, position.reports_to_id) == ("Analis Senior B", agency.head.position.pk)
    assert position.chain == f"/{agency.head.position.pk}/{position.pk}/"


@pytest.mark.django_db
def test_admin_creates_an_employee_through_the_form(agency, client):
    # given
    vacant = services.position_create(actor=agency.admin, unit=agency.division_b, title="Lowong")
    nip = make_nip()
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    mark = AuditEvent.objects.count()

    # when
    response = signed_in(client, agency.admin).post(
        "/organisasi/kab-contoh/pegawai/baru/",
        {"nip": spaced, "name": "Pegawai Baru", "position": vacant.pk, "status": "aktif",
         "email": "baru@contoh.go.id"},
    )  # fmt: skip

    # then
    employee = Employee.objects.get(nip=nip)
    assert response.status_code == 302
    assert response["Location"] == f"/organisasi/pegawai/{employee.public_id}/"
    assert (employee.name, employee.position_id, employee.user.username) == (
        "Pegawai Baru", vacant.pk, nip,
    )  # fmt: skip
    assert list(AuditEvent.objects.order_by("pk")[mark:].values_list("action", flat=True)) == [
        "organisations.employee.created"
    ]


@pytest.mark.django_db
def test_employee_form_with_invalid_nip_is_422_with_the_message_and_writes_nothing(agency, client):
    # given
    before = state()

    # when
    response = in_english(signed_in(client, agency.admin)).post(
        "/organisasi/kab-contoh/pegawai/baru/",
        {"nip": "12345", "name": "Pegawai Baru", "status": "aktif"},
    )

    # then
    assert response.status_code == 422
    assert response.context["form"].errors == {"nip": ["NIP must be exactly 18 digits, not 5."]}
    assert "NIP must be exactly 18 digits, not 5." in html(response)
    assert state() == before


@pytest.mark.django_db
def test_employee_form_with_duplicate_nip_is_422_and_writes_nothing(agency, client):
    # given
    before = state()

    # when
    response = in_english(signed_in(client, agency.admin)).post(
        "/organisasi/kab-contoh/pegawai/baru/",
        {"nip": agency.staff_a.nip, "name": "Kembar", "status": "aktif"},
    )

    # then
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "nip": [f"NIP {agency.staff_a.nip} is already registered."]
    }
    assert state() == before


@pytest.mark.django_db
def test_admin_edits_an_employee_through_the_form(agency, client):
    # given
    mark = AuditEvent.objects.count()

    # when
    response = signed_in(client, agency.admin).post(
        f"/organisasi/kab-contoh/pegawai/{agency.staff_b.public_id}/ubah/",
        {"nip": "000000000000000000", "name": "Hendra G.", "back_title": "S.E.",
         "position": agency.staff_b.position.pk, "status": "cuti"},
    )  # fmt: skip

    # then the NIP field is disabled: the posted value is ignored
    assert response.status_code == 302
    employee = Employee.objects.get(pk=agency.staff_b.pk)
    assert (employee.full_name, employee.status, employee.nip) == (
        "Hendra G., S.E.", "cuti", agency.staff_b.nip,
    )  # fmt: skip
    assert list(AuditEvent.objects.order_by("pk")[mark:].values_list("action", flat=True)) == [
        "organisations.employee.updated"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/organisasi/kab-contoh/unit/baru/",
        "/organisasi/kab-contoh/jabatan/baru/",
        "/organisasi/kab-contoh/pegawai/baru/",
    ],
)
@pytest.mark.parametrize("who", ["employee", "unit_head", "other_agency_admin"])
def test_non_admin_gets_404_on_the_admin_forms(agency, other_agency, client, path, who):
    # given
    user = {
        "employee": agency.staff_a.user,
        "unit_head": agency.head.user,
        "other_agency_admin": other_agency.admin,
    }[who]
    client = signed_in(client, user)
    before = state()

    # when
    page = client.get(path)
    post = client.post(path, {"code": "X", "name": "X", "title": "X", "nip": make_nip()})

    # then
    assert (page.status_code, post.status_code) == (404, 404)
    assert state() == before


@pytest.mark.django_db
def test_agency_admin_gets_the_same_admin_forms(agency, client):
    client = signed_in(client, agency.admin)

    for path in (
        "/organisasi/kab-contoh/unit/baru/",
        "/organisasi/kab-contoh/jabatan/baru/",
        "/organisasi/kab-contoh/pegawai/baru/",
    ):
        assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_non_admin_gets_404_on_the_edit_forms(agency, client):
    # given
    client = signed_in(client, agency.head.user)
    before = state()

    # when
    responses = [
        client.get(f"/organisasi/kab-contoh/unit/{agency.division_a.public_id}/ubah/"),
        client.get(f"/organisasi/kab-contoh/jabatan/{agency.staff_a.position.public_id}/ubah/"),
        client.post(
            f"/organisasi/kab-contoh/pegawai/{agency.staff_a.public_id}/ubah/",
            {"name": "Diubah", "status": "aktif"},
        ),
    ]

    # then
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert state() == before


# --------------------------------------------------------------------------------------------
# Language
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_default_language_is_indonesian(client):
    # when
    response = client.get("/")

    # then
    assert response.status_code == 200
    assert '<html lang="id">' in html(response)


@pytest.mark.django_db
def test_switching_the_language_to_english_sticks(agency, client):
    # given
    client = signed_in(client, agency.staff_a.user)

    # when
    switch = client.post("/i18n/setlang/", {"language": "en", "next": "/organisasi/profil/"})
    response = client.get("/organisasi/profil/")

    # then
    assert switch.status_code == 302
    assert switch["Location"] == "/organisasi/profil/"
    assert '<html lang="en">' in html(response)
    assert "My profile" in html(response)
