"""Employee import: reading files, checking rows, applying them all or nothing."""

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from abdi.core.exceptions import ConflictError, PermissionDeniedError
from abdi.core.models import AuditEvent
from abdi.organisations import importing, services, tasks
from abdi.organisations.choices import EmployeeStatus, ImportStatus, PositionKind
from abdi.organisations.importing import ImportFileError, read_rows, validate_rows
from abdi.organisations.models import Employee, EmployeeImport, Position
from abdi.organisations.selectors import employee_orbit
from abdi.organisations.tests.import_fixtures import (
    TODAY,
    ImportAgency,
    build_import_agency,
    csv_bytes,
    make_nip,
    make_row,
    root_user,
    upload,
    xlsx_bytes,
)

User = get_user_model()


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Messages are asserted in English, whatever catalogue locale/id holds.
    with translation.override("en"):
        yield


@pytest.fixture
def small(db: Any, settings: Any, tmp_path: Any) -> ImportAgency:
    settings.MEDIA_ROOT = tmp_path
    return build_import_agency()


def counts() -> tuple[int, int, int]:
    return Employee.objects.count(), User.objects.count(), Position.objects.count()


def validate(agency: ImportAgency, *rows: dict[str, Any]) -> list[importing.RowResult]:
    lines = [{"line": number, **row} for number, row in enumerate(rows, start=2)]
    return validate_rows(lines, instansi=agency.instansi, today=TODAY)


def codes(result: importing.RowResult) -> list[str]:
    return [problem["code"] for problem in result.errors]


def create_import(
    agency: ImportAgency, content: bytes, capture: Any, name: str = "pegawai.xlsx"
) -> EmployeeImport:
    with capture(execute=True):
        created = importing.employee_import_create(
            actor=agency.admin, instansi=agency.instansi, uploaded_file=upload(content, name)
        )
    created.refresh_from_db()
    return created


def confirm(agency: ImportAgency, employee_import: EmployeeImport, capture: Any) -> EmployeeImport:
    with capture(execute=True):
        importing.employee_import_confirm(actor=agency.admin, import_=employee_import)
    employee_import.refresh_from_db()
    return employee_import


# --------------------------------------------------------------------------------------------
# read_rows
# --------------------------------------------------------------------------------------------


def test_read_rows_reads_xlsx_with_line_numbers_and_skips_blank_rows():
    content = xlsx_bytes([make_row(1), {}, make_row(2, telepon=81200000000)])

    rows = list(read_rows(io.BytesIO(content), "pegawai.xlsx"))

    assert [row["line"] for row in rows] == [2, 4]
    assert [row["nip"] for row in rows] == [make_nip(1), make_nip(2)]
    assert rows[1]["kode_unit"] == "BID-B"
    assert rows[1]["telepon"] == 81200000000


def test_xlsx_nip_typed_as_a_number_is_reported_as_lost_digits(small):
    # Excel (and openpyxl) keep an 18-digit number as a float: 1.97001011990011e+17.
    content = xlsx_bytes([make_row(1, nip=int(make_nip(1)))])
    rows = list(read_rows(io.BytesIO(content), "pegawai.xlsx"))

    results = validate_rows(rows, instansi=small.instansi, today=TODAY)

    assert isinstance(rows[0]["nip"], float)
    assert codes(results[0]) == ["import.nip_not_text"]


def test_read_rows_accepts_english_headers_in_any_case():
    header = ["NIP", "Name", "Unit Code", "Position", "Leader NIP"]
    content = csv_bytes(
        [{"NIP": make_nip(1), "Name": "Ani", "Unit Code": "BID-A", "Position": "Analis"}],
        header=header,
    )

    rows = list(read_rows(io.BytesIO(content), "pegawai.csv"))

    assert rows == [
        {
            "line": 2,
            "nip": make_nip(1),
            "nama": "Ani",
            "kode_unit": "BID-A",
            "jabatan": "Analis",
            "nip_atasan": "",
        }
    ]


def test_read_rows_reads_semicolon_separated_csv():
    content = csv_bytes([make_row(1, nama="Budi; Jr")], delimiter=";")

    rows = list(read_rows(io.BytesIO(content), "ekspor.CSV"))

    assert rows[0]["nip"] == make_nip(1)
    assert rows[0]["nama"] == "Budi; Jr"
    assert rows[0]["kode_unit"] == "BID-B"


