"""``manage.py sweep_sla_breaches``: report past-due service cases to unit heads (for cron)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from abdi.layanan import services

__all__ = ["Command"]


class Command(BaseCommand):
    help = (
        "Report every open service application past its due date to the head of its unit, "
        "once per application. Safe to run again (e.g. hourly from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the cases, change and send nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = services.sla_breach_sweep()
            if options["dry_run"]:
                transaction.set_rollback(True)
        verb = "Would report" if options["dry_run"] else "Reported"
        self.stdout.write(f"{verb} {count} past-due application(s).")
