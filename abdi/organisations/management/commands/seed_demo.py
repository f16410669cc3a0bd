"""``manage.py seed_demo``: load the demo agency (used by ``make demo``) and print its logins."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from abdi.organisations.demo import DemoError, format_logins, seed_demo


class Command(BaseCommand):
    help = (
        "Load the demo agency (Pemerintah Kabupaten Sleman: a Dukcapil office with 40 ASN over "
        "three levels, BKPSDM, an agency admin, two citizens) and print the demo logins. "
        "Safe to run again: existing demo data is left as it is. Demo passwords are public; "
        "never run this against production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quiet", action="store_true", help="Print only the table of demo logins."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["quiet"] or options["verbosity"] == 0
        try:
            result = seed_demo(stdout=None if quiet else self.stdout)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if not quiet:
            self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins (demo data only):"))
        self.stdout.write(format_logins(result.logins))