def test_read_rows_reads_comma_separated_csv_with_bom():
    content = csv_bytes([make_row(1)], delimiter=",", encoding="utf-8-sig")

    rows = list(read_rows(io.BytesIO(content), "pegawai.csv"))

    assert content.startswith(b"\xef\xbb\xbf")
    assert rows[0]["nip"] == make_nip(1)


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        pytest.param(b"nip,nama", "pegawai.txt", "import.file_type", id="type"),
        pytest.param(b"nip,nama", "pegawai", "import.file_type", id="no-extension"),
        pytest.param(b"not a zip file", "pegawai.xlsx", "import.file_unreadable", id="xlsx"),
        pytest.param(
            "nip,nama\n\u00e9".encode("latin-1"), "p.csv", "import.file_unreadable", id="not-utf8"
        ),
    ],
)
def test_read_rows_refuses_files_it_cannot_read(content, name, code):
    with pytest.raises(ImportFileError) as caught:
        read_rows(io.BytesIO(content), name)

    assert caught.value.code == code
    assert caught.value.field == "file"


def test_read_rows_refuses_a_file_over_the_size_limit(settings):
    settings.ABDI_IMPORT_MAX_BYTES = 1000
    content = csv_bytes([make_row(n) for n in range(20)])

    with pytest.raises(ImportFileError) as caught:
        read_rows(io.BytesIO(content), "pegawai.csv")

    assert caught.value.code == "import.file_too_large"
    assert caught.value.message == "The file is larger than 1000\xa0bytes."


def test_read_rows_refuses_more_rows_than_the_limit(settings):
    settings.ABDI_IMPORT_MAX_ROWS = 2
    rows = [make_row(n) for n in range(3)]

    with pytest.raises(ImportFileError) as from_xlsx:
        list(read_rows(io.BytesIO(xlsx_bytes(rows)), "pegawai.xlsx"))
    with pytest.raises(ImportFileError) as from_csv:
        list(read_rows(io.BytesIO(csv_bytes(rows)), "pegawai.csv"))

    assert from_xlsx.value.code == from_csv.value.code == "import.too_many_rows"
    assert (
        from_csv.value.message
        == "The file has more than 2 employee rows. Split it into smaller files."
    )


def test_read_rows_lists_the_missing_required_columns():
    content = csv_bytes([{"nip": make_nip(1), "nama": "Ani"}], header=["nip", "nama", "email"])

    with pytest.raises(ImportFileError) as caught:
        read_rows(io.BytesIO(content), "pegawai.csv")

    assert caught.value.code == "import.missing_columns"
    assert caught.value.params == {"columns": "kode_unit, jabatan"}
    assert caught.value.errors == [{"column": "kode_unit"}, {"column": "jabatan"}]


# --------------------------------------------------------------------------------------------
# validate_rows: one test per problem
# --------------------------------------------------------------------------------------------


def test_validate_accepts_valid_rows_as_new_employees(small):
    leader = make_row(1, kepala_unit="ya", nip_atasan=small.head.nip, jenis_jabatan="Pengawas")
    staff = make_row(
        2,
        nip=f" {make_nip(2)[:8]} {make_nip(2)[8:14]} 1 {make_nip(2)[15:]}",
        nip_atasan=make_nip(1),
        status="",
        jenis_jabatan="",
    )

    results = validate(small, leader, staff)

    assert [r.errors for r in results] == [[], []]
    assert [r.action for r in results] == ["create", "create"]
    assert results[0].data["jenis_jabatan"] == PositionKind.PENGAWAS
    assert results[0].data["kepala_unit"] is True
    assert results[1].data["nip"] == make_nip(2)
    assert results[1].data["status"] == EmployeeStatus.ACTIVE
    assert results[1].data["jenis_jabatan"] == PositionKind.PELAKSANA


def test_validate_marks_an_employee_of_the_same_agency_as_an_update(small):
    results = validate(small, make_row(1, nip=small.head.nip, kode_unit="SETDA", kepala_unit="y"))

    assert results[0].errors == []
    assert results[0].action == "update"


def test_validate_accepts_a_nip_that_excel_gives_as_an_integer(small):
    results = validate(small, make_row(1, nip=int(make_nip(1))))

    assert results[0].errors == []
    assert results[0].data["nip"] == make_nip(1)


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("", "nip.required"),
        ("19700101199001100X", "nip.not_digits"),
        ("1970010119900110", "nip.length"),
        ("197013011990011001", "nip.birth_date_invalid"),
        ("203001011990011001", "nip.birth_date_future"),
        ("197001011990131001", "nip.appointment_invalid"),
        ("197001011980011001", "nip.appointment_too_early"),
        ("197001011990013001", "nip.gender_invalid"),
        ("197001011990011000", "nip.sequence_invalid"),
    ],
)
def test_validate_reports_the_nip_rule_that_is_broken(small, nip, code):
    results = validate(small, make_row(1, nip=nip))

    assert codes(results[0]) == [code]
    assert results[0].errors[0]["field"] == "nip"


