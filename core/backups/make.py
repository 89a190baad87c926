"""Making a backup: the database, then the media folder, into one file."""

import os
import tempfile
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils import timezone

from . import BackupError, age, databases
from .archive import (
    DATABASE_FILES,
    HEADER,
    MANIFEST,
    VENDOR_NAMES,
    ArchiveWriter,
    Manifest,
    counted,
    header,
    in_words,
    media_entries,
)


@dataclass
class Made:
    path: Path
    manifest: Manifest
    size: int
    encrypted: bool


def backup_make(
    *,
    database: databases.SettingsDict,
    media_root: Path,
    to: Path,
    recipients: list[str],
    recipients_file: Path | None,
    say: Callable[[str], None],
) -> Made:
    """Write a backup of `database` and `media_root` to `to` (a file, or a folder to name
    one in). The database is read first, in one snapshot, then the media folder: a video
    deleted in between leaves a row without its file in the backup, one added in between
    a file without its row; backups run best away from the nightly purge (03:15)."""
    elsewhere = files_kept_elsewhere(media_root)
    encrypted = bool(recipients or recipients_file)
    if encrypted:
        age.check_recipients(recipients, recipients_file)
    made_at = timezone.now()
    path = _target(to, made_at.strftime("%Y%m%dT%H%M%SZ"), encrypted)
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix=".tandem-backup-", dir=path.parent) as work:
        vendor = "sqlite" if "sqlite" in database.get("ENGINE", "") else "postgresql"
        dump = Path(work) / DATABASE_FILES[vendor]
        say(f"Reading {databases.describe(database)}…")
        dumped = (databases.sqlite_copy if vendor == "sqlite" else databases.postgres_dump)(
            database, dump
        )
        if not dumped.migrations:
            raise BackupError(f"There is no Tandem in {databases.describe(database)}.")
        manifest = Manifest(
            made_at=made_at.isoformat(),
            database=dumped.details,
            migrations=dumped.migrations,
            rows=dumped.rows,
            elsewhere=elsewhere,
        )
        say(
            f"Database: {VENDOR_NAMES[vendor]} {dumped.details['server_version']}, "
            f"{counted(len(dumped.rows), 'table')}, {counted(sum(dumped.rows.values()), 'row')}, "
            f"{in_words(dump.stat().st_size)}."
        )
        # Only the person running the backup may read it: it holds everyone's records.
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as error:
            raise BackupError(
                f"{partial} exists: another backup is being written, or one was stopped "
                "halfway. Remove it if none is running."
            ) from error
        try:
            with open(descriptor, "wb") as output:
                sealed = (
                    age.encrypting(output, recipients, recipients_file)
                    if encrypted
                    else nullcontext(output)
                )
                with sealed as sink:
                    _write(sink, manifest, dump, media_root, made_at.timestamp(), say)
                output.flush()
                os.fsync(output.fileno())
            os.replace(partial, path)
        except BaseException as error:
            partial.unlink(missing_ok=True)
            # Ctrl-C while age encrypts can surface as the closed pipe's error instead.
            if KeyboardInterrupt in (type(error), type(error.__context__)):
                raise KeyboardInterrupt from None
            raise
    size = path.stat().st_size
    say(
        f"Wrote {path} ({in_words(size)}"
        f"{', encrypted with age' if encrypted else ', not encrypted'})."
    )
    return Made(path=path, manifest=manifest, size=size, encrypted=encrypted)


def _write(
    sink: IO[bytes],
    manifest: Manifest,
    dump: Path,
    media_root: Path,
    mtime: float,
    say: Callable[[str], None],
) -> None:
    writer = ArchiveWriter(sink)
    writer.add_bytes(HEADER, header(manifest.vendor, manifest.made_at), mtime)
    writer.add_file(dump.name, dump)
    files = size = 0
    if media_root.is_dir():
        for name, path, kind in media_entries(media_root):
            if kind == "folder":
                writer.add_folder(name, path)
            elif kind == "file":
                added = writer.add_file(name, path)
                files, size = files + (added >= 0), size + max(added, 0)
            else:
                manifest.skipped.append(f"{path} (not a regular file or folder)")
        say(f"Media: {counted(files, 'file')}, {in_words(size)}, from {media_root}.")
    else:
        say(f"Media: there is no folder at {media_root}; nothing to add.")
    for line in [*manifest.skipped, *manifest.elsewhere]:
        say(f"Not in this backup: {line}")
    manifest.files = writer.files
    writer.add_bytes(MANIFEST, manifest.to_json(), mtime)
    writer.close()


def files_kept_elsewhere(media_root: Path) -> list[str]:
    """What the installation's file stores keep outside the media folder, in words. A
    store on disk outside it would be missed without a word, so it is refused."""
    notes = []
    for alias in settings.STORAGES:
        if alias == "staticfiles":
            continue  # they ship with the code
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            location = Path(storage.location).resolve()
            if not location.is_relative_to(media_root.resolve()):
                raise BackupError(
                    f"The “{alias}” files are kept in {location}, outside MEDIA_ROOT "
                    f"({media_root}): a backup of MEDIA_ROOT would miss them. Keep them "
                    "inside it (the default)."
                )
        elif bucket := getattr(storage, "bucket_name", None):
            notes.append(
                f"the “{alias}” files, in the bucket {bucket}: its own versioning and "
                "replication keep them."
            )
        else:
            notes.append(f"the “{alias}” files, kept by {type(storage).__name__}.")
    return notes


def _target(to: Path, stamp: str, encrypted: bool) -> Path:
    suffix = ".tar.age" if encrypted else ".tar"
    path = to / f"tandem-backup-{stamp}{suffix}" if to.is_dir() else to
    if not path.name.endswith(suffix):
        # A folder name mistyped would otherwise become the backup's file name.
        raise BackupError(f"There is no folder {to}; a backup file's name ends in {suffix}.")
    if path.exists():
        raise BackupError(f"{path} already exists: a backup never writes over another.")
    if not path.parent.is_dir():
        raise BackupError(f"There is no folder {path.parent} to write the backup in.")
    return path
