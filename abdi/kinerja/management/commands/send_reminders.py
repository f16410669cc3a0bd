"""Queue today's SKP deadline reminders, as the daily scheduled task does (for cron)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from abdi.kinerja import reminders


class Command(BaseCommand):
    help = (
        "Remind employees of SKP planning and report deadlines (7, 3 and 1 days ahead) and "
        "leaders of items waiting for them. Safe to run more than once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", help="Day to act as (YYYY-MM-DD); default: each agency's own date."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print who would be reminded; send nothing."
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
        due = reminders.collect(today=today)
        if options["dry_run"]:
            for reminder in due:
                when = f" ({reminder.days} d)" if reminder.days is not None else ""
                self.stdout.write(
                    f"{reminder.kind}{when}: {reminder.employee.full_name} "
                    f"<{reminder.employee.user.email or '-'}> [{reminder.key}]"
                )
            self.stdout.write(f"{len(due)} reminders would be considered.")
            return
        with transaction.atomic():
            count = reminders.send(due)
        self.stdout.write(f"{count} reminders queued.")