@pytest.mark.parametrize("value", [1.97001011990011e17, "1.97001E+17", "1,97001E+17"])
def test_validate_asks_for_a_text_column_when_excel_stored_the_nip_as_a_number(small, value):
    results = validate(small, make_row(1, nip=value))

    assert codes(results[0]) == ["import.nip_not_text"]
    assert results[0].errors[0]["message"] == (
        "Excel stored this NIP as a number and lost its last digits. Format the nip column as "
        "text and type the NIP again."
    )


def test_validate_flags_every_repeat_of_a_nip_naming_its_first_line(small):
    results = validate(small, make_row(1), make_row(2), make_row(1), make_row(1))

    assert [codes(r) for r in results] == [
        [],
        [],
        ["import.duplicate_nip_in_file"],
        ["import.duplicate_nip_in_file"],
    ]
    assert results[3].errors[0]["message"] == (
        f"NIP {make_nip(1)} already appears on line 2 of this file."
    )


def test_validate_refuses_a_nip_of_another_agency(small):
    other = build_import_agency(code="kota-lain", name="Kota Lain", head_n=900_001)
    services.employee_create(
        actor=root_user(), instansi=other.instansi, nip=make_nip(5), name="Orang Lain", today=TODAY
    )

    results = validate(small, make_row(5))

    assert codes(results[0]) == ["import.nip_other_instansi"]
    assert results[0].errors[0]["message"] == (
        f"NIP {make_nip(5)} is registered to an employee of another agency."
    )


def test_validate_refuses_an_unknown_unit_code(small):
    results = validate(small, make_row(1, kode_unit="BID-Z"), make_row(2, kode_unit="bid-a"))

    assert codes(results[0]) == ["import.unknown_unit"]
    assert results[0].errors[0]["message"] == "There is no unit with code BID-Z in this agency."
    assert results[1].errors == []


def test_validate_refuses_a_leader_who_is_not_in_the_file_nor_the_agency(small):
    other = build_import_agency(code="kota-lain", name="Kota Lain", head_n=900_001)
    no_position = services.employee_create(
        actor=root_user(),
        instansi=small.instansi,
        nip=make_nip(7),
        name="Tanpa Jabatan",
        today=TODAY,
    )

    results = validate(
        small,
        make_row(1, nip_atasan=make_nip(99)),
        make_row(2, nip_atasan=other.head.nip),
        make_row(3, nip_atasan=no_position.nip),
    )

    assert [codes(r) for r in results] == [["import.unknown_leader"]] * 3
    assert results[0].errors[0]["message"] == (
        f"The leader {make_nip(99)} is neither in this file nor an employee of this agency with "
        "a position."
    )


def test_validate_refuses_an_employee_leading_themselves(small):
    results = validate(small, make_row(1, nip_atasan=make_nip(1)))

    assert codes(results[0]) == ["import.self_leader"]
    assert results[0].errors[0]["field"] == "nip_atasan"


def test_validate_marks_every_row_of_a_leader_cycle(small):
    a, b, c = make_nip(1), make_nip(2), make_nip(3)

    results = validate(
        small,
        make_row(1, nip_atasan=b),
        make_row(2, nip_atasan=c),
        make_row(3, nip_atasan=a),
        make_row(4, nip_atasan=a),
    )

    assert [codes(r) for r in results] == [["import.leader_cycle"]] * 3 + [[]]
    messages = {r.errors[0]["message"] for r in results[:3]}
    assert messages == {
        f"The leaders form a cycle: {a} → {b} → {c} → {a}. Every chain must end at the top."
    }


def test_validate_finds_a_cycle_through_an_employee_outside_the_file(small):
    actor = root_user()
    position = services.position_create(
        actor=actor, unit=small.unit_a, title="Analis", reports_to=small.head.position
    )
    below = services.employee_create(
        actor=actor,
        instansi=small.instansi,
        nip=make_nip(8),
        name="Bawahan",
        position=position,
        today=TODAY,
    )

    results = validate(
        small,
        make_row(1, nip=small.head.nip, kode_unit="SETDA", kepala_unit="ya", nip_atasan=below.nip),
    )

    assert codes(results[0]) == ["import.leader_cycle"]
    assert f"{small.head.nip} → {below.nip} → {small.head.nip}" in results[0].errors[0]["message"]


