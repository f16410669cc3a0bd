"""Rebuild the dashboards' facts, as the nightly task does (cron), or a whole year on demand."""

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from abdi.organisations.models import Instansi
from abdi.wawasan import facts, tasks


class Command(BaseCommand):
    help = (
        "Rebuild the dashboard facts: by default this month, the previous month and their "
        "years for every agency (the nightly job); with --year, all twelve months and the "
        "year. Safe to run again: a refresh replaces the period's rows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="Rebuild every month of this year.")
        parser.add_argument("--agency", help="Only this agency (its code).")
        parser.add_argument("--today", help="Day to act as (YYYY-MM-DD) for the nightly set.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the rows, then roll them back."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agencies = Instansi.objects.order_by("pk")
        if options["agency"]:
            agencies = agencies.filter(code=options["agency"])
            if not agencies.exists():
                raise CommandError(f"No agency with the code {options['agency']!r}.")
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    f"--today must be YYYY-MM-DD, not {options['today']!r}."
                ) from None
        started = time.perf_counter()
        with transaction.atomic():
            if options["year"]:
                written = sum(
                    facts.refresh_agency(instansi=instansi, year=options["year"])
                    for instansi in agencies
                )
            else:
                written = tasks.refresh_all(today=today, agencies=agencies)
            if options["dry_run"]:
                transaction.set_rollback(True)
        prefix = "Would write" if options["dry_run"] else "Wrote"
        seconds = time.perf_counter() - started
        self.stdout.write(f"{prefix} {written} fact rows in {seconds:.1f} s.")
