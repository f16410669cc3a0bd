"""``manage.py seed_demo``: load the demo (used by ``make demo``) and print its logins.

The organisation comes from :mod:`abdi.organisations.demo`; then each app built on it
adds its part through its own ``demo.seed_demo`` (kinerja, layanan, belajar, kantor, inovasi,
wawasan). The command lives in ``core`` so that organisations does not depend on the apps
built on it.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from abdi.belajar import demo as belajar_demo
from abdi.inovasi import demo as inovasi_demo
from abdi.kantor import demo as kantor_demo
from abdi.kinerja import demo as kinerja_demo
from abdi.layanan import demo as layanan_demo
from abdi.organisations import demo as organisations_demo
from abdi.wawasan import demo as wawasan_demo

__all__ = ["Command"]


class Command(BaseCommand):
    help = (
        "Load the demo agency (Pemerintah Kabupaten Sleman: a Dukcapil office with 40 ASN over "
        "three levels, BKPSDM, an agency admin, two citizens) with its 2026 performance year "
        "(cascaded SKP plans, realisations to October) and print the demo logins. Safe to run "
        "again: existing demo data is left as it is. Demo passwords are public; never run this "
        "against production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quiet", action="store_true", help="Print only the table of demo logins."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["quiet"] or options["verbosity"] == 0
        stdout = None if quiet else self.stdout
        try:
            with transaction.atomic():
                result = organisations_demo.seed_demo(stdout=stdout)
                notes = [
                    note
                    for app_demo in (
                        kinerja_demo,
                        layanan_demo,
                        belajar_demo,
                        kantor_demo,
                        inovasi_demo,
                        wawasan_demo,  # last: it sums up what the others loaded
                    )
                    for note in app_demo.seed_demo(stdout=stdout).notes
                ]
        except organisations_demo.DemoError as exc:
            raise CommandError(str(exc)) from exc
        if not quiet:
            for note in notes:
                self.stdout.write(note)
            self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins (demo data only):"))
        self.stdout.write(organisations_demo.format_logins(result.logins))