def test_validate_refuses_two_rows_heading_one_unit(small):
    results = validate(
        small,
        make_row(1, kode_unit="BID-A", kepala_unit="ya"),
        make_row(2, kode_unit="BID-A", kepala_unit="1"),
        make_row(3, kode_unit="BID-B", kepala_unit="ya"),
    )

    assert [codes(r) for r in results] == [["import.two_heads"], ["import.two_heads"], []]
    assert results[0].errors[0]["message"] == (
        "More than one row makes itself head of Bidang A (lines 2, 3)."
    )


def test_validate_refuses_a_head_when_the_unit_has_one_outside_the_file(small):
    services.position_create(
        actor=root_user(), unit=small.unit_b, title="Kepala Bidang B", is_unit_head=True
    )

    results = validate(
        small,
        make_row(1, kode_unit="SETDA", kepala_unit="ya"),
        make_row(2, kode_unit="BID-B", kepala_unit="ya"),
    )

    assert [codes(r) for r in results] == [["import.two_heads"], ["import.two_heads"]]
    assert results[0].errors[0]["message"] == (
        f"Sekretariat already has a head, Siti Rahma (NIP {small.head.nip}), who is not in this "
        "file."
    )
    assert results[1].errors[0]["message"].startswith("Bidang B already has a vacant head position")


def test_validate_accepts_a_new_head_when_the_old_one_is_in_the_file(small):
    results = validate(
        small,
        make_row(1, kode_unit="SETDA", kepala_unit="ya"),
        make_row(
            2, nip=small.head.nip, kode_unit="SETDA", kepala_unit="tidak", nip_atasan=make_nip(1)
        ),
    )

    assert [r.errors for r in results] == [[], []]


def test_validate_requires_name_unit_and_position_title(small):
    results = validate(small, make_row(1, nama=" ", kode_unit="", jabatan=None))

    assert [(p["code"], p["field"]) for p in results[0].errors] == [
        ("import.name_required", "nama"),
        ("import.value_required", "kode_unit"),
        ("import.value_required", "jabatan"),
    ]


def test_validate_refuses_values_outside_the_choices(small):
    results = validate(
        small, make_row(1, jenis_jabatan="kepala", status="mati", kepala_unit="mungkin")
    )

    assert [(p["code"], p["field"]) for p in results[0].errors] == [
        ("import.invalid_choice", "jenis_jabatan"),
        ("import.invalid_choice", "status"),
        ("import.invalid_choice", "kepala_unit"),
    ]
    assert results[0].errors[0]["message"] == (
        "“kepala” is not a valid value for jenis_jabatan. Use one of: jpt, administrator, "
        "pengawas, fungsional, pelaksana."
    )


def test_validate_refuses_an_invalid_email(small):
    results = validate(small, make_row(1, email="ani@"))

    assert codes(results[0]) == ["import.email_invalid"]
    assert results[0].errors[0]["message"] == "“ani@” is not a valid email address."


def test_validate_refuses_values_longer_than_the_field(small):
    results = validate(small, make_row(1, telepon="0" * 21))

    assert codes(results[0]) == ["import.too_long"]
    assert results[0].errors[0]["message"] == "telepon is longer than 20 characters."


def test_validate_refuses_a_nip_whose_account_name_is_taken(small):
    User.objects.create_user(username=make_nip(1))

    results = validate(small, make_row(1))

    assert codes(results[0]) == ["import.account_exists"]


def test_validate_reads_the_database_with_a_few_queries(small, django_assert_max_num_queries):
    rows = [make_row(n, nip_atasan=make_nip(n - 1) if n else small.head.nip) for n in range(2000)]
    rows[0]["kepala_unit"] = "ya"

    with django_assert_max_num_queries(8):
        results = validate(small, *rows)

    assert sum(1 for r in results if r.errors) == 0


# --------------------------------------------------------------------------------------------
# Upload and preview
# --------------------------------------------------------------------------------------------


def test_upload_checks_the_rows_and_writes_no_employee(small, django_capture_on_commit_callbacks):
    before = counts()
    content = xlsx_bytes(
        [
            make_row(1, nip_atasan=small.head.nip),
            make_row(2, nip=small.head.nip, kode_unit="SETDA", kepala_unit="ya"),
        ]
    )

    employee_import = create_import(small, content, django_capture_on_commit_callbacks)

    assert counts() == before
    assert employee_import.status == ImportStatus.READY
    assert (employee_import.total_rows, employee_import.processed_rows) == (2, 2)
    assert employee_import.error_count == 0
    assert employee_import.summary == {
        "language": "en",
        "total": 2,
        "create": 1,
        "update": 1,
        "problems": 0,
        "codes": {},
    }
    assert [row["action"] for row in employee_import.rows] == ["create", "update"]
    assert employee_import.file.name.endswith(".xlsx")
    event = AuditEvent.objects.get(action="organisations.employee_import.created")
    assert event.target_id == str(employee_import.public_id)


