"""``manage.py backup [--output DIR]``: one archive of the database and the uploaded files."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from abdi.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write the database (pg_dump, or SQLite's backup API) and the media files to one archive."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            default=str(getattr(settings, "ABDI_BACKUP_DIR", Path(settings.VAR_DIR) / "backups")),
            help="folder for the archive (default: ABDI_BACKUP_DIR, var/backups)",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            result = backup_create(Path(str(options["output"])))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = result.path.stat().st_size
        self.stdout.write(f"{result.path}  ({size:,} bytes, {result.manifest['engine']})")
