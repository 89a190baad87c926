"""The backup file: a tar, written and read as a stream.

In order it holds `tandem-backup.json` (what this file is, so a wrong file is told apart at
once), the database (`database.dump` from pg_dump, or `database.sqlite3`), the media folder
under `media/`, and `manifest.json` last: migrations, rows per table, and the size and
sha256 of every file. The manifest comes last because each file's hash is taken while the
file is streamed into the archive, so a video is read once and never held in memory; a
restore stages every file and checks it against the manifest before it changes anything.
"""

import hashlib
import io
import json
import os
import tarfile
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from . import BackupError

FORMAT = "tandem-backup"
VERSION = 1
HEADER = "tandem-backup.json"
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
CHUNK = 1024 * 1024
# A restore stages what it reads in a folder of this name inside the media folder (or
# beside it), on the same file system, so that putting files in place is a rename.
STAGING_PREFIX = ".tandem-restore-"
# The header is a few lines; a manifest lists every file, ~150 bytes each.
HEADER_LIMIT = 64 * 1024
MANIFEST_LIMIT = 512 * 1024 * 1024


@dataclass
class Manifest:
    made_at: str
    database: dict[str, str]
    migrations: dict[str, list[str]]
    rows: dict[str, int]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    # What this installation keeps outside the backup (a video bucket), in words.
    elsewhere: list[str] = field(default_factory=list)
    # What was in the media folder and is not in the backup (symbolic links), in words.
    skipped: list[str] = field(default_factory=list)

    def to_json(self) -> bytes:
        return sealed({"format": FORMAT, "version": VERSION, **self.__dict__})

    @classmethod
    def from_json(cls, data: bytes) -> "Manifest":
        try:
            raw = _tandem_json(data)
        except ValueError as error:
            raise BackupError("Its manifest is damaged: it cannot be read.") from error
        if raw.pop("manifest_sha256", None) != _sha256_of_json(raw):
            raise BackupError(
                "Its manifest is damaged: it is not what the backup wrote (its sha256 "
                "differs). The file was changed since it was made."
            )
        try:
            manifest = cls(
                made_at=str(raw["made_at"]),
                database={str(k): str(v) for k, v in raw["database"].items()},
                migrations={str(k): [str(n) for n in v] for k, v in raw["migrations"].items()},
                rows={str(k): int(v) for k, v in raw["rows"].items()},
                files={
                    str(name): {"size": int(entry["size"]), "sha256": str(entry["sha256"])}
                    for name, entry in raw["files"].items()
                },
                elsewhere=[str(line) for line in raw.get("elsewhere", [])],
                skipped=[str(line) for line in raw.get("skipped", [])],
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise BackupError(
                "Its manifest is not one this Tandem can read: it was not made by `manage.py "
                "backup`."
            ) from error
        if manifest.database.get("vendor") not in DATABASE_FILES:
            raise BackupError("Its manifest names no database Tandem knows.")
        return manifest

    @property
    def vendor(self) -> str:
        return self.database["vendor"]

    def media_files(self) -> dict[str, dict[str, Any]]:
        return {n: e for n, e in self.files.items() if n.startswith(f"{MEDIA}/")}


def header(vendor: str, made_at: str) -> bytes:
    return json.dumps(
        {"format": FORMAT, "version": VERSION, "made_at": made_at, "database": vendor}
    ).encode()


def sealed(content: dict[str, Any]) -> bytes:
    """A manifest's JSON with its own sha256: the row counts are checked only once the
    database is restored, so a manifest changed since must be caught before anything is."""
    content = {k: v for k, v in content.items() if k != "manifest_sha256"}
    return _json({**content, "manifest_sha256": _sha256_of_json(content)})


def _json(content: dict[str, Any]) -> bytes:
    return json.dumps(content, indent=1, sort_keys=True).encode()


def _sha256_of_json(content: dict[str, Any]) -> str:
    return hashlib.sha256(_json(content)).hexdigest()


def _tandem_json(data: bytes) -> dict[str, Any]:
    raw = json.loads(data)
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ValueError("not a Tandem backup")
    if raw.get("version") != VERSION:
        raise BackupError(
            f"This backup is in version {raw.get('version')} of the format; this Tandem "
            f"reads version {VERSION}. Restore it with the Tandem that made it."
        )
    return raw


class _Hashing:
    """A file read through once, on its way into the archive, hashed as it goes."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha256.update(data)
        return data


class ArchiveWriter:
    """Writes the archive to a stream (a file, or age's input) in one pass."""

    def __init__(self, sink: IO[bytes]) -> None:
        # PAX: names of any length and alphabet, and files over 8 GiB (a large dump).
        self.tar = tarfile.open(  # noqa: SIM115 # closed by close()
            fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT, bufsize=CHUNK
        )
        self.files: dict[str, dict[str, Any]] = {}

    def add_bytes(self, name: str, data: bytes, mtime: float) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = len(data), mtime, 0o600
        self.tar.addfile(info, io.BytesIO(data))

    def add_folder(self, name: str, path: Path) -> None:
        # Gone since it was listed, with what it held: nothing to add.
        with suppress(FileNotFoundError):
            self.tar.addfile(self.tar.gettarinfo(str(path), arcname=name))

    def add_file(self, name: str, path: Path) -> int:
        """Stream the file in, hashing it; returns its size. A file gone since it was listed
        (an export expired, a video deleted) is passed over and gives -1."""
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            return -1
        except OSError as error:
            raise BackupError(f"Cannot read {path}: {error.strerror}.") from error
        with handle:
            info = self.tar.gettarinfo(arcname=name, fileobj=handle)
            reader = _Hashing(handle)
            try:
                self.tar.addfile(info, reader)
            except OSError as error:
                # tarfile wrote the header with the size it saw: the archive cannot go on.
                raise BackupError(
                    f"{path} changed while it was being read ({error}); run the backup again."
                ) from error
        self.files[name] = {"size": info.size, "sha256": reader.sha256.hexdigest()}
        return info.size

    def close(self) -> None:
        self.tar.close()


def media_entries(root: Path) -> Iterator[tuple[str, Path, str]]:
    """Every folder and file under `root`, each folder before what it holds, as (archive
    name, path, "folder" | "file" | "other"). Symbolic links are not followed, since one
    could point anywhere on the server: they are "other", as are sockets and devices."""
    yield MEDIA, root, "folder"
    for folder, subfolders, files in os.walk(root, onerror=_unreadable):
        here = Path(folder)
        name = PurePosixPath(MEDIA, here.relative_to(root).as_posix())
        if here == root:
            # A restore under way in this folder stages what it reads there.
            subfolders[:] = [s for s in subfolders if not s.startswith(STAGING_PREFIX)]
        subfolders.sort()
        for entry in [*subfolders, *sorted(files)]:
            yield str(name / entry), here / entry, _kind(here / entry)


def _unreadable(error: OSError) -> None:
    # os.walk would pass over a folder it cannot read, and the backup miss it in silence.
    raise BackupError(f"Cannot read the folder {error.filename}: {error.strerror}.")


def _kind(path: Path) -> str:
    if path.is_symlink():
        return "other"
    if path.is_dir():
        return "folder"
    return "file" if path.is_file() else "other"


@dataclass
class Staged:
    """What a restore read from the archive into its staging folder, every file checked."""

    manifest: Manifest
    database: Path
    media: Path
    folders: int


def stage(stream: IO[bytes], staging: Path, expect_vendor: str) -> Staged:
    """Read the whole archive into `staging`, checking the name, kind and hash of every
    entry against the manifest. Raises BackupError on anything that is not exactly a
    backup; `staging` is the caller's to remove."""
    try:
        return _stage(stream, staging, expect_vendor)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(
            f"It is damaged or cut short: it stops being a readable archive ({error})."
        ) from error


def _stage(stream: IO[bytes], staging: Path, expect_vendor: str) -> Staged:
    try:
        tar = tarfile.open(fileobj=stream, mode="r|", bufsize=CHUNK)  # noqa: SIM115
    except tarfile.ReadError as error:
        raise BackupError(NOT_A_BACKUP) from error
    seen: dict[str, dict[str, Any]] = {}
    manifest: Manifest | None = None
    vendor = ""
    folders: list[tuple[Path, tarfile.TarInfo]] = []
    with tar:
        for member in tar:
            if not vendor:
                vendor = _read_header(tar, member)
                if vendor != expect_vendor:
                    raise BackupError(
                        f"It is a backup of a {VENDOR_NAMES[vendor]} database, and the "
                        f"database to restore into is {VENDOR_NAMES[expect_vendor]}."
                    )
                continue
            if manifest is not None:
                raise BackupError(f"It holds “{member.name}” after its manifest.")
            if member.name == MANIFEST and member.isfile():
                manifest = Manifest.from_json(_read_small(tar, member, MANIFEST_LIMIT))
                continue
            path = _place(staging, member, vendor)
            if member.isdir():
                _make_folder(path)
                folders.append((path, member))
            elif member.isfile():
                seen[member.name] = _write(tar, member, path)
            else:
                raise BackupError(f"It holds “{member.name}”, which is neither file nor folder.")
    if not vendor:
        raise BackupError(NOT_A_BACKUP)
    if manifest is None:
        raise BackupError(
            "It ends before its manifest: the file was cut short (copied or uploaded only in "
            "part) or damaged."
        )
    if DATABASE_FILES[vendor] not in manifest.files:
        raise BackupError("Its manifest names no database.")
    _compare(seen, manifest)
    # Folders last: writing their files changed their times, and a read-only one would
    # have refused them.
    for path, member in reversed(folders):
        os.chmod(path, member.mode & 0o777)
        os.utime(path, (member.mtime, member.mtime))
    return Staged(
        manifest=manifest,
        database=staging / DATABASE_FILES[vendor],
        media=staging / MEDIA,
        folders=len(folders),
    )


NOT_A_BACKUP = "It is not a Tandem backup (`manage.py backup` writes one)."


def _read_header(tar: tarfile.TarFile, member: tarfile.TarInfo) -> str:
    if member.name != HEADER or not member.isfile():
        raise BackupError(NOT_A_BACKUP)
    try:
        raw = _tandem_json(_read_small(tar, member, HEADER_LIMIT))
    except ValueError as error:
        raise BackupError(NOT_A_BACKUP) from error
    vendor = raw.get("database")
    if vendor not in DATABASE_FILES:
        raise BackupError(NOT_A_BACKUP)
    return str(vendor)


def _read_small(tar: tarfile.TarFile, member: tarfile.TarInfo, limit: int) -> bytes:
    if member.size > limit:
        raise BackupError(f"Its {member.name} is far larger than any Tandem writes.")
    handle = tar.extractfile(member)
    data = handle.read() if handle else b""
    if len(data) != member.size:
        raise BackupError(f"It is cut short in its {member.name}.")
    return data


def _place(staging: Path, member: tarfile.TarInfo, vendor: str) -> Path:
    """Where an entry is staged: only the names a backup holds, and never outside."""
    name = PurePosixPath(member.name)
    parts = name.parts
    safe = (
        not name.is_absolute()
        and all(part not in ("", ".", "..") and "\\" not in part for part in parts)
        and parts
        and (
            (parts[0] == MEDIA and (len(parts) > 1 or member.isdir()))
            or (member.name == DATABASE_FILES[vendor] and member.isfile())
        )
    )
    if not safe:
        raise BackupError(f"It holds “{member.name}”, which no Tandem backup holds.")
    path = staging.joinpath(*parts)
    if not path.parent.is_dir():
        raise BackupError(f"It holds “{member.name}” before the folder it is in.")
    return path


def _make_folder(path: Path) -> None:
    try:
        path.mkdir(mode=0o700, exist_ok=True)
    except OSError as error:
        raise BackupError(f"Cannot make the folder {path}: {error.strerror}.") from error


def _write(tar: tarfile.TarFile, member: tarfile.TarInfo, path: Path) -> dict[str, Any]:
    source = tar.extractfile(member)
    sha256, written = hashlib.sha256(), 0
    try:
        target = open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")  # noqa: SIM115
    except OSError as error:
        raise BackupError(f"Cannot write {path}: {error.strerror}.") from error
    with target:
        # Reading fails as a damaged archive (stage()); writing, as this folder's trouble.
        while source and (chunk := source.read(CHUNK)):
            sha256.update(chunk)
            written += len(chunk)
            try:
                target.write(chunk)
                if written == member.size:
                    target.flush()
            except OSError as error:
                raise BackupError(f"Cannot write {path}: {error.strerror}.") from error
    if written != member.size:
        raise BackupError(f"It is cut short in “{member.name}”.")
    os.chmod(path, member.mode & 0o777)
    os.utime(path, (member.mtime, member.mtime))
    return {"size": written, "sha256": sha256.hexdigest()}


def _compare(seen: dict[str, dict[str, Any]], manifest: Manifest) -> None:
    missing = sorted(set(manifest.files) - set(seen))
    if missing:
        raise BackupError(
            f"It lacks {len(missing)} file(s) its manifest names, the first “{missing[0]}”: "
            "it is damaged."
        )
    unnamed = sorted(set(seen) - set(manifest.files))
    if unnamed:
        raise BackupError(f"It holds “{unnamed[0]}”, which its manifest does not name.")
    for name, entry in manifest.files.items():
        if seen[name] != entry:
            raise BackupError(
                f"“{name}” is not what was backed up (its sha256 differs from the manifest's): "
                "the backup is damaged."
            )


def sha256_of(path: Path) -> str:
    sha256 = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            sha256.update(chunk)
    return sha256.hexdigest()


def in_words(size: int) -> str:
    """A size as people read it: 4.2 MB (powers of 1000, as file managers show)."""
    amount = float(size)
    for unit in ("bytes", "kB", "MB", "GB"):
        if amount < 1000:
            return f"{amount:.0f} {unit}" if unit == "bytes" else f"{amount:.1f} {unit}"
        amount /= 1000
    return f"{amount:.1f} TB"


def counted(number: int, thing: str) -> str:
    return f"{number:,} {thing}{'' if number == 1 else 's'}"


def when(made_at: str) -> str:
    """The manifest's instant as people read it: 2026-11-23 05:30 UTC."""
    return f"{made_at[:10]} {made_at[11:16]} UTC"