def test_upload_with_problems_is_invalid_and_keeps_them(small, django_capture_on_commit_callbacks):
    content = xlsx_bytes([make_row(1), make_row(2, kode_unit="X"), make_row(1)])

    employee_import = create_import(small, content, django_capture_on_commit_callbacks)

    assert employee_import.status == ImportStatus.INVALID
    assert employee_import.error_count == 2
    assert employee_import.summary["codes"] == {
        "import.duplicate_nip_in_file": 1,
        "import.unknown_unit": 1,
    }
    assert [row["line"] for row in employee_import.rows if row["errors"]] == [3, 4]


def test_summary_counts_a_row_with_problems_only_as_a_problem(small):
    # given two good rows (a new employee and an update) and three rows with problems,
    # one of them an update of an existing employee
    results = validate(
        small,
        make_row(1),
        make_row(2, nip=small.head.nip, kode_unit="SETDA", kepala_unit="ya"),
        make_row(3, kode_unit="BID-Z"),
        make_row(4, email="ani@"),
        make_row(5, nip=small.head.nip, kode_unit="BID-Z"),
    )

    # when
    summary = importing.summarise(results)

    # then
    assert summary == {
        "total": 5,
        "create": 1,
        "update": 1,
        "problems": 3,
        "codes": {
            "import.duplicate_nip_in_file": 1,
            "import.email_invalid": 1,
            "import.unknown_unit": 2,
        },
    }


def test_upload_refuses_an_actor_who_does_not_administer_the_agency(small):
    outsider = User.objects.create_user(username="orang-luar")

    with pytest.raises(PermissionDeniedError) as caught:
        importing.employee_import_create(
            actor=outsider, instansi=small.instansi, uploaded_file=upload(xlsx_bytes([make_row(1)]))
        )

    assert caught.value.code == "instansi.admin_required"
    assert EmployeeImport.objects.count() == 0


def test_upload_refuses_a_file_without_the_required_columns_at_once(small):
    content = xlsx_bytes([make_row(1)], header=["nip", "nama"])

    with pytest.raises(ImportFileError) as caught:
        importing.employee_import_create(
            actor=small.admin, instansi=small.instansi, uploaded_file=upload(content)
        )

    assert caught.value.code == "import.missing_columns"
    assert EmployeeImport.objects.count() == 0


def test_upload_with_too_many_rows_for_the_limit_is_invalid(
    small, settings, django_capture_on_commit_callbacks
):
    settings.ABDI_IMPORT_MAX_ROWS = 2
    content = csv_bytes([make_row(1), make_row(2), make_row(3)])

    employee_import = create_import(small, content, django_capture_on_commit_callbacks, "p.csv")

    assert employee_import.status == ImportStatus.INVALID
    assert employee_import.failure == (
        "The file has more than 2 employee rows. Split it into smaller files."
    )
    assert employee_import.rows == []


def test_validation_reports_its_progress(small, monkeypatch, django_capture_on_commit_callbacks):
    seen: list[int] = []
    original = importing.services._set_progress

    def spy(import_id: int, count: int) -> None:
        seen.append(count)
        original(import_id, count)

    monkeypatch.setattr(importing.services, "_set_progress", spy)
    content = csv_bytes([make_row(n) for n in range(1200)])

    employee_import = create_import(small, content, django_capture_on_commit_callbacks, "p.csv")

    assert seen == [500, 1000]
    assert employee_import.processed_rows == 1200


def test_validation_task_does_nothing_the_second_time(small, django_capture_on_commit_callbacks):
    employee_import = create_import(
        small, xlsx_bytes([make_row(1)]), django_capture_on_commit_callbacks
    )
    updated_at = employee_import.updated_at

    tasks.validate_employee_import(employee_import.pk)

    employee_import.refresh_from_db()
    assert employee_import.status == ImportStatus.READY
    assert employee_import.updated_at == updated_at


# --------------------------------------------------------------------------------------------
# Apply
# --------------------------------------------------------------------------------------------


