"""Synthetic data at national shape, for benchmarks: agencies, unit trees, employees with
positions in a chain of command, a monthly performance year with evaluations and, on request,
SKP plans cascaded along that chain, services, citizens, applications and IKM answers.

Rows are written in bulk straight into the tables (COPY on PostgreSQL, executemany
elsewhere), bypassing the services on purpose: this is load for measuring, not data anyone
works with, and it is marked by its agency codes (``syn-…``). Each model's columns are
filled from the model's own field defaults, so the generator follows the schema.
"""

import io
import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, connection, models, transaction
from django.db.models.functions import Cast, Coalesce, Concat

from abdi.kinerja.choices import (
    Aspect,
    Cascade,
    Perspective,
    PlanStatus,
    Predicate,
    Rating,
    ReportStatus,
    Rhythm,
)
from abdi.kinerja.models import (
    Indicator,
    PerformanceYear,
    PeriodEvaluation,
    Realisation,
    Rhk,
    SkpPlan,
)
from abdi.layanan.choices import ApplicationStatus
from abdi.layanan.models import Application, Service, Survey
from abdi.layanan.rules import TRACKING_ALPHABET
from abdi.organisations.choices import AsnKind, EmployeeStatus, Gender, PositionKind
from abdi.organisations.models import Citizen, Employee, Instansi, Position, UnitKerja

__all__ = ["Generated", "SkpShape", "generate"]

PREDICATES = [
    (Predicate.SANGAT_BAIK, 10), (Predicate.BAIK, 70), (Predicate.BUTUH_PERBAIKAN, 12),
    (Predicate.KURANG, 6), (Predicate.SANGAT_KURANG, 2),
]  # fmt: skip
CHUNK = 50_000
# Inside a unit each leader has up to this many direct reports.
SPAN = 8
RHK_TEXTS = [
    "Layanan unit terselenggara tepat waktu sesuai standar pelayanan",
    "Dokumen perencanaan dan pelaporan unit tersusun lengkap",
    "Tata kelola administrasi dan arsip unit tertib",
    "Data kinerja unit mutakhir dan dapat ditelusuri",
]
INDICATORS = [
    (Aspect.KUANTITAS, "Jumlah dokumen yang diselesaikan", 12, "dokumen"),
    (Aspect.KUALITAS, "Persentase dokumen tanpa koreksi", 90, "persen"),
    (Aspect.WAKTU, "Rata-rata hari penyelesaian", 5, "hari"),
]


@dataclass(frozen=True)
class SkpShape:
    """What the SKP year of each generated agency holds.

    Every employee has a current plan with ``rhks`` results of ``indicators`` indicators
    each; the head's results are their own, everyone else's support their leader's results
    (the i-th result the leader's i-th). A share ``submitted`` of the plans below the head
    wait for their leader's approval; the rest are approved, with accepted realisations for
    the first ``realised`` periods.
    """

    rhks: int = 3
    indicators: int = 2
    realised: int = 0
    submitted: float = 0.05


@dataclass
class Generated:
    agencies: int = 0
    units: int = 0
    employees: int = 0
    users: int = 0
    plans: int = 0
    rhks: int = 0
    indicators: int = 0
    realisations: int = 0
    evaluations: int = 0
    citizens: int = 0
    cases: int = 0
    surveys: int = 0

    @property
    def rows(self) -> int:
        return sum(vars(self).values())


