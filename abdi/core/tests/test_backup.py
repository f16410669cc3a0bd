"""``manage.py backup`` / ``restore``: a round trip on the configured database (SQLite or PG)."""

import io
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from abdi.core.models import AuditEvent
from abdi.organisations.models import Employee

User = get_user_model()


def state() -> tuple[object, ...]:
    return (
        list(User.objects.order_by("pk").values_list("pk", "username", "password")),
        list(Employee.objects.order_by("pk").values_list("pk", "nip", "name")),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def archive_in(folder: Path) -> Path:
    (archive,) = folder.glob("abdi-backup-*.tar")
    return archive


@pytest.mark.django_db(transaction=True)
def test_restore_brings_back_the_database_and_the_files_as_they_were(agency, media, tmp_path):
    default_storage.save("bukti/laporan.pdf", ContentFile(b"%PDF-1.4 bukti"))
    before = state()
    call_command("backup", output=str(tmp_path / "backups"))
    archive = archive_in(tmp_path / "backups")

    # Afterwards: an account added, a name changed, an employee removed, files changed.
    User.objects.create_user(username="datang-kemudian", password="x")
    Employee.objects.filter(pk=agency.staff_a.pk).update(name="Nama Diubah")
    Employee.objects.filter(pk=agency.staff_b.pk).delete()
    default_storage.delete("bukti/laporan.pdf")
    default_storage.save("lain.txt", ContentFile(b"baru"))
    assert state() != before

    call_command("restore", str(archive), yes=True)

    assert state() == before
    assert (media / "bukti" / "laporan.pdf").read_bytes() == b"%PDF-1.4 bukti"
    assert not (media / "lain.txt").exists()
    # Sequences came back too: the next row gets a fresh id.
    assert User.objects.create_user(username="sesudah-pulih", password="x").pk > before[0][-1][0]


@pytest.mark.django_db(transaction=True)
def test_the_archive_records_what_it_holds(agency, media, tmp_path, settings):
    call_command("backup", output=str(tmp_path))

    with tarfile.open(archive_in(tmp_path)) as archive:
        names = archive.getnames()
    engine = settings.DATABASES["default"]["ENGINE"]
    database = "database.dump" if "postgresql" in engine else "database.sqlite3"
    assert sorted(names) == sorted(["manifest.json", database, "media.tar.gz"])


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_and_changes_nothing(agency, media, tmp_path):
    call_command("backup", output=str(tmp_path / "b"))
    archive = archive_in(tmp_path / "b")
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "media.tar.gz":
                data = data[:-10] + b"0123456789"
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    User.objects.create_user(username="tetap-ada", password="x")
    before = state()

    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), yes=True)

    assert state() == before


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar")

    with pytest.raises(CommandError, match="not an Abdi backup"):
        call_command("restore", str(junk), yes=True)
