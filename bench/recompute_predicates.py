"""Benchmark recomputing predicates and consequences for a whole agency, set-based.

Generates N employees × 12 monthly evaluations (COPY on PostgreSQL, bulk inserts
elsewhere) in a throwaway database (created beside the one ``DATABASE_URL`` names, then
dropped), then times what recomputing a year's closed periods does, three times: first
with every predicate still to compute, again with nothing changed, and after the ratings
of a fraction of the evaluations changed (``--change``, 5 % by default, 0 to skip).
``recompute_predicates`` is one UPDATE with the matrix as CASE, writing the rows that
change; ``recompute_consequences`` computes what is due with window functions and writes
the difference (see :mod:`abdi.kinerja.evaluation.bulk`). Prints each phase and
evaluations/s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/recompute_predicates.py --employees 100000
"""

import argparse
import io
import os
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from _database import throwaway_database  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Case, Value, When  # noqa: E402

from abdi.kinerja import services  # noqa: E402
from abdi.kinerja.choices import Rhythm  # noqa: E402
from abdi.kinerja.evaluation import bulk  # noqa: E402
from abdi.kinerja.models import (  # noqa: E402
    Consequence,
    PerformanceYear,
    PeriodClosure,
    PeriodEvaluation,
)
from abdi.organisations import services as org_services  # noqa: E402
from abdi.organisations.models import Employee  # noqa: E402

PERIODS = 12
RATINGS = ("di_atas", "sesuai", "sesuai", "sesuai", "di_bawah")
EMPLOYEE_COLUMNS = (
    "created_at", "updated_at", "public_id", "instansi_id", "nip", "asn_kind", "name",
    "front_title", "back_title", "gender", "birth_date", "status", "email", "phone",
)  # fmt: skip
EVALUATION_COLUMNS = (
    "created_at", "updated_at", "public_id", "year_id", "period", "employee_id",
    "result_rating", "result_suggested", "behaviour_rating", "behaviour_values", "note",
    "matrix_predicate", "predicate", "predicate_source",
)  # fmt: skip


def _copy(table: str, columns: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    """Load ``rows`` with COPY on PostgreSQL, or a bulk executemany elsewhere."""
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(str(value) for value in row))
            buffer.write("\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                while chunk := buffer.read(1 << 20):
                    copy.write(chunk)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
            [
                # The driver binds neither UUIDs nor aware datetimes: store them as Django does.
                [
                    value.hex if isinstance(value, uuid.UUID)
                    else adapt(value) if isinstance(value, datetime) else value
                    for value in row
                ]
                for row in rows
            ],
        )  # fmt: skip


def generate(employees: int) -> tuple[PerformanceYear, object]:
    user_model = get_user_model()
    code = f"bench-{uuid.uuid4().hex[:8]}"
    root = user_model.objects.create_superuser(username=f"{code}-root", password=uuid.uuid4().hex)
    instansi = org_services.instansi_create(actor=root, code=code, name=f"Bench {code}")
    admin = user_model.objects.create_user(username=f"{code}-admin")
    org_services.instansi_add_administrator(actor=root, instansi=instansi, user=admin)
    year = services.performance_year_open(
        actor=admin, instansi=instansi, year=2026, rhythm=Rhythm.MONTHLY,
        plan_deadline=date(2026, 1, 31),
    )  # fmt: skip
    now = datetime.now(tz=UTC)
    _copy(
        Employee._meta.db_table,
        EMPLOYEE_COLUMNS,
        [
            (now, now, uuid.uuid4(), instansi.pk, f"{n:018d}", "pns", f"Pegawai {n}", "", "",
             "L" if n % 2 else "P", "1980-01-01", "aktif", "", "")
            for n in range(employees)
        ],
    )  # fmt: skip
    ids = list(
        Employee.objects.filter(instansi=instansi).order_by("pk").values_list("pk", flat=True)
    )
    rng = random.Random(4)  # noqa: S311 - reproducible synthetic data
    rows = []
    for employee_id in ids:
        for period in range(1, PERIODS + 1):
            if rng.random() < 0.02:  # about 2 % of reports are missing
                continue
            rows.append(
                (now, now, uuid.uuid4(), year.pk, period, employee_id, rng.choice(RATINGS), "",
                 rng.choice(RATINGS), "{}", "", "", "", "matrix")
            )  # fmt: skip
    _copy(PeriodEvaluation._meta.db_table, EVALUATION_COLUMNS, rows)
    add = services.consequence_rule_add
    for trigger, effect, percent, repeats in (
        ("butuh_perbaikan", "tpp", 90, 1), ("butuh_perbaikan", "coaching", None, 1),
        ("kurang", "tpp", 85, 1), ("kurang", "improvement_plan", None, 2),
        ("kurang", "discipline_flag", None, 2), ("sangat_kurang", "tpp", 80, 1),
        ("sangat_baik", "recognition", None, 1), ("sangat_baik", "talent_pool", None, 3),
        ("missing", "tpp", 65, 1),
    ):  # fmt: skip
        add(
            actor=admin, instansi=instansi, trigger=trigger, effect=effect, tpp_percent=percent,
            min_repeats=repeats, description=f"{trigger} → {effect}",
        )  # fmt: skip
    PeriodClosure.objects.bulk_create(
        PeriodClosure(
            year=year, period=period, closed_on=date(2026, period, 28),
            appeal_deadline=date(2026, period, 28), closed_by=admin,
        )
        for period in range(1, PERIODS + 1)
    )  # fmt: skip
    return year, admin


