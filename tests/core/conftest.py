"""What the backup tests share: an installation whose files are on disk under its media
folder, as in production, a fresh database to restore into, and the means to compare two
installations row by row and byte by byte."""

import io
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

from core.backups.databases import connected, settings_from_url

age_missing = shutil.which("age") is None or shutil.which("age-keygen") is None
needs_age = pytest.mark.skipif(age_missing, reason="age is not installed (apt-get install age)")


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """MEDIA_ROOT with every file store in it, as the production settings have them: the
    prepared downloads at its top and lesson video in video/."""
    root = tmp_path / "site" / "media"
    settings.MEDIA_ROOT = str(root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
        "video": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root / "video"), "base_url": None},
        },
    }
    return root


@pytest.fixture
def restore_target(tmp_path):
    """A URL for a new, empty database to restore into, beside the test database and named
    after it (so pytest-xdist's processes never share one); dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'tandem.sqlite3'}"
        return
    given = connection.settings_dict
    name = f"{given['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{quote(given['PASSWORD'], safe='')}" if given["PASSWORD"] else ""
    port = f":{given['PORT']}" if given["PORT"] else ""
    yield f"postgres://{quote(given['USER'], safe='')}{password}@{given['HOST']}{port}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def backup(to: Path, *args: str) -> Path:
    """`manage.py backup` into the folder `to`; the file it wrote."""
    to.mkdir(exist_ok=True)
    call_command("backup", str(to), *args, stdout=io.StringIO())
    (made,) = to.iterdir()
    return made


def restore(archive: Path, url: str, media: Path, *args: str) -> str:
    """`manage.py restore` into the database at `url` and the folder `media`; what it said."""
    said = io.StringIO()
    call_command(
        "restore", str(archive), "--database-url", url, "--media-root", str(media), *args,
        stdout=said,
    )  # fmt: skip
    return said.getvalue()


def every_row(url: str | None = None) -> dict[str, list[tuple]]:
    """Every row of every table, and where each sequence stands: of the test database, or of
    the one at `url`. Rows are sorted, since a restore need not keep their physical order."""
    settings_dict = settings_from_url(url) if url else dict(connection.settings_dict)
    with connected(settings_dict) as database:
        quote_name = database.ops.quote_name
        everything = {}
        with database.cursor() as cursor:
            for table in database.introspection.table_names(cursor):
                cursor.execute(f"SELECT * FROM {quote_name(table)}")  # noqa: S608
                everything[table] = sorted(cursor.fetchall(), key=repr)
            if database.vendor == "postgresql":
                cursor.execute("SELECT sequencename, last_value FROM pg_sequences")
            else:
                cursor.execute("SELECT name, seq FROM sqlite_sequence")
            everything["(sequences)"] = sorted(cursor.fetchall(), key=repr)
    return everything


def every_file(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (its path there) with all its bytes; every folder too."""
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): b"(folder)" if path.is_dir() else path.read_bytes()
        for path in sorted(folder.rglob("*"))
    }
