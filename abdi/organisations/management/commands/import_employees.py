"""Import employees from an .xlsx or .csv file, all or nothing, like the upload page does."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from abdi.core.exceptions import DomainError
from abdi.organisations import importing, tasks
from abdi.organisations.choices import ImportStatus
from abdi.organisations.models import Instansi


class Command(BaseCommand):
    help = (
        "Import employees into an agency from an .xlsx or .csv file (see the upload page for "
        "the columns). Every row is checked first; if any has a problem nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instansi_code", help="Code of the agency.")
        parser.add_argument("file", help="Path of the .xlsx or .csv file.")
        parser.add_argument("--actor", required=True, help="Username of an agency administrator.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and print its problems only."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        instansi = Instansi.objects.filter(code=options["instansi_code"]).first()
        if instansi is None:
            raise CommandError(
                _("No agency has the code %(code)s.") % {"code": options["instansi_code"]}
            )
        actor = get_user_model().objects.filter(username=options["actor"]).first()
        if actor is None:
            raise CommandError(_("No user is named %(name)s.") % {"name": options["actor"]})
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("%(path)s is not a file.") % {"path": path})
        try:
            if options["dry_run"]:
                self._dry_run(actor, instansi, path)
            else:
                self._import(actor, instansi, path)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _print_problems(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            for problem in row["errors"]:
                self.stdout.write(f"{row['line']}: {problem['code']}: {problem['message']}")

    def _dry_run(self, actor: Any, instansi: Instansi, path: Path) -> None:
        with path.open("rb") as fh:
            results = importing.employee_import_preview(
                actor=actor, instansi=instansi, fileobj=fh, filename=path.name
            )
        summary = importing.summarise(results)
        self._print_problems([r.as_json() for r in results])
        self.stdout.write(
            _("%(total)s rows: %(create)s new, %(update)s to update, %(problems)s with problems. "
              "Dry run: nothing was written.") % summary
        )  # fmt: skip
        if summary["problems"]:
            raise CommandError(_("The file has problems."))

    def _import(self, actor: Any, instansi: Instansi, path: Path) -> None:
        with path.open("rb") as fh:
            employee_import = importing.employee_import_create(
                actor=actor, instansi=instansi, uploaded_file=File(fh, name=path.name)
            )
        # Run the tasks here as well, so the command needs no worker; they are idempotent and
        # do nothing when an eager run (or a worker) has already finished them.
        tasks.validate_employee_import(employee_import.pk)
        employee_import.refresh_from_db()
        if employee_import.status != ImportStatus.READY:
            self._print_problems(employee_import.rows)
            raise CommandError(
                employee_import.failure or _("The file has problems; nothing was written.")
            )
        importing.employee_import_confirm(actor=actor, import_=employee_import)
        tasks.apply_employee_import(employee_import.pk, actor.pk)
        employee_import.refresh_from_db()
        if employee_import.status != ImportStatus.DONE:
            self._print_problems(employee_import.rows)
            raise CommandError(employee_import.failure or _("Nothing was written."))
        applied = employee_import.summary["applied"]
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported %(created)s new and %(updated)s updated employees.") % applied
            )
        )
