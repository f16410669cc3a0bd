"""Every write to agencies, units, positions, employees and citizens, with its audit event."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import translation

from abdi.core.exceptions import ConflictError, PermissionDeniedError, ValidationError
from abdi.core.models import AuditEvent
from abdi.organisations import services
from abdi.organisations.choices import AsnKind, EmployeeStatus, Gender, PositionKind
from abdi.organisations.exceptions import IdentifierError
from abdi.organisations.models import Citizen, Employee, Instansi, Position, UnitKerja
from abdi.organisations.tests.factories import PASSWORD, make_nik, make_nip

User = get_user_model()


def last_event_id() -> int:
    return AuditEvent.objects.aggregate(last=Max("pk"))["last"] or 0


def events_since(mark: int) -> list[tuple[str, str, int | None]]:
    """Return (action, target id, actor id) of every audit event written after ``mark``."""
    return list(
        AuditEvent.objects.filter(pk__gt=mark)
        .order_by("pk")
        .values_list("action", "target_id", "actor_id")
    )


def database_state() -> dict[str, object]:
    """Everything a refused service might have written."""
    return {
        "instansi": list(Instansi.objects.order_by("pk").values_list("pk", "code", "name")),
        "admins": sorted(Instansi.administrators.through.objects.values_list("pk", flat=True)),
        "units": list(
            UnitKerja.objects.order_by("pk").values_list(
                "pk", "code", "name", "parent", "path", "depth"
            )
        ),
        "positions": list(
            Position.objects.order_by("pk").values_list(
                "pk", "unit", "title", "is_unit_head", "reports_to", "chain"
            )
        ),
        "employees": list(
            Employee.objects.order_by("pk").values_list("pk", "nip", "name", "position", "status")
        ),
        "citizens": list(Citizen.objects.order_by("pk").values_list("pk", "nik")),
        "users": list(User.objects.order_by("pk").values_list("pk", "username")),
        "events": AuditEvent.objects.count(),
    }


def reload(record):
    return type(record).objects.get(pk=record.pk)


# --------------------------------------------------------------------------------------------
# Agencies
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_instansi_create_by_platform_admin(platform_admin):
    # given
    mark = last_event_id()

    # when
    instansi = services.instansi_create(
        actor=platform_admin, code="prov-baru", name="Pemerintah Provinsi Baru", kind="provinsi",
        timezone_name="Asia/Makassar",
    )  # fmt: skip

    # then
    instansi = reload(instansi)
    assert (instansi.code, instansi.name, instansi.kind, instansi.timezone) == (
        "prov-baru", "Pemerintah Provinsi Baru", "provinsi", "Asia/Makassar",
    )  # fmt: skip
    assert events_since(mark) == [
        ("organisations.instansi.created", str(instansi.public_id), platform_admin.pk)
    ]
    event = AuditEvent.objects.get(pk__gt=mark)
    assert event.instansi_id == instansi.pk
    assert event.after == {
        "code": "prov-baru", "name": "Pemerintah Provinsi Baru", "kind": "provinsi",
        "timezone": "Asia/Makassar",
    }  # fmt: skip


@pytest.mark.django_db
def test_instansi_create_refused_to_an_agency_admin(agency):
    # given
    before = database_state()

    # when
    with pytest.raises(PermissionDeniedError) as caught:
        services.instansi_create(actor=agency.admin, code="prov-baru", name="Provinsi Baru")

    # then
    assert caught.value.code == "platform.admin_required"
    assert database_state() == before


@pytest.mark.django_db
def test_instansi_create_refuses_a_duplicate_code(platform_admin, agency):
    # given
    before = database_state()

    # when
    with pytest.raises(ValidationError) as caught:
        services.instansi_create(actor=platform_admin, code="kab-contoh", name="Kembar")

    # then
    assert caught.value.code == "instansi.invalid"
    assert caught.value.field == "code"
    assert [e["code"] for e in caught.value.errors] == ["unique"]
    assert database_state() == before


@pytest.mark.django_db
def test_instansi_add_administrator(agency):
    # given
    user = User.objects.create_user(username="admin-kedua", password=PASSWORD)
    mark = last_event_id()

    # when
    services.instansi_add_administrator(actor=agency.admin, instansi=agency.instansi, user=user)

    # then
    assert set(agency.instansi.administrators.values_list("username", flat=True)) == {
        "admin-kab-contoh",
        "admin-kedua",
    }
    assert events_since(mark) == [
        (
            "organisations.instansi.administrator_added",
            str(agency.instansi.public_id),
            agency.admin.pk,
        )
    ]
    assert AuditEvent.objects.get(pk__gt=mark).after == {"user": "admin-kedua"}


@pytest.mark.django_db
def test_instansi_add_administrator_refused_to_an_employee(agency):
    # given
    before = database_state()

    # when
    with pytest.raises(PermissionDeniedError) as caught:
        services.instansi_add_administrator(
            actor=agency.staff_a.user, instansi=agency.instansi, user=agency.staff_a.user
        )

    # then
    assert caught.value.code == "instansi.admin_required"
    assert database_state() == before


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unit_create_under_a_parent(agency):
    # given
    mark = last_event_id()

    # when
    unit = services.unit_create(
        actor=agency.admin, instansi=agency.instansi, code=" SEK-A1 ", name=" Seksi A1 ",
        parent=agency.division_a,
    )  # fmt: skip

    # then
    unit = reload(unit)
    assert (unit.code, unit.name, unit.parent_id) == ("SEK-A1", "Seksi A1", agency.division_a.pk)
    assert unit.path == f"/{agency.root.pk}/{agency.division_a.pk}/{unit.pk}/"
    assert unit.depth == 2
    assert events_since(mark) == [
        ("organisations.unit.created", str(unit.public_id), agency.admin.pk)
    ]
    event = AuditEvent.objects.get(pk__gt=mark)
    assert event.instansi_id == agency.instansi.pk
    assert event.after == {"code": "SEK-A1", "name": "Seksi A1", "parent": agency.division_a.pk}


@pytest.mark.django_db
def test_unit_create_as_a_root(agency):
    # when
    unit = services.unit_create(
        actor=agency.admin, instansi=agency.instansi, code="DINAS-2", name="Dinas Kedua"
    )

    # then
    unit = reload(unit)
    assert (unit.parent_id, unit.path, unit.depth) == (None, f"/{unit.pk}/", 0)


@pytest.mark.django_db
@pytest.mark.parametrize("actor_name", ["employee", "unit_head", "other_agency_admin", "citizen"])
def test_unit_create_refused_to_a_non_admin(agency, other_agency, citizen, actor_name):
    # given
    actor = {
        "employee": agency.staff_a.user,
        "unit_head": agency.head.user,
        "other_agency_admin": other_agency.admin,
        "citizen": citizen.user,
    }[actor_name]
    before = database_state()

    # when
    with pytest.raises(PermissionDeniedError) as caught:
        services.unit_create(actor=actor, instansi=agency.instansi, code="SEK-X", name="Seksi X")

    # then
    assert caught.value.code == "instansi.admin_required"
    assert caught.value.params == {"instansi": "Pemerintah Kabupaten Contoh"}
    assert database_state() == before


@pytest.mark.django_db
def test_unit_create_refuses_a_parent_of_another_agency(agency, other_agency):
    # given
    before = database_state()

    # when
    with pytest.raises(ValidationError) as caught:
        services.unit_create(
            actor=agency.admin, instansi=agency.instansi, code="SEK-X", name="Seksi X",
            parent=other_agency.root,
        )  # fmt: skip

    # then
    assert caught.value.code == "unit.parent_other_instansi"
    assert database_state() == before


@pytest.mark.django_db
def test_unit_create_refuses_a_code_used_in_the_agency(agency, other_agency):
    # given
    before = database_state()

    # when
    with pytest.raises(ConflictError) as caught:
        services.unit_create(
            actor=agency.admin, instansi=agency.instansi, code="BID-A", name="Bidang A Lagi"
        )

    # then
    assert (caught.value.code, caught.value.field) == ("unit.code_duplicate", "code")
    assert database_state() == before


@pytest.mark.django_db
def test_unit_update_renames(agency):
    # given
    mark = last_event_id()

    # when
    services.unit_update(
        actor=agency.admin, unit=agency.division_a, code="BID-AA", name="Bidang Anggaran",
        parent=agency.root,
    )  # fmt: skip

    # then
    unit = reload(agency.division_a)
    assert (unit.code, unit.name, unit.path, unit.depth) == (
        "BID-AA", "Bidang Anggaran", agency.division_a.path, 1,
    )  # fmt: skip
    assert events_since(mark) == [
        ("organisations.unit.updated", str(unit.public_id), agency.admin.pk)
    ]
    event = AuditEvent.objects.get(pk__gt=mark)
    assert event.before == {"code": "BID-A", "name": "Bidang A", "parent": agency.root.pk}
    assert event.after == {"code": "BID-AA", "name": "Bidang Anggaran", "parent": agency.root.pk}


@pytest.mark.django_db
def test_unit_update_move_repaths_the_whole_subtree(agency):
    # given a section and a sub-section below division A
    section = services.unit_create(
        actor=agency.admin, instansi=agency.instansi, code="SEK-A1", name="Seksi A1",
        parent=agency.division_a,
    )  # fmt: skip
    subsection = services.unit_create(
        actor=agency.admin, instansi=agency.instansi, code="SUB-A1", name="Subseksi A1",
        parent=section,
    )  # fmt: skip
    mark = last_event_id()

    # when division A moves under division B
    services.unit_update(
        actor=agency.admin, unit=agency.division_a, code="BID-A", name="Bidang A",
        parent=agency.division_b,
    )  # fmt: skip

    # then
    root, a, b = agency.root.pk, agency.division_a.pk, agency.division_b.pk
    assert list(
        UnitKerja.objects.filter(instansi=agency.instansi).values_list("pk", "path", "depth")
    ) == sorted(
        [
            (root, f"/{root}/", 0),
            (b, f"/{root}/{b}/", 1),
            (a, f"/{root}/{b}/{a}/", 2),
            (section.pk, f"/{root}/{b}/{a}/{section.pk}/", 3),
            (subsection.pk, f"/{root}/{b}/{a}/{section.pk}/{subsection.pk}/", 4),
        ],
        key=lambda row: row[1],
    )
    assert reload(agency.division_a).parent_id == b
    assert [e[0] for e in events_since(mark)] == ["organisations.unit.updated"]


@pytest.mark.django_db
def test_unit_update_move_to_the_top_repaths_the_subtree(agency):
    # when division A becomes a root
    services.unit_update(
        actor=agency.admin, unit=agency.division_a, code="BID-A", name="Bidang A", parent=None
    )

    # then
    a = agency.division_a.pk
    assert (reload(agency.division_a).path, reload(agency.division_a).depth) == (f"/{a}/", 0)
    assert reload(agency.root).path == f"/{agency.root.pk}/"


@pytest.mark.django_db
def test_unit_update_refuses_to_move_a_unit_under_its_own_descendant(agency):
    # given
    section = services.unit_create(
        actor=agency.admin, instansi=agency.instansi, code="SEK-A1", name="Seksi A1",
        parent=agency.division_a,
    )  # fmt: skip
    before = database_state()

    # when
    with pytest.raises(ValidationError) as caught:
        services.unit_update(
            actor=agency.admin, unit=agency.division_a, code="BID-A", name="Bidang A",
            parent=section,
        )  # fmt: skip

    # then
    assert (caught.value.code, caught.value.field) == ("unit.cycle", "parent")
    assert database_state() == before


@pytest.mark.django_db
def test_unit_update_refuses_to_move_a_unit_under_itself(agency):
    # given
    before = database_state()

    # when
    with pytest.raises(ValidationError) as caught:
        services.unit_update(
            actor=agency.admin, unit=agency.division_a, code="BID-A", name="Bidang A",
            parent=agency.division_a,
        )  # fmt: skip

    # then
    assert caught.value.code == "unit.cycle"
    assert database_state() == before


@pytest.mark.django_db
def test_unit_update_refuses_a_parent_of_another_agency(agency, other_agency):
    # given
    before = database_state()

    # when
    with pytest.raises(ValidationError) as caught:
        services.unit_update(
            actor=agency.admin, unit=agency.division_a, code="BID-A", name="Bidang A",
            parent=other_agency.root,
        )  # fmt: skip

    # then
    assert caught.value.code == "unit.parent_other_instansi"
    assert database_state() == before


@pytest.mark.django_db
def test_unit_update_refuses_the_code_of_another_unit(agency):
    # given
    before = database_state()

    # when
    with pytest.raises(ConflictError) as caught:
        services.unit_update(
            actor=agency.admin, unit=agency.division_a, code="BID-B", name="Bidang A",
            parent=agency.root,
        )  # fmt: skip

    # then
    assert caught.value.code == "unit.code_duplicate"
    assert database_state() == before


@pytest.mark.django_db
def test_unit_update_refused_to_a_non_admin(agency, other_agency):
    # given
    before = database_state()

    # when
    with pytest.raises(PermissionDeniedError) as caught:
        services.unit_update(
            actor=other_agency.admin, unit=agency.division_a, code="X", name="X", parent=None
        )

    # then
    assert caught.value.code == "instansi.admin_required"
    assert database_state() == before


@pytest.mark.django_db
def test_unit_create_stores_the_code_in_upper_case(agency):
    # when
    unit = services.unit_create(
        actor=agency.admin, instansi=agency.instansi, code=" sek-a1.2_x ", name="Seksi A1",
        parent=agency.division_a,
    )  # fmt: skip

    # then
    assert reload(unit).code == "SEK-A1.2_X"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code",
    ["kode dengan spasi!", "", "   ", "-BID", ".BID", "BID/A", "BIDANG+A", "A" * 41, "BİD"],
)
def test_unit_create_refuses_a_malformed_code(agency, code):
    # given
    before = database_state()

    # when
    with pytest.raises(ValidationError) as caught:
        services.unit_create(actor=agency.admin, instansi=agency.instansi, code=code, name="X")

    # then
    assert (caught.value.code, caught.value.field, caught.value.status) == (
        "unit.code_invalid", "code", 422,
    )  # fmt: skip
    with translation.override("en"):
        assert caught.value.message == (
            "Use letters, digits, dots, hyphens or underscores for the unit code, without spaces."
        )
    assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["bid-a", "Bid-A", " BID-A "])
def test_unit_create_refuses_a_code_used_in_the_agency_in_any_case(agency, code):
    # given
    before = database_state()

    # when
    with pytest.raises(ConflictError) as caught:
        services.unit_create(actor=agency.admin, instansi=agency.instansi, code=code, name="X")

    # then
    assert (caught.value.code, caught.value.field) == ("unit.code_duplicate", "code")
    assert caught.value.params == {"code": "BID-A"}
    assert database_state() == before


@pytest.mark.django_db
def test_unit_create_refuses_the_code_of_a_unit_stored_in_lower_case(agency):
    # given a unit whose code was written before codes were upper-cased
    UnitKerja.objects.filter(pk=agency.division_b.pk).update(code="dukcapil-set")
    before = database_state()

    # when
    with pytest.raises(ConflictError) as caught:
        services.unit_create(
            actor=agency.admin, instansi=agency.instansi, code="DUKCAPIL-SET", name="Sekretariat"
        )

    # then
    assert caught.value.code == "unit.code_duplicate"
    assert database_state() == before


@pytest.mark.django_db
def test_unit_update_upper_cases_the_code_and_may_keep_its_own(agency):
    # when
    services.unit_update(
        actor=agency.admin, unit=agency.division_a, code="bid-a", name="Bidang A",
        parent=agency.root,
    )  # fmt: skip

    # then
    assert reload(agency.division_a).code == "BID-A"


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "error"), [("kode dengan spasi!", "unit.code_invalid"),
                                             ("bid-b", "unit.code_duplicate")])  # fmt: skip
def test_unit_update_refuses_a_malformed_or_taken_code(agency, code, error):
    # given
    before = database_state()

    # when
    with pytest.raises((ValidationError, ConflictError)) as caught:
        services.unit_update(
            actor=agency.admin, unit=agency.division_a, code=code, name="Bidang A",
            parent=agency.root,
        )  # fmt: skip

    # then
    assert (caught.value.code, caught.value.field) == (error, "code")
    assert database_state() == before


# --------------------------------------------------------------------------------------------
# Positions
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_position_create_extends_the_leaders_chain(agency):
    # given
    mark = last_event_id()

    # when
    position = services.position_create(
        actor=agency.admin, unit=agency.division_a, title=" Analis Kebijakan ",
        kind=PositionKind.FUNGSIONAL, reports_to=agency.head_a.position,
    )  # fmt: skip

    # then
    position = reload(position)
    assert (position.title, position.kind, position.is_unit_head, position.instansi_id) == (
        "Analis Kebijakan", "fungsional", False, agency.instansi.pk,
    )  # fmt: skip
    assert position.chain == f"{agency.head_a.position.chain}{position.pk}/"
    assert events_since(mark) == [
        ("organisations.position.created", str(position.public_id), agency.admin.pk)
    ]
    assert AuditEvent.objects.get(pk__gt=mark).after == {
        "unit": agency.division_a.pk, "title": "Analis Kebijakan", "kind": "fungsional",
        "is_unit_head": False, "reports_to": agency.head_a.position.pk,
    }  # fmt: skip


@pytest.mark.django_db
def test_position_create_without_a_leader_starts_a_chain(agency):
    # when
    position = services.position_create(actor=agency.admin, unit=agency.root, title="Staf Ahli")

    # then
    assert reload(position).chain == f"/{position.pk}/"


@pytest.mark.django_db
def test_position_create_refuses_a_second_head_for_a_unit(agency):
    # given
    before = database_state()

    # when
    with pytest.raises(ConflictError) as caught:
        services.position_create(
            actor=agency.admin, unit=agency.division_a, title="Kepala Kedua", is_unit_head=True
        )

    # then
    assert (caught.value.code, caught.value.field) == ("position.unit_head_taken", "is_unit_head")
    assert caught.value.params == {"unit": "Bidang A"}
    assert database_state() == before


@pytest.mark.django_db
def test_position_create_refuses_a_leader_of_another_agency(agency, other_agency):
    # given
    before = database_state()

    # when
    with pytest.raises(ValidationError) as caught:
        services.position_create(
            actor=agency.admin, unit=agency.division_a, title="Analis",
            reports_to=other_agency.head_a.position,
        )  # fmt: skip

    # then
    assert (caught.value.code, caught.value.field) == (
        "position.leader_other_instansi",
        "reports_to",
    )
    assert database_state() == before


@pytest.mark.django_db
def test_position_create_refused_to_a_non_admin(agency):
    # given
    before = database_state()

    # when
    with pytest.raises(PermissionDeniedError):
        services.position_create(actor=agency.head.user, unit=agency.division_a, title="Analis")

    # then
    assert database_state() == before


def _update_position(actor, position, **changes):
    fields = {
        "unit": position.unit,
        "title": position.title,
        "kind": position.kind,
        "is_unit_head": position.is_unit_head,
        "reports_to": position.reports_to,
    }
    return services.position_update(actor=actor, position=position, **{**fields, **changes})


@pytest.mark.django_db
def test_position_update_reparent_rewrites_the_chain_of_the_whole_subtree(agency):
    # given someone below staff_a
    junior = services.position_create(
        actor=agency.admin, unit=agency.division_a, title="Junior",
        reports_to=agency.staff_a.position,
    )  # fmt: skip
    mark = last_event_id()

    # when head_a's position moves from the head of the agency to head_b
    _update_position(agency.admin, agency.head_a.position, reports_to=agency.head_b.position)

    # then
    head, b = agency.head.position.pk, agency.head_b.position.pk
    a, s, s2 = agency.head_a.position.pk, agency.staff_a.position.pk, agency.staff_a2.position.pk
    assert dict(Position.objects.filter(instansi=agency.instansi).values_list("pk", "chain")) == {
        head: f"/{head}/",
        b: f"/{head}/{b}/",
        agency.staff_b.position.pk: f"/{head}/{b}/{agency.staff_b.position.pk}/",
        a: f"/{head}/{b}/{a}/",
        s: f"/{head}/{b}/{a}/{s}/",
        s2: f"/{head}/{b}/{a}/{s2}/",
        junior.pk: f"/{head}/{b}/{a}/{s}/{junior.pk}/",
    }
    assert reload(agency.head_a.position).reports_to_id == b
    assert events_since(mark) == [
        ("organisations.position.updated", str(agency.head_a.position.public_id), agency.admin.pk)
    ]
    event = AuditEvent.objects.get(pk__gt=mark)
    assert (event.before["reports_to"], event.after["reports_to"]) == (head, b)


@pytest.mark.django_db
def test_position_update_refuses_a_leader_below_itself(agency):
    # given
    before = database_state()

    # when the head of the agency would report to staff under them
    with pytest.raises(ValidationError) as caught:
        _update_position(agency.admin, agency.head.position, reports_to=agency.staff_a.position)

    # then
    assert (caught.value.code, caught.value.field) == ("position.cycle", "reports_to")
    assert database_state() == before


@pytest.mark.django_db
def test_position_update_refuses_to_report_to_itself(agency):
    # given
    before = database_state()

    # when
    with pytest.raises(ValidationError) as caught:
        _update_position(agency.admin, agency.head_a.position, reports_to=agency.head_a.position)

    # then
    assert caught.value.code == "position.cycle"
    assert database_state() == before


@pytest.mark.django_db
def test_position_update_refuses_a_second_head_for_a_unit(agency):
    # given
    before = database_state()

    # when
    with pytest.raises(ConflictError) as caught:
        _update_position(agency.admin, agency.staff_a.position, is_unit_head=True)

    # then
    assert caught.value.code == "position.unit_head_taken"
    assert database_state() == before


@pytest.mark.django_db
def test_position_update_keeps_the_head_of_a_unit_a_head(agency):
    # when the head position is renamed, it still heads the unit (it is not its own rival)
    _update_position(agency.admin, agency.head_a.position, title="Kepala Bidang Anggaran")

    # then
    position = reload(agency.head_a.position)
    assert (position.title, position.is_unit_head) == ("Kepala Bidang Anggaran", True)


@pytest.mark.django_db
def test_position_update_refuses_a_unit_of_another_agency(agency, other_agency):
    # given
    before = database_state()

    # when
    with pytest.raises(ValidationError) as caught:
        _update_position(agency.admin, agency.staff_a.position, unit=other_agency.division_a)

    # then
    assert caught.value.code == "position.unit_other"
    assert database_state() == before


@pytest.mark.django_db
def test_position_update_refused_to_a_non_admin(agency):
    # given
    before = database_state()

    # when
    with pytest.raises(PermissionDeniedError):
        _update_position(agency.head_a.user, agency.staff_a.position, title="Analis Senior")

    # then
    assert database_state() == before


# --------------------------------------------------------------------------------------------
# Employees
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_employee_create_parses_the_nip_and_opens_an_account_without_password(agency):
    # given a vacant position
    position = services.position_create(actor=agency.admin, unit=agency.division_b, title="Analis")
    mark = last_event_id()

    # when
    employee = services.employee_create(
        actor=agency.admin, instansi=agency.instansi, nip=" 19900115 201503 2 004 ",
        name=" Ani Suryani ", front_title="dr.", back_title="M.Kes.", position=position,
        email="ani@contoh.go.id", phone="081234567890",
    )  # fmt: skip

    # then
    employee = reload(employee)
    assert employee.nip == "199001152015032004"
    assert (employee.asn_kind, employee.gender, employee.birth_date) == (
        AsnKind.PNS, Gender.FEMALE, date(1990, 1, 15),
    )  # fmt: skip
    assert employee.full_name == "dr. Ani Suryani, M.Kes."
    assert (employee.position_id, employee.status, employee.instansi_id) == (
        position.pk, EmployeeStatus.ACTIVE, agency.instansi.pk,
    )  # fmt: skip
    user = employee.user
    assert (user.username, user.first_name, user.email) == (
        "199001152015032004", "Ani Suryani", "ani@contoh.go.id",
    )  # fmt: skip
    assert user.has_usable_password() is False
    assert events_since(mark) == [
        ("organisations.employee.created", str(employee.public_id), agency.admin.pk)
    ]
    after = AuditEvent.objects.get(pk__gt=mark).after
    assert (after["nip"], after["position"], after["birth_date"]) == (
        "199001152015032004", position.pk, "1990-01-15",
    )  # fmt: skip


@pytest.mark.django_db
def test_employee_create_parses_a_pppk_number(agency):
    # when
    employee = services.employee_create(
        actor=agency.admin, instansi=agency.instansi, nip="199203102021211003",
        name="Pegawai PPPK", today=date(2026, 1, 1),
    )  # fmt: skip

    # then
    employee = reload(employee)
    assert (employee.asn_kind, employee.gender, employee.birth_date) == (
        AsnKind.PPPK, Gender.MALE, date(1992, 3, 10),
    )  # fmt: skip


@pytest.mark.django_db
def test_employee_create_sets_the_given_password(agency):
    # when
    employee = services.employee_create(
        actor=agency.admin, instansi=agency.instansi, nip=make_nip(), name="Berpassword",
        password=PASSWORD,
    )  # fmt: skip

    # then
    assert reload(employee).user.check_password(PASSWORD) is True


@pytest.mark.django_db
def test_employee_create_refuses_a_duplicate_nip(agency):
    # given
    before = database_state()

    # when
    with pytest.raises(ConflictError) as caught:
        services.employee_create(
            actor=agency.admin, instansi=agency.instansi, nip=agency.staff_a.nip, name="Kembar"
        )

    # then
    assert (caught.value.code, caught.value.field) == ("nip.duplicate", "nip")
    assert caught.value.params == {"nip": agency.staff_a.nip}
    assert database_state() == before


@pytest.mark.django_db
def test_employee_create_refuses_a_duplicate_nip_written_with_spaces(agency):
    # given
    nip = agency.staff_a.nip
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    before = database_state()

    # when
    with pytest.raises(ConflictError) as caught:
        services.employee_create(
            actor=agency.admin, instansi=agency.instansi, nip=spaced, name="Kembar"
        )

    # then
    assert caught.value.code == "nip.duplicate"
    assert database_state() == before


@pytest.mark.django_db
def test_employee_create_refuses_a_nip_someone_already_signs_in_with(agency):
    # given an account whose username is the NIP, without an employee record
    nip = make_nip()
    User.objects.create_user(username=nip, password=PASSWORD)
    before = database_state()

    # when
    with pytest.raises(ConflictError) as caught:
        services.employee_create(actor=agency.admin, instansi=agency.instansi, nip=nip, name="X")

    # then
    assert caught.value.code == "nip.account_exists"
    assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("", "nip.required"),
        ("12345", "nip.length"),
        ("19850412201003100x", "nip.not_digits"),
        ("198504122010031000", "nip.sequence_invalid"),
    ],
)
def test_employee_create_refuses_an_invalid_nip(agency, nip, code):
    # given
    before = database_state()

    # when
    with pytest.raises(IdentifierError) as caught:
        services.employee_create(actor=agency.admin, instansi=agency.instansi, nip=nip, name="X")

    # then
    assert (caught.value.code, caught.value.field, caught.value.status) == (code, "nip", 422)
    assert database_state() == before


@pytest.mark.django_db
def test_employee_create_refuses_a_position_already_held(agency):
    # given
    before = database_state()

    # when
    with pytest.raises(ConflictError) as caught:
        services.employee_create(
            actor=agency.admin, instansi=agency.instansi, nip=make_nip(), name="Penyerobot",
            position=agency.staff_a.position,
        )  # fmt: skip

    # then
    assert (caught.value.code, caught.value.field) == ("employee.position_taken", "position")
    assert caught.value.params == {"position": "Analis A", "holder": "Agus Wibowo"}
    assert database_state() == before


@pytest.mark.django_db
def test_position_taken_message_has_no_double_period_after_a_back_title(agency):
    # given a holder whose name ends with a title's period
    position = services.position_create(
        actor=agency.admin, unit=agency.division_b, title="Operator Layanan Operasional"
    )
    services.employee_create(
        actor=agency.admin, instansi=agency.instansi, nip=make_nip(), name="Ahmad Fauzi Nasution",
        front_title="", back_title="S.IP., M.A.P.", position=position,
    )  # fmt: skip
    before = database_state()

    # when
    with pytest.raises(ConflictError) as caught:
        services.employee_create(
            actor=agency.admin, instansi=agency.instansi, nip=make_nip(), name="Penyerobot",
            position=position,
        )  # fmt: skip

    # then
    with translation.override("en"):
        message = caught.value.message
    assert message == (
        "The position Operator Layanan Operasional is already held by "
        "Ahmad Fauzi Nasution, S.IP., M.A.P.; choose a vacant position."
    )
    assert ".." not in message
    assert database_state() == before


@pytest.mark.django_db
def test_employee_create_refuses_a_position_of_another_agency(agency, other_agency):
    # given
    position = services.position_create(
        actor=other_agency.admin, unit=other_agency.division_a, title="Lowong"
    )
    before = database_state()

    # when
    with pytest.raises(ValidationError) as caught:
        services.employee_create(
            actor=agency.admin, instansi=agency.instansi, nip=make_nip(), name="X",
            position=position,
        )  # fmt: skip

    # then
    assert caught.value.code == "employee.position_other_instansi"
    assert database_state() == before


@pytest.mark.django_db
def test_employee_create_refuses_an_invalid_email(agency):
    # given
    before = database_state()

    # when
    with pytest.raises(ValidationError) as caught:
        services.employee_create(
            actor=agency.admin, instansi=agency.instansi, nip=make_nip(), name="X",
            email="bukan-email",
        )  # fmt: skip

    # then
    assert (caught.value.code, caught.value.field) == ("employee.invalid", "email")
    assert [(e["field"], e["code"]) for e in caught.value.errors] == [("email", "invalid")]
    assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("actor_name", ["employee", "unit_head", "other_agency_admin"])
def test_employee_create_refused_to_a_non_admin(agency, other_agency, actor_name):
    # given
    actor = {
        "employee": agency.staff_a.user,
        "unit_head": agency.head_a.user,
        "other_agency_admin": other_agency.admin,
    }[actor_name]
    before = database_state()

    # when
    with pytest.raises(PermissionDeniedError):
        services.employee_create(actor=actor, instansi=agency.instansi, nip=make_nip(), name="X")

    # then
    assert database_state() == before


@pytest.mark.django_db
def test_employee_update_changes_details_and_position(agency):
    # given a vacant position for staff_a to move to
    position = services.position_create(
        actor=agency.admin, unit=agency.division_b, title="Analis B2",
        reports_to=agency.head_b.position,
    )  # fmt: skip
    old_position = agency.staff_a.position
    mark = last_event_id()

    # when
    services.employee_update(
        actor=agency.admin, employee=agency.staff_a, name="Agus Wibowo Putra", front_title="Ir.",
        back_title="S.T.", position=position, status=EmployeeStatus.LEAVE,
        email="agus@contoh.go.id", phone="0812",
    )  # fmt: skip

    # then
    employee = reload(agency.staff_a)
    assert employee.full_name == "Ir. Agus Wibowo Putra, S.T."
    assert (employee.position_id, employee.status, employee.email, employee.phone) == (
        position.pk, "cuti", "agus@contoh.go.id", "0812",
    )  # fmt: skip
    assert employee.nip == agency.staff_a.nip
    assert events_since(mark) == [
        ("organisations.employee.updated", str(employee.public_id), agency.admin.pk)
    ]
    event = AuditEvent.objects.get(pk__gt=mark)
    assert (event.before["position"], event.after["position"]) == (old_position.pk, position.pk)
    assert (event.before["status"], event.after["status"]) == ("aktif", "cuti")


@pytest.mark.django_db
def test_employee_update_refuses_a_position_already_held(agency):
    # given
    before = database_state()

    # when
    with pytest.raises(ConflictError) as caught:
        services.employee_update(
            actor=agency.admin, employee=agency.staff_a, name="Agus Wibowo",
            position=agency.staff_a2.position,
        )  # fmt: skip

    # then
    assert caught.value.code == "employee.position_taken"
    assert database_state() == before


@pytest.mark.django_db
def test_employee_update_refused_to_the_employee_themself(agency):
    # given
    before = database_state()

    # when
    with pytest.raises(PermissionDeniedError):
        services.employee_update(
            actor=agency.staff_a.user, employee=agency.staff_a, name="Nama Sendiri",
            position=agency.staff_a.position,
        )  # fmt: skip

    # then
    assert database_state() == before


# --------------------------------------------------------------------------------------------
# Citizens
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_citizen_register_validates_the_nik_and_opens_an_account():
    # given
    mark = last_event_id()

    # when
    citizen = services.citizen_register(
        username="+6281234567890", password=PASSWORD, name=" Wati Warga ",
        nik="3404045508900001", phone="+6281234567890", today=date(2026, 1, 1),
    )  # fmt: skip

    # then
    citizen = reload(citizen)
    assert (citizen.nik, citizen.name, citizen.gender, citizen.birth_date) == (
        "3404045508900001", "Wati Warga", Gender.FEMALE, date(1990, 8, 15),
    )  # fmt: skip
    assert citizen.region_code == "340404"
    assert citizen.masked_nik == "3404********0001"
    user = citizen.user
    assert (user.username, user.phone, user.email, user.first_name) == (
        "+6281234567890", "+6281234567890", "", "Wati Warga",
    )  # fmt: skip
    assert user.check_password(PASSWORD) is True
    assert events_since(mark) == [
        ("organisations.citizen.registered", str(citizen.public_id), user.pk)
    ]
    assert AuditEvent.objects.get(pk__gt=mark).after == {
        "username": "+6281234567890",
        "nik": "340404…",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("12345", "nik.length"),
        ("9904041508900001", "nik.region_invalid"),
        ("3404043208900001", "nik.birth_date_invalid"),
        ("3404041508900000", "nik.sequence_invalid"),
    ],
)
def test_citizen_register_refuses_an_invalid_nik(nik, code):
    # given
    before = database_state()

    # when
    with pytest.raises(IdentifierError) as caught:
        services.citizen_register(
            username="warga@example.id", password=PASSWORD, name="Warga", nik=nik
        )

    # then
    assert (caught.value.code, caught.value.field) == (code, "nik")
    assert database_state() == before


@pytest.mark.django_db
def test_citizen_register_refuses_a_registered_nik(citizen):
    # given
    before = database_state()

    # when
    with pytest.raises(ConflictError) as caught:
        services.citizen_register(
            username="lain@example.id", password=PASSWORD, name="Lain", nik=citizen.nik
        )

    # then
    assert (caught.value.code, caught.value.field) == ("nik.duplicate", "nik")
    assert database_state() == before


@pytest.mark.django_db
def test_citizen_register_refuses_a_taken_account_name(citizen):
    # given
    before = database_state()

    # when
    with pytest.raises(ConflictError) as caught:
        services.citizen_register(
            username=citizen.user.username, password=PASSWORD, name="Lain", nik=make_nik()
        )

    # then
    assert (caught.value.code, caught.value.field) == ("account.duplicate", "identifier")
    assert database_state() == before