def change_ratings(year: PerformanceYear, fraction: float) -> int:
    """Move the work result rating of ``fraction`` of the evaluations one step; return them."""
    ids = list(PeriodEvaluation.objects.filter(year=year).values_list("pk", flat=True))
    chosen = random.Random(5).sample(ids, round(len(ids) * fraction))  # noqa: S311
    step = Case(
        When(result_rating="di_atas", then=Value("sesuai")),
        When(result_rating="sesuai", then=Value("di_bawah")),
        default=Value("di_atas"),
    )
    with transaction.atomic():
        for start in range(0, len(chosen), 10_000):
            PeriodEvaluation.objects.filter(pk__in=chosen[start : start + 10_000]).update(
                result_rating=step
            )
    return len(chosen)


def recompute(label: str, year: PerformanceYear, evaluations: int) -> None:
    """Time the recompute of every period, predicates and consequences each committed."""
    periods = list(range(1, PERIODS + 1))
    started = time.perf_counter()
    with transaction.atomic():
        predicates = bulk.recompute_predicates(year_ids=[year.pk], periods=periods)
    middle = time.perf_counter()
    with transaction.atomic():
        changes = bulk.recompute_consequences(year=year, periods=periods)
    ended = time.perf_counter()
    assert changes.rows == Consequence.objects.filter(year=year).count()
    total = ended - started
    print(
        f"{label}: predicates {predicates} changed in {middle - started:.2f} s; "
        f"consequences {changes.rows} (+{changes.inserted} ~{changes.updated} "
        f"-{changes.deleted}) in {ended - middle:.2f} s; total {total:.2f} s, "
        f"{evaluations / total:,.0f} evaluations/s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument(
        "--change", type=float, default=0.05, metavar="FRACTION",
        help="then change the ratings of this fraction of the evaluations and recompute",
    )  # fmt: skip
    args = parser.parse_args()
    with throwaway_database("abdi_bench_recompute"):
        started = time.perf_counter()
        with transaction.atomic():
            year, _admin = generate(args.employees)
        generated = time.perf_counter() - started
        # Fresh bulk-loaded tables have no statistics yet; autovacuum would gather them in
        # production. Without them the planner nests loops over the anti-join.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        evaluations = PeriodEvaluation.objects.filter(year=year).count()
        print(
            f"database: {connection.vendor}; {args.employees} employees × {PERIODS} periods: "
            f"{evaluations} evaluations generated in {generated:.1f} s",
            flush=True,
        )
        recompute("first (every predicate new)", year, evaluations)
        recompute("again (nothing changed)", year, evaluations)
        if args.change:
            changed = change_ratings(year, args.change)
            recompute(f"after {changed} ratings changed ({args.change:.0%})", year, evaluations)


if __name__ == "__main__":
    main()