class _Table:
    """Writes rows of one model: every concrete column, defaults from the fields."""

    def __init__(self, model: type[models.Model], **fixed: Any) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.is_relation]
        self.columns = [f.column for f in self.fields]
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            # "" for text fields without a default, None for the rest: what Django would save.
            self.defaults[f.attname] = f.get_default()
        self.defaults.update(fixed)
        self.order = [f.attname for f in self.fields]
        self.json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}
        self._template = [self.defaults[name] for name in self.order]
        self._index = {name: i for i, name in enumerate(self.order)}
        self._public_id = self._index.get("public_id")

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        """One row: ``values`` over the defaults (a fresh ``public_id`` unless given)."""
        row = list(self._template)
        for name, value in values.items():
            row[self._index[name]] = value
        if self._public_id is not None and "public_id" not in values:
            row[self._public_id] = uuid.uuid4()
        return tuple(row)

    def write_varying(self, names: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
        """Write rows given as the values of ``names`` only (the rest are the defaults).

        On PostgreSQL each row becomes a COPY line through one format string, so the
        constant columns are rendered once: the fast path for the large tables. Values must
        be plain (numbers, dates, simple text, None).
        """
        if connection.vendor != "postgresql":
            return self.write(self.row(dict(zip(names, row, strict=True))) for row in rows)
        json_at = {i for i, name in enumerate(self.order) if name in self.json}
        parts = []
        for i, name in enumerate(self.order):
            if name in names:
                parts.append(f"{{{names.index(name)}}}")
            elif i == self._public_id:
                parts.append("{uuid}")
            else:
                text = _copy_text(self._template[i], i in json_at)
                parts.append(text.replace("{", "{{").replace("}", "}}"))
        line = ("\t".join(parts) + "\n").format
        uuid4 = uuid.uuid4
        count = 0
        buffer: list[str] = []
        for row in rows:
            buffer.append(line(*["\\N" if v is None else v for v in row], uuid=uuid4()))
            if len(buffer) >= CHUNK:
                count += self._copy_lines(buffer)
                buffer = []
        if buffer:
            count += self._copy_lines(buffer)
        return count

    def _copy_lines(self, lines: list[str]) -> int:
        table = self.model._meta.db_table
        columns = ", ".join(f'"{c}"' for c in self.columns)
        with connection.cursor() as cursor:
            sql = f'COPY "{table}" ({columns}) FROM STDIN'  # noqa: S608 - model metadata
            with cursor.cursor.copy(sql) as copy:
                copy.write("".join(lines))
        return len(lines)

    def write(self, rows: Iterable[tuple[Any, ...]]) -> int:
        """Write ``rows`` in chunks; return how many."""
        count = 0
        chunk: list[tuple[Any, ...]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                count += self._flush(chunk)
                chunk = []
        if chunk:
            count += self._flush(chunk)
        return count

    def _flush(self, rows: list[tuple[Any, ...]]) -> int:
        table = self.model._meta.db_table
        json_at = [i for i, name in enumerate(self.order) if name in self.json]
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join([_copy_text(v, i in json_at) for i, v in enumerate(row)]))
                buffer.write("\n")
            buffer.seek(0)
            with connection.cursor() as cursor:
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                columns = ", ".join(f'"{c}"' for c in self.columns)
                sql = f'COPY "{table}" ({columns}) FROM STDIN'  # noqa: S608 - model metadata
                with raw.copy(sql) as copy:
                    while data := buffer.read(1 << 20):
                        copy.write(data)
            return len(rows)
        import json

        prepared = [
            tuple(json.dumps(v) if i in json_at else _sqlite(v) for i, v in enumerate(row))
            for row in rows
        ]
        columns = ", ".join(f'"{c}"' for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        with connection.cursor() as cursor:
            sql = f'INSERT INTO "{table}" ({columns}) VALUES ({marks})'  # noqa: S608 - metadata
            cursor.executemany(sql, prepared)
        return len(rows)


def _sqlite(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, Decimal):
        return str(value)
    return value


def _copy_text(value: Any, is_json: bool) -> str:
    """``value`` in COPY's text format."""
    kind = type(value)
    if kind is int:
        return str(value)
    if value is None:
        return "\\N"
    if is_json:
        import json

        text = json.dumps(value)
    elif kind is bool:
        return "t" if value else "f"
    else:
        text = str(value)
    if "\\" in text or "\t" in text or "\n" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return text


def _skip_reference_checks() -> None:
    """On PostgreSQL, skip the foreign-key triggers for this transaction when allowed.

    Django's foreign keys are deferred: checking tens of millions of generated rows at
    commit takes longer than writing them. The generator builds every reference from rows
    it just read, so the check adds nothing here. Needs a superuser; otherwise the checks
    simply run.
    """
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


def _ids(model: type[models.Model], **filters: Any) -> list[int]:
    return list(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True))


def _last_pk(model: type[models.Model]) -> int:
    """The highest id so far: the rows written next have higher ones, in writing order."""
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _position_tree(count: int, units: int, span: int) -> tuple[list[int], list[int]]:
    """Return the leader (index, -1 for none) and the depth of each of ``count`` positions.

    Position ``n`` is in unit ``n % units`` and the first of each unit heads it. The head of
    the first unit (the agency's top unit) leads the agency: the other unit heads report to
    them, and inside a unit each leader has up to ``span`` direct reports, earlier positions
    leading later ones.
    """
    leaders = [-1] * count
    depths = [0] * count
    for n in range(1, count):
        i = n // units
        leader = 0 if i == 0 else (i - 1) // span * units + n % units
        leaders[n] = leader
        depths[n] = depths[leader] + 1
    return leaders, depths


def _levels(depths: list[int]) -> list[list[int]]:
    """The position indexes by depth, the top first: each level's leaders are in the one above."""
    levels: list[list[int]] = [[] for _depth in range(max(depths, default=0) + 1)]
    for n, depth in enumerate(depths):
        levels[depth].append(n)
    return levels


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> Callable[[], str]:
    values = [v for v, _w in table]
    weights = [w for _v, w in table]
    return lambda: rng.choices(values, weights)[0]


def _tracking(number: int) -> str:
    digits = []
    base = len(TRACKING_ALPHABET)
    for _ in range(10):
        number, rest = divmod(number, base)
        digits.append(TRACKING_ALPHABET[rest])
    return "".join(reversed(digits))


def _write_skp(
    *,
    shape: SkpShape,
    rng: random.Random,
    year: int,
    stamp: dict[str, datetime],
    year_of: dict[int, int],
    position_of: dict[int, list[int]],
    leaders: list[int],
    depths: list[int],
    done: Generated,
    say: Callable[[str], None],
) -> None:
    """Write each employee's current plan, its results cascaded from the leader's, and their
    indicators and realisations, for the performance year of each agency."""
    submitted_at = datetime(year, 1, 20, 3, tzinfo=UTC)
    approved_at = datetime(year, 1, 27, 3, tzinfo=UTC)
    year_ids = list(year_of.values())
    holder = dict(
        Employee.objects.filter(instansi_id__in=list(year_of)).values_list("position_id", "pk")
    )
    people = {a: [holder[pk] for pk in positions] for a, positions in position_of.items()}

    def plans() -> Iterator[tuple[Any, ...]]:
        for a, staff in people.items():
            for n, employee_id in enumerate(staff):
                leader = staff[leaders[n]] if n else None
                if n and rng.random() < shape.submitted:
                    status, approved, approver = PlanStatus.SUBMITTED, None, None
                else:
                    status, approved, approver = PlanStatus.APPROVED, approved_at, leader
                yield (
                    year_of[a], employee_id, position_of[a][n], leader, status.value,
                    submitted_at, approved, approver,
                )  # fmt: skip

    done.plans = _Table(SkpPlan, **stamp, version=1, is_current=True).write_varying(
        ["year_id", "employee_id", "position_id", "assessor_id", "status", "submitted_at",
         "approved_at", "approved_by_id"],
        plans(),
    )  # fmt: skip
    plan_of = dict(SkpPlan.objects.filter(year_id__in=year_ids).values_list("employee_id", "pk"))

    # Results level by level from the top, so that the leader's results exist (and their ids
    # are known) when their staff's results point at them.
    rhk_table = _Table(Rhk, **stamp)
    perspectives = [value for value, _label in Perspective.choices]

    def results(level: list[int], above: dict[int, list[int]]) -> Iterator[tuple[Any, ...]]:
        for staff in people.values():
            for n in level:
                plan_id = plan_of[staff[n]]
                supported = above[plan_of[staff[leaders[n]]]] if n else []
                for r in range(shape.rhks):
                    text = f"{RHK_TEXTS[r % len(RHK_TEXTS)]} ({r + 1})"
                    if supported:
                        parent = supported[r % len(supported)]
                        yield (plan_id, parent, Cascade.DERIVED.value, "", r, text)
                    else:
                        perspective = perspectives[r % len(perspectives)]
                        yield (plan_id, None, Cascade.OWN.value, perspective, r, text)

    above: dict[int, list[int]] = {}
    for level in _levels(depths):
        before = _last_pk(Rhk)
        done.rhks += rhk_table.write_varying(
            ["plan_id", "parent_id", "cascade", "perspective", "order", "text"],
            results(level, above),
        )
        above = defaultdict(list)
        written = Rhk.objects.filter(pk__gt=before).order_by("pk").values_list("pk", "plan_id")
        for pk, plan_id in written:
            above[plan_id].append(pk)

    def indicators() -> Iterator[tuple[Any, ...]]:
        rhks = Rhk.objects.filter(plan__year_id__in=year_ids).order_by("pk").values_list("pk")
        for (rhk_id,) in rhks.iterator(chunk_size=CHUNK):
            for k in range(shape.indicators):
                aspect, text, target, unit = INDICATORS[k % len(INDICATORS)]
                yield (rhk_id, aspect.value, text, target, unit, k)

    done.indicators = _Table(Indicator, **stamp).write_varying(
        ["rhk_id", "aspect", "text", "target", "unit", "order"], indicators()
    )

    def realisations() -> Iterator[tuple[Any, ...]]:
        counted = (
            Indicator.objects.filter(
                rhk__plan__year_id__in=year_ids, rhk__plan__status=PlanStatus.APPROVED
            )
            .order_by("pk")
            .values_list("pk", "aspect", "target")
        )
        for pk, aspect, target in counted.iterator(chunk_size=CHUNK):
            for period in range(1, shape.realised + 1):
                # Quantities accumulate over the year's twelve months; the rest hold each month.
                share = period / 12 if aspect == Aspect.KUANTITAS else 1
                yield (pk, period, round(float(target) * share * rng.uniform(0.7, 1.2), 2))

    if shape.realised:
        done.realisations = _Table(
            Realisation, **stamp, status=ReportStatus.ACCEPTED
        ).write_varying(["indicator_id", "period", "value"], realisations())
    say(
        f"{done.plans} SKP plans, {done.rhks} results, {done.indicators} indicators, "
        f"{done.realisations} realisations"
    )


def generate(
    *,
    agencies: int = 2,
    employees: int = 1_000,
    periods: int = 12,
    cases: int = 1_000,
    year: int = 2026,
    units_per_agency: int = 20,
    span: int = SPAN,
    skp: SkpShape | None = None,
    password: str | None = None,
    seed: int = 1,
    progress: Callable[[str], None] | None = None,
) -> Generated:
    """Generate ``agencies`` agencies sharing ``employees`` employees and ``cases`` cases.

    Everyone but each agency's head has a leader (``span`` direct reports at most inside a
    unit, see :func:`_position_tree`). With ``skp``, the performance year also holds SKP
    plans cascaded along that chain (:class:`SkpShape`); with ``password``, every employee
    can sign in with their NIP and that password.

    Call inside a transaction on an empty or synthetic-only database, with no other writer:
    rows are read back by id. Returns the number of rows written per kind.
    """
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    _skip_reference_checks()
    say = progress or (lambda _text: None)
    now = datetime(year, 12, 31, 12, tzinfo=UTC)
    stamp = {"created_at": now, "updated_at": now}
    done = Generated()
    prefix = f"syn{rng.randrange(10**6):06d}"

    instansi_table = _Table(Instansi, **stamp, kind="kabupaten", timezone="Asia/Jakarta")
    done.agencies = instansi_table.write(
        instansi_table.row({"code": f"{prefix}-{n}", "name": f"Instansi Sintetis {n}"})
        for n in range(agencies)
    )
    agency_ids = _ids(Instansi, code__startswith=f"{prefix}-")

    # Units: one root per agency, the rest its children (paths fixed up in one UPDATE).
    unit_table = _Table(UnitKerja, **stamp)
    done.units = unit_table.write(
        unit_table.row(
            {"instansi_id": a, "code": f"U{n}", "name": f"Unit {n}", "depth": int(n > 0)}
        )
        for a in agency_ids
        for n in range(units_per_agency)
    )
    units_by_agency: dict[int, list[int]] = {}
    for unit in UnitKerja.objects.filter(instansi_id__in=agency_ids).order_by("pk"):
        units_by_agency.setdefault(unit.instansi_id, []).append(unit.pk)
    for unit_ids in units_by_agency.values():
        root = unit_ids[0]
        UnitKerja.objects.filter(pk=root).update(path=f"/{root}/")
        for pk in unit_ids[1:]:
            UnitKerja.objects.filter(pk=pk).update(parent_id=root, path=f"/{root}/{pk}/")
    say(f"{done.agencies} agencies, {done.units} units")

    # One position per employee in a chain of command (see _position_tree), written level
    # by level from the top so that each position's leader, and its chain, exist already.
    per_agency = max(1, employees // agencies)
    leaders, depths = _position_tree(per_agency, units_per_agency, span)
    leading = set(leaders)
    kinds = [
        PositionKind.JPT if n == 0
        else PositionKind.ADMINISTRATOR if n < units_per_agency
        else PositionKind.PENGAWAS if n in leading
        else PositionKind.PELAKSANA
        for n in range(per_agency)
    ]  # fmt: skip
    position_table = _Table(Position, **stamp)
    position_of = {a: [0] * per_agency for a in agency_ids}
    for level in _levels(depths):
        before = _last_pk(Position)
        position_table.write(
            position_table.row(
                {
                    "instansi_id": a,
                    "unit_id": units_by_agency[a][n % units_per_agency],
                    "title": f"Jabatan {n}",
                    "kind": kinds[n],
                    "is_unit_head": n < units_per_agency,
                    "reports_to_id": position_of[a][leaders[n]] if n else None,
                    "chain": "",
                }
            )
            for a in agency_ids
            for n in level
        )
        written = iter(_ids(Position, pk__gt=before))
        for a in agency_ids:
            for n in level:
                position_of[a][n] = next(written)
        leader_chain = Position.objects.filter(pk=models.OuterRef("reports_to_id")).values("chain")
        Position.objects.filter(pk__gt=before).update(
            chain=Concat(
                Coalesce(models.Subquery(leader_chain), models.Value("/")),
                Cast("id", models.CharField()),
                models.Value("/"),
            )
        )
    position_rows = [(position_of[a][n], a) for a in agency_ids for n in range(per_agency)]
    start_nip = rng.randrange(10**6) * 10**8
    nips = [f"19850101{(start_nip + i) % 10**10:010d}" for i in range(len(position_rows))]
    user_model = get_user_model()
    user_ids: list[int | None] = [None] * len(nips)
    if password is not None:
        # Sign-in accounts (username = NIP) sharing one hash: hashing is slow on purpose,
        # and once is enough for accounts that exist to be signed in to by a benchmark.
        account_table = _Table(
            user_model, is_active=True, date_joined=now, password=make_password(password)
        )
        before = _last_pk(user_model)
        done.users = account_table.write(
            account_table.row({"username": nip, "first_name": f"Pegawai {i}"})
            for i, nip in enumerate(nips)
        )
        user_ids = [*_ids(user_model, pk__gt=before)]
    employee_table = _Table(
        Employee, **stamp, asn_kind=AsnKind.PNS, status=EmployeeStatus.ACTIVE,
        birth_date=date(1985, 1, 1),
    )  # fmt: skip
    done.employees = employee_table.write(
        employee_table.row(
            {
                "instansi_id": agency_id,
                "position_id": pk,
                "user_id": user_ids[i],
                "nip": nips[i],
                "name": f"Pegawai {i}",
                "gender": Gender.MALE if i % 2 else Gender.FEMALE,
                "email": "",
            }
        )  # fmt: skip
        for i, (pk, agency_id) in enumerate(position_rows)
    )
    employee_rows = list(
        Employee.objects.filter(instansi_id__in=agency_ids).values_list("pk", "instansi_id")
    )
    say(f"{done.employees} employees")

    # A monthly performance year per agency, ``periods`` evaluations per employee.
    year_table = _Table(
        PerformanceYear, **stamp, year=year, rhythm=Rhythm.MONTHLY, plan_deadline=date(year, 1, 31)
    )
    year_table.write(year_table.row({"instansi_id": a}) for a in agency_ids)
    year_of = dict(
        PerformanceYear.objects.filter(instansi_id__in=agency_ids, year=year).values_list(
            "instansi_id", "pk"
        )
    )
    if skp is not None:
        _write_skp(
            shape=skp, rng=rng, year=year, stamp=stamp, year_of=year_of, position_of=position_of,
            leaders=leaders, depths=depths, done=done, say=say,
        )  # fmt: skip
    predicate = _weighted(rng, PREDICATES)
    evaluation_table = _Table(
        PeriodEvaluation, **stamp, result_rating=Rating.SESUAI, behaviour_rating=Rating.SESUAI
    )

    def evaluations() -> Iterator[tuple[Any, ...]]:
        for period in range(1, periods + 1):
            for employee_id, agency_id in employee_rows:
                value = predicate()
                yield (year_of[agency_id], period, employee_id, value, value)

    done.evaluations = evaluation_table.write_varying(
        ["year_id", "period", "employee_id", "matrix_predicate", "predicate"], evaluations()
    )
    say(f"{done.evaluations} evaluations")

    # Services and citizens; applications spread over the year, most completed.
    service_table = _Table(Service, **stamp)
    service_table.write(
        service_table.row(
            {
                "instansi_id": a,
                "unit_id": units_by_agency[a][1 % len(units_by_agency[a])],
                "code": code,
                "name": name,
                "requirements": "KK",
                "procedure": "Ajukan",
                "service_days": days,
                "product": name,
            }
        )  # fmt: skip
        for a in agency_ids
        for code, name, days in (("ktp-el", "KTP-el", 3), ("kk", "Kartu Keluarga", 2))
    )
    services = list(
        Service.objects.filter(instansi_id__in=agency_ids).values_list(
            "pk", "instansi_id", "unit_id"
        )
    )
    pool = min(max(cases // 20, 100), 100_000)
    user_table = _Table(user_model, is_active=True, date_joined=now, password="!")  # noqa: S106 - unusable
    user_table.write(user_table.row({"username": f"{prefix}-w{n}"}) for n in range(pool))
    user_ids = _ids(user_model, username__startswith=f"{prefix}-w")
    citizen_table = _Table(
        Citizen, **stamp, birth_date=date(1990, 1, 1), region_code="340401", gender=Gender.MALE
    )
    start_nik = rng.randrange(10**5) * 10**6
    done.citizens = citizen_table.write(
        citizen_table.row(
            {"user_id": u, "nik": f"3404{(start_nik + i) % 10**12:012d}", "name": "Warga"}
        )
        for i, u in enumerate(user_ids)
    )
    citizen_ids = _ids(Citizen, user__username__startswith=f"{prefix}-w")
    application_table = _Table(Application, **stamp)
    days_in_year = (date(year, 12, 31) - date(year, 1, 1)).days
    start_code = rng.randrange(25**9)
    active_used: set[tuple[int, int]] = set()

    def applications() -> Iterator[tuple[Any, ...]]:
        for n in range(cases):
            service_id, agency_id, unit_id = services[n % len(services)]
            citizen_id = citizen_ids[n % len(citizen_ids)]
            received = date(year, 1, 1) + timedelta(days=rng.randrange(days_in_year))
            taken = rng.choice((1, 1, 2, 2, 2, 3, 3, 4, 5, 7))
            status = ApplicationStatus.COMPLETED
            roll = rng.random()
            if roll < 0.02 and (citizen_id, service_id) not in active_used:
                active_used.add((citizen_id, service_id))
                status = ApplicationStatus.IN_REVIEW
            elif roll < 0.04:
                status = ApplicationStatus.REJECTED
            submitted = datetime(received.year, received.month, received.day, 2, tzinfo=UTC)
            completed = submitted + timedelta(days=taken + taken // 5 * 2)
            done_ = status == ApplicationStatus.COMPLETED
            yield (
                service_id, agency_id, unit_id, citizen_id, _tracking(start_code + n),
                status.value, submitted, received, received + timedelta(days=4),
                completed if done_ else None,
                completed if status != ApplicationStatus.IN_REVIEW else None,
                taken if done_ else None, (taken <= 3) if done_ else None,
            )  # fmt: skip

    done.cases = application_table.write_varying(
        ["service_id", "instansi_id", "unit_id", "citizen_id", "tracking_code", "status",
         "submitted_at", "received_on", "due_date", "completed_at", "decided_at",
         "working_days_taken", "within_sla"],
        applications(),
    )  # fmt: skip
    say(f"{done.cases} applications")
    survey_table = _Table(Survey, **stamp)

    def surveys() -> Iterator[tuple[Any, ...]]:
        completed = (
            Application.objects.filter(
                instansi_id__in=agency_ids, status=ApplicationStatus.COMPLETED
            )
            .values_list("pk", "unit_id", "service_id", "completed_at")
            .iterator(chunk_size=CHUNK)
        )
        for pk, unit_id, service_id, completed_at in completed:
            if rng.random() >= 0.3:
                continue
            scores = [rng.choice((3, 3, 4, 4, 4, 2)) for _ in range(9)]
            yield (pk, unit_id, service_id, completed_at.date(), *scores)

    done.surveys = survey_table.write_varying(
        [
            "application_id",
            "unit_id",
            "service_id",
            "answered_on",
            *(f"u{i}" for i in range(1, 10)),
        ],
        surveys(),
    )
    say(f"{done.surveys} surveys")
    return done
