"""``manage.py restore ARCHIVE [--yes]``: replace the database and media with a backup's."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from abdi.core.backup import BackupError, backup_restore, read_manifest


class Command(BaseCommand):
    help = "Replace the database and the media files with those of a `manage.py backup` archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="an abdi-backup-….tar file")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["archive"]))
        try:
            manifest = read_manifest(path)
            if not options["yes"]:
                answer = input(
                    f"Replace the database and media with the backup of "
                    f"{manifest['created_at']}? Stop the web and worker processes first. "
                    "Type 'yes': "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled; nothing was changed.")
            backup_restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}. "
            "Run `manage.py migrate` if the code is newer than the backup."
        )
