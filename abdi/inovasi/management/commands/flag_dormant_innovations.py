"""Flag dormant innovations and notify their owners and leaders, as the daily task does (cron)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from abdi.inovasi import tasks


class Command(BaseCommand):
    help = (
        "Flag innovations without an update or metric data for the agency's number of months "
        "as dormant (notifying the owner and their leader once) and clear revived ones. "
        "Safe to run more than once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", help="Day to act as (YYYY-MM-DD); default: each agency's own date."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report the changes, then roll them back."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    f"--today must be YYYY-MM-DD, not {options['today']!r}."
                ) from None
        with transaction.atomic():
            flagged, revived = tasks.flag_dormant(today=today)
            if options["dry_run"]:
                transaction.set_rollback(True)
        prefix = "Would flag" if options["dry_run"] else "Flagged"
        self.stdout.write(f"{prefix} {flagged} dormant innovations; {revived} revived.")
