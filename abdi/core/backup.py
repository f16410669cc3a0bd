"""Back up and restore the database and the uploaded files as one archive.

An archive is a tar file holding ``manifest.json``, the database (``database.dump`` from
``pg_dump --format=custom`` on PostgreSQL, or ``database.sqlite3`` written with SQLite's
online backup API) and ``media.tar.gz`` (the files under ``MEDIA_ROOT``). The manifest
records the engine, the time, the newest migration of each app and a SHA-256 of each part;
a restore checks all of them before it changes anything.

Files kept in object storage (django-storages) are not copied: the bucket's own versioning
protects them (docs/deploy.md).
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections

__all__ = ["BackupError", "BackupResult", "backup_create", "backup_restore", "read_manifest"]

FORMAT = 1
POSTGRES = "postgresql"  # database vendors, as Django names them
SQLITE = "sqlite"


class BackupError(Exception):
    """The archive or the environment does not allow the operation; nothing was changed."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _engine(alias: str) -> str:
    engine = connections[alias].vendor
    if engine not in (POSTGRES, SQLITE):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")
    return str(engine)


def _pg_env(alias: str) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore, the password in the environment."""
    db = connections[alias].settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client).")
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _migrations(alias: str) -> dict[str, str]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT app, MAX(name) FROM django_migrations GROUP BY app")
        return dict(sorted(cursor.fetchall()))


def _media_root() -> Path | None:
    if isinstance(default_storage, FileSystemStorage):
        return Path(settings.MEDIA_ROOT)
    return None


def backup_create(output_dir: Path, *, alias: str = "default") -> BackupResult:
    """Write an archive of the database and the media files into ``output_dir``."""
    engine = _engine(alias)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    target = output_dir / f"abdi-backup-{stamp}.tar"
    with tempfile.TemporaryDirectory(prefix="abdi-backup-") as tmp_name:
        tmp = Path(tmp_name)
        if engine == POSTGRES:
            database = tmp / "database.dump"
            args, env = _pg_env(alias)
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(database), *args], env)
        else:
            database = tmp / "database.sqlite3"
            connection = connections[alias]
            connection.ensure_connection()
            destination = sqlite3.connect(database)
            try:
                connection.connection.backup(destination)
            finally:
                destination.close()
        media = tmp / "media.tar.gz"
        media_root = _media_root()
        with tarfile.open(media, "w:gz") as archive:
            if media_root is not None and media_root.exists():
                archive.add(media_root, arcname="media")
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(tz=UTC).isoformat(),
            "engine": engine,
            "database": database.name,
            "media_included": media_root is not None,
            "migrations": _migrations(alias),
            "sha256": {database.name: _sha256(database), media.name: _sha256(media)},
        }
        partial = target.with_suffix(".tar.part")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(database, arcname=database.name)
            archive.add(media, arcname=media.name)
        partial.rename(target)  # a half-written archive never carries the final name
    return BackupResult(path=target, manifest=manifest)


def read_manifest(path: Path) -> dict[str, Any]:
    """Return the archive's manifest, or raise :class:`BackupError`."""
    try:
        with tarfile.open(path, "r") as archive:
            member = archive.extractfile("manifest.json")
            if member is None:
                raise BackupError(f"{path} has no manifest.json.")
            manifest: dict[str, Any] = json.load(member)
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} is not an Abdi backup: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} has backup format {manifest.get('format')}, not {FORMAT}.")
    return manifest


def backup_restore(path: Path, *, alias: str = "default") -> dict[str, Any]:
    """Replace the database and the media files with the archive's; return its manifest."""
    manifest = read_manifest(path)
    engine = _engine(alias)
    if manifest["engine"] != engine:
        raise BackupError(
            f"The backup is of {manifest['engine']}, the configured database is {engine}."
        )
    with tempfile.TemporaryDirectory(prefix="abdi-restore-") as tmp_name:
        tmp = Path(tmp_name)
        with tarfile.open(path, "r") as archive:
            for name in (manifest["database"], "media.tar.gz"):
                archive.extract(name, tmp, filter="data")
        for name, expected in manifest["sha256"].items():
            if _sha256(tmp / name) != expected:
                raise BackupError(f"{name} in {path} is damaged (checksum differs).")
        database = tmp / manifest["database"]
        connection = connections[alias]
        if engine == POSTGRES:
            connection.close()
            args, env = _pg_env(alias)
            _run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 "--exit-on-error", *args, str(database)],
                env,
            )  # fmt: skip
        else:
            connection.ensure_connection()
            source = sqlite3.connect(database)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        _restore_media(tmp / "media.tar.gz", include=manifest.get("media_included", False))
    return manifest


def _restore_media(archive_path: Path, *, include: bool) -> None:
    media_root = _media_root()
    if media_root is None or not include:
        return
    staging = media_root.with_name(media_root.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        archive.extractall(staging, filter="data")
    restored = staging / "media"
    if not restored.exists():
        restored.mkdir()
    old = media_root.with_name(media_root.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if media_root.exists():
        media_root.rename(old)
    restored.rename(media_root)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
