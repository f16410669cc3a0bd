"""Generate synthetic data at national shape for benchmarks (bulk inserts; COPY on PostgreSQL)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from abdi.wawasan import facts, synthetic
from abdi.wawasan.rules import Period


class Command(BaseCommand):
    help = (
        "Generate synthetic agencies, units, employees in a chain of command with a monthly "
        "performance year and evaluations (and, with --skp, SKP plans cascaded along the "
        "chain), services, citizens, applications and IKM answers, for benchmarks. "
        "Never on a database people work on: the rows bypass the services."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agencies", type=int, default=2)
        parser.add_argument("--employees", type=int, default=1_000, help="In all agencies.")
        parser.add_argument("--periods", type=int, default=12, help="Evaluations per employee.")
        parser.add_argument("--cases", type=int, default=1_000, help="Applications in all.")
        parser.add_argument("--units", type=int, default=20, help="Units per agency.")
        parser.add_argument(
            "--span", type=int, default=synthetic.SPAN, help="Direct reports per leader in a unit."
        )
        parser.add_argument(
            "--skp", action="store_true",
            help="Also write every employee's SKP plan, cascaded from their leader's.",
        )  # fmt: skip
        parser.add_argument("--rhks", type=int, default=3, help="Results per plan (--skp).")
        parser.add_argument(
            "--indicators", type=int, default=2, help="Indicators per result (--skp)."
        )
        parser.add_argument(
            "--realised", type=int, default=0,
            help="Periods with accepted realisations, from the first (--skp).",
        )  # fmt: skip
        parser.add_argument(
            "--submitted", type=float, default=0.05,
            help="Share of plans below the head waiting for approval (--skp).",
        )  # fmt: skip
        parser.add_argument(
            "--password",
            help="Every employee can sign in with their NIP and this password (hashed once).",
        )
        parser.add_argument("--year", type=int, default=2026)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--refresh", action="store_true", help="Rebuild the dashboard facts afterwards."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("agencies", "employees", "cases", "units", "span", "rhks", "indicators"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        for name in ("periods", "realised"):
            if not 0 <= options[name] <= 12:
                raise CommandError(f"--{name} must be between 0 and 12.")
        if not 0 <= options["submitted"] <= 1:
            raise CommandError("--submitted must be between 0 and 1.")
        skp = None
        if options["skp"]:
            skp = synthetic.SkpShape(
                rhks=options["rhks"], indicators=options["indicators"],
                realised=options["realised"], submitted=options["submitted"],
            )  # fmt: skip
        started = time.perf_counter()
        with transaction.atomic():
            done = synthetic.generate(
                agencies=options["agencies"], employees=options["employees"],
                periods=options["periods"], cases=options["cases"], year=options["year"],
                units_per_agency=options["units"], span=options["span"], skp=skp,
                password=options["password"], seed=options["seed"],
                progress=lambda text: self.stdout.write(f"  {text}"),
            )  # fmt: skip
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Generated {done.rows} rows in {seconds:.1f} s ({done.rows / seconds:,.0f} rows/s)."
        )
        if options["refresh"]:
            from abdi.organisations.models import Instansi

            started = time.perf_counter()
            written = 0
            for instansi in Instansi.objects.filter(code__startswith="syn"):
                for month in [*range(1, 13), 0]:
                    written += facts.refresh_period(
                        instansi=instansi, period=Period(options["year"], month)
                    )
            seconds = time.perf_counter() - started
            self.stdout.write(f"Refreshed {written} fact rows in {seconds:.1f} s.")
