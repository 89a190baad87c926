"""Restoring a backup into a fresh database and a fresh media folder.

Everything is read and checked before anything changes: the archive is staged file by file
beside the media folder, each file's sha256 checked against the manifest, and only then is
the database restored (in one transaction) and the files moved into place (renames). After
that, the database's rows are counted and every file is read back and hashed again.
"""

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db.migrations.loader import MigrationLoader

from . import BackupError, age, databases
from .archive import (
    STAGING_PREFIX,
    VENDOR_NAMES,
    Manifest,
    Staged,
    counted,
    in_words,
    sha256_of,
    stage,
    when,
)


@dataclass
class Restored:
    manifest: Manifest
    vendor: str
    database: str
    media_root: Path
    # Tables the target held that the backup does not (kept as they were, with --force).
    other_tables: list[str] = field(default_factory=list)
    # Files the media folder held that the backup does not (kept as they were).
    other_files: list[str] = field(default_factory=list)
    # Migrations this code has that the backup's database had not applied yet.
    to_migrate: int = 0


def backup_restore(
    *,
    archive: Path,
    database: databases.SettingsDict,
    media_root: Path,
    identity: Path | None,
    force: bool,
    say: Callable[[str], None],
) -> Restored:
    """Restore `archive` into `database` and `media_root`. Without `force`, a database that
    holds Tandem tables or a media folder that holds anything is refused. Raises
    BackupError, having changed nothing, for any archive that is not whole and exact."""
    if not archive.is_file():
        raise BackupError(f"There is no file at {archive}.")
    if identity is None and age.is_encrypted(archive):
        raise BackupError(f"{archive} is encrypted: give the key that opens it with --identity.")
    target = databases.describe(database)
    vendor, present = databases.target_tables(database)
    _refuse_a_used_database(present, vendor, target, force)
    _refuse_a_used_folder(media_root, force)
    with _staging(media_root) as staging, _stopped_by_ctrl_c("nothing was changed"):
        say(f"Reading {archive} and checking every file against its manifest…")
        with _opened(archive, identity) as stream:
            staged = stage(stream, staging, vendor)
        manifest = staged.manifest
        to_migrate = _refuse_newer_migrations(manifest)
        # Again, now that the archive is known good: someone may have begun meanwhile.
        vendor, present = databases.target_tables(database)
        _refuse_a_used_database(present, vendor, target, force)
        say(f"Restoring {target}…")
        # pg_restore is stopped too, and its one transaction undone.
        if vendor == "postgresql":
            made_by = int(manifest.database.get("tool_major") or 0)
            version = databases.postgres_restore(
                database, staged.database, replace=force, made_by=made_by
            )
        else:
            version = databases.sqlite_restore(database, staged.database)
        with _stopped_by_ctrl_c(
            "the database is restored, and some of the files are not: restore again with --force"
        ):
            other_files = _move_into_place(staged, media_root)
    restored = Restored(
        manifest=manifest,
        vendor=vendor,
        database=f"{target} ({VENDOR_NAMES[vendor]} {version})",
        media_root=media_root,
        other_tables=sorted(set(present) - set(manifest.rows)),
        other_files=other_files,
        to_migrate=to_migrate,
    )
    _check(restored, database, say)
    return restored


@contextmanager
def _stopped_by_ctrl_c(state: str) -> Iterator[None]:
    try:
        yield
    except KeyboardInterrupt:
        raise BackupError(f"Stopped (Ctrl-C): {state}.") from None


def _refuse_a_used_database(present: list[str], vendor: str, target: str, force: bool) -> None:
    # A SQLite file is replaced whole: any table in it would be lost, Tandem's or not.
    used = set(present) if vendor == "sqlite" else set(present) & databases.tandem_tables()
    if used and not force:
        raise BackupError(
            f"{target[0].upper()}{target[1:]} already holds Tandem's tables ({len(used)}, "
            f"among them {sorted(used)[0]}). Restore into a new, empty database, or add --force to "
            "replace them with the backup's."
        )


def _refuse_a_used_folder(media_root: Path, force: bool) -> None:
    if media_root.exists() and not media_root.is_dir():
        raise BackupError(f"{media_root} is a file, not a folder.")
    if media_root.is_dir() and not force:
        held = [p.name for p in media_root.iterdir() if not p.name.startswith(STAGING_PREFIX)]
        if held:
            raise BackupError(
                f"The media folder {media_root} is not empty (it holds {sorted(held)[0]}"
                f"{f' and {len(held) - 1} more' if len(held) > 1 else ''}). Restore into an "
                "empty folder, or add --force to put the backup's files in it, over any of "
                "the same name."
            )