def test_apply_creates_employees_accounts_and_positions_under_their_leaders(
    small, django_capture_on_commit_callbacks
):
    before = counts()
    content = xlsx_bytes(
        [
            make_row(3, kode_unit="BID-A", jabatan="Analis", nip_atasan=make_nip(2)),
            make_row(
                1,
                kode_unit="BID-A",
                jabatan="Kepala Bidang A",
                kepala_unit="ya",
                jenis_jabatan="administrator",
                nip_atasan=small.head.nip,
                gelar_depan="Dr.",
            ),
            make_row(
                2,
                kode_unit="BID-A",
                jabatan="Kepala Subbidang",
                jenis_jabatan="pengawas",
                nip_atasan=make_nip(1),
            ),
        ]
    )
    employee_import = create_import(small, content, django_capture_on_commit_callbacks)

    employee_import = confirm(small, employee_import, django_capture_on_commit_callbacks)

    assert employee_import.status == ImportStatus.DONE
    assert counts() == (before[0] + 3, before[1] + 3, before[2] + 3)
    one, two, three = (
        Employee.objects.select_related("position", "user").get(nip=make_nip(n)) for n in (1, 2, 3)
    )
    assert (one.front_title, one.name, one.back_title) == ("Dr.", "Pegawai 1", "S.E.")
    assert (one.asn_kind, one.gender, str(one.birth_date)) == ("PNS", "L", "1970-01-01")
    assert one.position.is_unit_head is True
    assert one.position.kind == PositionKind.ADMINISTRATOR
    assert one.position.unit == small.unit_a
    assert one.position.reports_to == small.head.position
    assert two.position.reports_to == one.position
    assert three.position.reports_to == two.position
    head_position = small.head.position
    assert three.position.chain == (
        f"/{head_position.pk}/{one.position.pk}/{two.position.pk}/{three.position.pk}/"
    )
    assert three.user.username == make_nip(3)
    assert three.user.has_usable_password() is False
    orbit = employee_orbit(employee=three)
    assert orbit.leader == two
    assert orbit.chain == [small.head, one, two]
    assert employee_import.summary["applied"] == {
        "created": 3,
        "updated": 0,
        "users_created": 3,
        "positions_created": 3,
        "positions_updated": 0,
        "chains_changed": 3,
    }


def test_apply_writes_a_summary_and_one_audit_event_per_employee(
    small, django_capture_on_commit_callbacks
):
    content = xlsx_bytes([make_row(1), make_row(2)])
    employee_import = create_import(small, content, django_capture_on_commit_callbacks)

    confirm(small, employee_import, django_capture_on_commit_callbacks)

    applied = AuditEvent.objects.get(action="organisations.employee_import.applied")
    assert applied.actor == small.admin
    assert applied.after["created"] == 2
    assert applied.request_id.startswith("task-")
    events = AuditEvent.objects.filter(action="organisations.employee.imported").order_by("id")
    assert [e.target_label for e in events] == ["Pegawai 1, S.E.", "Pegawai 2, S.E."]
    assert {e.request_id for e in events} == {applied.request_id}
    assert events[0].reason == str(employee_import.public_id)
    assert events[0].after["nip"] == make_nip(1)
    assert events[0].before is None


def test_apply_updates_an_existing_employee_and_reuses_their_position(
    small, django_capture_on_commit_callbacks
):
    before = counts()
    position_pk = small.head.position_id
    content = xlsx_bytes(
        [
            make_row(
                1,
                nip=small.head.nip,
                nama="Siti Rahmawati",
                kode_unit="SETDA",
                jabatan="Sekretaris Daerah Kabupaten",
                jenis_jabatan="jpt",
                kepala_unit="ya",
                status="cuti",
            )
        ]
    )
    employee_import = create_import(small, content, django_capture_on_commit_callbacks)

    confirm(small, employee_import, django_capture_on_commit_callbacks)

    assert counts() == before
    head = Employee.objects.select_related("position").get(pk=small.head.pk)
    assert (head.name, head.status, head.user_id) == ("Siti Rahmawati", "cuti", small.head.user_id)
    assert head.position.pk == position_pk
    assert head.position.title == "Sekretaris Daerah Kabupaten"
    assert head.position.is_unit_head is True
    event = AuditEvent.objects.get(action="organisations.employee.imported")
    assert (event.before["name"], event.after["name"]) == ("Siti Rahma", "Siti Rahmawati")


def test_apply_hands_a_unit_over_to_a_new_head_and_moves_the_old_chain(
    small, django_capture_on_commit_callbacks
):
    actor = root_user()
    staff_position = services.position_create(
        actor=actor, unit=small.unit_a, title="Analis", reports_to=small.head.position
    )
    services.employee_create(
        actor=actor,
        instansi=small.instansi,
        nip=make_nip(50),
        name="Staf Lama",
        position=staff_position,
        today=TODAY,
    )
    content = xlsx_bytes(
        [
            make_row(1, kode_unit="SETDA", jabatan="Sekretaris Daerah", kepala_unit="ya"),
            make_row(
                2,
                nip=small.head.nip,
                nama="Siti Rahma",
                kode_unit="SETDA",
                jabatan="Asisten",
                kepala_unit="tidak",
                nip_atasan=make_nip(1),
            ),
        ]
    )
    employee_import = create_import(small, content, django_capture_on_commit_callbacks)

    employee_import = confirm(small, employee_import, django_capture_on_commit_callbacks)

    assert employee_import.status == ImportStatus.DONE
    new_head = Employee.objects.select_related("position").get(nip=make_nip(1))
    old_head = Employee.objects.select_related("position").get(pk=small.head.pk)
    staff_position.refresh_from_db()
    assert new_head.position.is_unit_head is True
    assert old_head.position.is_unit_head is False
    assert Position.objects.filter(unit=small.root, is_unit_head=True).get() == new_head.position
    assert staff_position.chain == (
        f"/{new_head.position.pk}/{old_head.position.pk}/{staff_position.pk}/"
    )


