"""Benchmark the employee import: validate and apply an N-row .xlsx file.

Runs against a throwaway test database of the configured backend (SQLite file in a temp
directory, or ``test_<name>`` on PostgreSQL), created and destroyed here, so the real
database is never touched. Tasks run eagerly, as without a broker.

    DJANGO_SETTINGS_MODULE=config.settings.dev python bench/import_employees.py --rows 10000
    DATABASE_URL=postgres://postgres@127.0.0.1/abdi python bench/import_employees.py
"""

import argparse
import logging
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files import File  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from abdi.organisations import importing, services  # noqa: E402
from abdi.organisations.choices import PositionKind  # noqa: E402
from abdi.organisations.models import Employee  # noqa: E402
from config.celery import app as celery_app  # noqa: E402


def nip(n: int) -> str:
    """Return the ``n``-th valid PNS NIP (birth date, TMT 20 years later, gender, sequence)."""
    year, day = 1965 + n // (999 * 28 * 12), n // 999 % (28 * 12)
    month, dom = 1 + day // 28, 1 + day % 28
    return f"{year:04d}{month:02d}{dom:02d}{year + 20:04d}01{1 + n % 2}{n % 999 + 1:03d}"


def write_file(path: Path, rows: int, head_nip: str, divisions: list[str]) -> None:
    """Write ``rows`` employees: a head per division, ten section heads each, staff below."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("pegawai")
    sheet.append(list(importing.COLUMN_NAMES))
    sections = len(divisions) * 10
    for n in range(rows):
        unit = divisions[n % len(divisions)]
        if n < len(divisions):
            kind, head, leader, title = PositionKind.ADMINISTRATOR, "ya", head_nip, "Kepala Bidang"
        elif n < len(divisions) + sections:
            kind, head, leader, title = (
                PositionKind.PENGAWAS,
                "tidak",
                nip(n % len(divisions)),
                ("Kepala Subbidang"),
            )
        else:
            kind, head = PositionKind.PELAKSANA, "tidak"
            leader, title = nip(len(divisions) + n % sections), "Analis"
            unit = divisions[(len(divisions) + n % sections) % len(divisions)]
        sheet.append([
            nip(n), f"Pegawai {n}", "", "S.E.", unit, f"{title} {n}", kind, head, leader,
            f"pegawai{n}@example.go.id", "081200000000", "aktif",
        ])  # fmt: skip
    workbook.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--divisions", type=int, default=10)
    args = parser.parse_args()
    logging.getLogger("celery").setLevel(logging.WARNING)
    celery_app.conf.task_always_eager = True

    with tempfile.TemporaryDirectory(prefix="abdi-bench-") as tmp:
        settings.MEDIA_ROOT = tmp
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(Path(tmp) / "bench.sqlite3")
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            run(Path(tmp), args.rows, args.divisions)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def run(tmp: Path, rows: int, divisions: int) -> None:
    user_model = get_user_model()
    code = f"bench-{uuid.uuid4().hex[:8]}"
    root = user_model.objects.create_superuser(username=f"{code}-root", password=uuid.uuid4().hex)
    instansi = services.instansi_create(actor=root, code=code, name=f"Bench {code}")
    admin = user_model.objects.create_user(username=f"{code}-admin")
    services.instansi_add_administrator(actor=root, instansi=instansi, user=admin)
    top = services.unit_create(actor=admin, instansi=instansi, code="SETDA", name="Sekretariat")
    codes = [f"BID-{i:02d}" for i in range(divisions)]
    for unit_code in codes:
        services.unit_create(
            actor=admin, instansi=instansi, code=unit_code, name=unit_code, parent=top
        )
    head_position = services.position_create(
        actor=admin, unit=top, title="Sekretaris", kind=PositionKind.JPT, is_unit_head=True
    )
    head_nip = "196001011985011999"
    services.employee_create(
        actor=admin, instansi=instansi, nip=head_nip, name="Kepala", position=head_position
    )

    path = tmp / "pegawai.xlsx"
    started = time.perf_counter()
    write_file(path, rows, head_nip, codes)
    written = time.perf_counter() - started
    print(f"database: {connection.vendor}; file: {rows} rows, "
          f"{path.stat().st_size / 1024 / 1024:.1f} MB, written in {written:.1f} s")  # fmt: skip

    started = time.perf_counter()
    with path.open("rb") as fh:
        employee_import = importing.employee_import_create(
            actor=admin, instansi=instansi, uploaded_file=File(fh, name=path.name)
        )
    validated = time.perf_counter() - started
    employee_import.refresh_from_db()
    if employee_import.status != "ready":
        raise SystemExit(f"validation failed: {employee_import.status} {employee_import.summary}")

    started = time.perf_counter()
    importing.employee_import_confirm(actor=admin, import_=employee_import)
    applied = time.perf_counter() - started
    employee_import.refresh_from_db()
    if employee_import.status != "done":
        raise SystemExit(f"apply failed: {employee_import.status} {employee_import.failure}")
    assert Employee.objects.filter(instansi=instansi).count() == rows + 1

    print(
        f"validate (upload, read, check, store): {validated:6.2f} s  {rows / validated:8.0f} rows/s"
    )
    print(f"apply (re-check, write, chains, audit): {applied:6.2f} s  {rows / applied:8.0f} rows/s")


if __name__ == "__main__":
    main()