@contextmanager
def _staging(media_root: Path) -> Iterator[Path]:
    """A folder on the media folder's own file system (inside it, or beside it when it is
    yet to be made), so that putting files in place is a rename; removed at the end, and
    on failure with the folders made to hold it."""
    parent = media_root if media_root.is_dir() else media_root.parent
    made: list[Path] = []
    for folder in [parent, *parent.parents][::-1]:
        if not folder.exists():
            folder.mkdir()
            made.append(folder)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in reversed(made):
            with suppress(OSError):  # no longer empty: not this restore's to remove
                folder.rmdir()
        raise
    shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def _opened(archive: Path, identity: Path | None) -> Iterator[IO[bytes]]:
    """The archive's plain bytes, through age when it is encrypted."""
    try:
        if identity is not None and age.is_encrypted(archive):
            with age.decrypting(archive, identity) as stream:
                yield stream
        else:
            with archive.open("rb") as stream:
                yield stream
    except BackupError as error:
        raise BackupError(f"Cannot restore {archive}. {error}") from error


def _refuse_newer_migrations(manifest: Manifest) -> int:
    """Refuse a backup from a newer Tandem (this code would not know its tables); return
    how many of this code's migrations the backup had not applied yet."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for squashed in loader.disk_migrations.values():
        known.update(getattr(squashed, "replaces", []) or [])
    applied = {(app, name) for app, names in manifest.migrations.items() for name in names}
    unknown = sorted(applied - known)
    if unknown:
        app, name = unknown[0]
        raise BackupError(
            f"The backup was made by a newer Tandem: its database has {len(unknown)} "
            f"migration(s) this code does not, among them {app}.{name}. Restore it with the "
            "version of Tandem that made it."
        )
    return len(set(loader.disk_migrations) - applied)


def _move_into_place(staged: Staged, media_root: Path) -> list[str]:
    """Rename each staged folder and file into the media folder; return the files that
    were there already and are not the backup's (left as they were)."""
    media_root.mkdir(exist_ok=True)
    theirs = set(staged.manifest.media_files())
    before = sorted(
        name
        for path in media_root.rglob("*")
        if path.is_file()
        and not path.relative_to(media_root).parts[0].startswith(STAGING_PREFIX)
        and f"media/{(name := path.relative_to(media_root).as_posix())}" not in theirs
    )
    folders = []
    for source in sorted(staged.media.rglob("*")):
        place = media_root / source.relative_to(staged.media)
        if source.is_dir():
            place.mkdir(exist_ok=True)
            folders.append((source, place))
        else:
            source.replace(place)
    # Each folder's times and mode once nothing more moves into it, the deepest first.
    for source, place in [*reversed(folders), (staged.media, media_root)]:
        shutil.copystat(source, place)
    return before


def _check(
    restored: Restored, database: databases.SettingsDict, say: Callable[[str], None]
) -> None:
    """Count what arrived and read every file back: what the restore says, it has checked."""
    manifest = restored.manifest
    with databases.connected(database) as connection:
        counts = databases.row_counts(connection)
    wrong = [
        f"{table} has {counts.get(table, 'no table and so no')} rows, the backup {rows}"
        for table, rows in manifest.rows.items()
        if counts.get(table) != rows
    ]
    if wrong:
        raise BackupError(
            f"The database was restored, but {len(wrong)} table(s) differ from the backup: "
            + "; ".join(wrong[:5])
        )
    media = manifest.media_files()
    for name, entry in media.items():
        path = restored.media_root.joinpath(*name.split("/")[1:])
        if not path.is_file() or sha256_of(path) != entry["sha256"]:
            raise BackupError(f"The files were restored, but {path} differs from the backup.")
    say(
        f"Restored the backup made {when(manifest.made_at)}, of a Tandem with "
        f"{counted(sum(len(n) for n in manifest.migrations.values()), 'migration')} applied:"
    )
    say(
        f"- {restored.database}: {counted(len(manifest.rows), 'table')}, "
        f"{counted(sum(manifest.rows.values()), 'row')}; every table's count is the backup's."
    )
    say(
        f"- the media folder {restored.media_root}: {counted(len(media), 'file')}, "
        f"{in_words(sum(e['size'] for e in media.values()))}; every file's sha256 is the "
        "backup's."
    )
    if restored.other_tables:
        say(
            f"- left as they were: {len(restored.other_tables)} tables the backup does not "
            f"have ({', '.join(restored.other_tables[:5])})."
        )
    if other := restored.other_files:
        more = f" and {len(other) - 5} more" if len(other) > 5 else ""
        say(
            f"- left as they were: {counted(len(other), 'file')} the backup does not have "
            f"({', '.join(other[:5])}{more})."
        )
    for line in [*manifest.elsewhere, *manifest.skipped]:
        say(f"- not in the backup, so not restored: {line}")
    if restored.to_migrate:
        say(
            f"This code has {restored.to_migrate} migration(s) the backup had not applied: "
            "run `manage.py migrate`."
        )