def test_apply_writes_nothing_when_the_data_changed_since_the_preview(
    small, django_capture_on_commit_callbacks
):
    content = xlsx_bytes([make_row(1), make_row(2), make_row(3)])
    employee_import = create_import(small, content, django_capture_on_commit_callbacks)
    assert employee_import.status == ImportStatus.READY
    # Meanwhile another agency's administrator registers the second NIP.
    other = build_import_agency(code="kota-lain", name="Kota Lain", head_n=900_001)
    services.employee_create(
        actor=other.admin, instansi=other.instansi, nip=make_nip(2), name="Orang Lain", today=TODAY
    )
    before = counts()

    employee_import = confirm(small, employee_import, django_capture_on_commit_callbacks)

    assert employee_import.status == ImportStatus.INVALID
    assert counts() == before
    assert [row["line"] for row in employee_import.rows if row["errors"]] == [3]
    assert employee_import.rows[1]["errors"][0]["code"] == "import.nip_other_instansi"
    assert not AuditEvent.objects.filter(action="organisations.employee.imported").exists()


def test_apply_rolls_everything_back_on_an_unexpected_error(
    small, monkeypatch, django_capture_on_commit_callbacks
):
    content = xlsx_bytes([make_row(1), make_row(2, nip_atasan=make_nip(1))])
    employee_import = create_import(small, content, django_capture_on_commit_callbacks)
    before = counts()

    def boom(**kwargs: Any) -> int:
        raise RuntimeError("disk full")

    # The audit rows are written last, after users, positions and employees.
    monkeypatch.setattr(importing.applying, "audit_record_bulk", boom)
    employee_import = confirm(small, employee_import, django_capture_on_commit_callbacks)

    assert employee_import.status == ImportStatus.FAILED
    assert employee_import.failure.startswith(
        "An unexpected error stopped the import and nothing was written. Quote reference task-"
    )
    assert counts() == before


def test_apply_task_does_nothing_the_second_time(small, django_capture_on_commit_callbacks):
    employee_import = create_import(
        small, xlsx_bytes([make_row(1)]), django_capture_on_commit_callbacks
    )
    confirm(small, employee_import, django_capture_on_commit_callbacks)
    after_first = (counts(), AuditEvent.objects.count())

    tasks.apply_employee_import(employee_import.pk, small.admin.pk)

    employee_import.refresh_from_db()
    assert employee_import.status == ImportStatus.DONE
    assert (counts(), AuditEvent.objects.count()) == after_first


def test_apply_fails_cleanly_when_the_actor_lost_the_right(
    small, django_capture_on_commit_callbacks
):
    employee_import = create_import(
        small, xlsx_bytes([make_row(1)]), django_capture_on_commit_callbacks
    )
    with django_capture_on_commit_callbacks(execute=False):
        importing.employee_import_confirm(actor=small.admin, import_=employee_import)
    small.instansi.administrators.remove(small.admin)
    before = counts()

    tasks.apply_employee_import(employee_import.pk, small.admin.pk)

    employee_import.refresh_from_db()
    assert employee_import.status == ImportStatus.FAILED
    assert employee_import.failure == "Only an administrator of Kabupaten Impor may do this."
    assert counts() == before


def test_confirm_refuses_an_import_that_is_not_ready(small, django_capture_on_commit_callbacks):
    content = xlsx_bytes([make_row(1, kode_unit="X")])
    employee_import = create_import(small, content, django_capture_on_commit_callbacks)

    with pytest.raises(ConflictError) as caught:
        importing.employee_import_confirm(actor=small.admin, import_=employee_import)

    assert caught.value.code == "import.not_ready"
    employee_import.refresh_from_db()
    assert employee_import.status == ImportStatus.INVALID


def test_semicolon_csv_imports_end_to_end(small, django_capture_on_commit_callbacks):
    before = counts()
    content = csv_bytes(
        [make_row(1, nip_atasan=small.head.nip), make_row(2, nip_atasan=make_nip(1))],
        delimiter=";",
    )
    employee_import = create_import(small, content, django_capture_on_commit_callbacks, "p.csv")

    employee_import = confirm(small, employee_import, django_capture_on_commit_callbacks)

    assert employee_import.status == ImportStatus.DONE
    assert counts() == (before[0] + 2, before[1] + 2, before[2] + 2)
    second = Employee.objects.get(nip=make_nip(2))
    assert employee_orbit(employee=second).leader == Employee.objects.get(nip=make_nip(1))


def test_ten_thousand_rows_validate_and_apply(small, django_capture_on_commit_callbacks):
    # A head per division, ten section heads under each, everybody else under a section head.
    rows = []
    for n in range(10_000):
        if n < 2:
            row = make_row(
                n, kode_unit=("BID-A", "BID-B")[n], kepala_unit="ya", nip_atasan=small.head.nip
            )
        elif n < 22:
            row = make_row(n, kode_unit=("BID-A", "BID-B")[n % 2], nip_atasan=make_nip(n % 2))
        else:
            row = make_row(n, kode_unit=("BID-A", "BID-B")[n % 2], nip_atasan=make_nip(2 + n % 20))
        rows.append(row)
    before = counts()
    employee_import = create_import(small, xlsx_bytes(rows), django_capture_on_commit_callbacks)
    assert (employee_import.status, employee_import.processed_rows) == (ImportStatus.READY, 10_000)

    employee_import = confirm(small, employee_import, django_capture_on_commit_callbacks)

    assert employee_import.status == ImportStatus.DONE
    assert counts() == (before[0] + 10_000, before[1] + 10_000, before[2] + 10_000)
    assert AuditEvent.objects.filter(action="organisations.employee.imported").count() == 10_000
    leaf = Employee.objects.select_related("position").get(nip=make_nip(9_999))
    section_head = Employee.objects.select_related("position").get(nip=make_nip(2 + 9_999 % 20))
    division_head = Employee.objects.select_related("position").get(nip=make_nip(1))
    assert employee_orbit(employee=leaf).chain == [small.head, division_head, section_head]
    assert leaf.position.chain == (
        f"/{small.head.position_id}/{division_head.position_id}/{section_head.position_id}/"
        f"{leaf.position_id}/"
    )


# --------------------------------------------------------------------------------------------
# Management command
# --------------------------------------------------------------------------------------------


def test_command_dry_run_prints_the_summary_and_writes_nothing(small, tmp_path):
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [make_row(1), make_row(2, nip=small.head.nip, kode_unit="SETDA", kepala_unit="ya")]
        )
    )
    before = (counts(), AuditEvent.objects.count())
    out = io.StringIO()

    call_command(
        "import_employees",
        "kab-impor",
        str(path),
        "--actor",
        small.admin.username,
        "--dry-run",
        stdout=out,
    )

    assert out.getvalue() == (
        "2 rows: 1 new, 1 to update, 0 with problems. Dry run: nothing was written.\n"
    )
    assert (counts(), AuditEvent.objects.count()) == before
    assert EmployeeImport.objects.count() == 0


def test_command_dry_run_prints_problems_and_fails(small, tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_bytes(csv_bytes([make_row(1, kode_unit="BID-Z")]))
    before = counts()
    out = io.StringIO()

    with pytest.raises(CommandError, match="The file has problems."):
        call_command(
            "import_employees",
            "kab-impor",
            str(path),
            "--actor",
            small.admin.username,
            "--dry-run",
            stdout=out,
        )

    assert out.getvalue().splitlines()[0] == (
        "2: import.unknown_unit: There is no unit with code BID-Z in this agency."
    )
    assert counts() == before


def test_command_imports_the_file(small, tmp_path):
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(xlsx_bytes([make_row(1), make_row(2, nip_atasan=make_nip(1))]))
    before = counts()
    out = io.StringIO()

    call_command(
        "import_employees", "kab-impor", str(path), "--actor", small.admin.username, stdout=out
    )

    assert out.getvalue() == "Imported 2 new and 0 updated employees.\n"
    assert counts() == (before[0] + 2, before[1] + 2, before[2] + 2)
    assert EmployeeImport.objects.get().status == ImportStatus.DONE


def test_command_refuses_an_actor_who_is_not_an_administrator(small, tmp_path):
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(xlsx_bytes([make_row(1)]))
    User.objects.create_user(username="orang-luar")

    with pytest.raises(CommandError, match="Only an administrator of Kabupaten Impor may do this."):
        call_command(
            "import_employees", "kab-impor", str(path), "--actor", "orang-luar", "--dry-run"
        )
