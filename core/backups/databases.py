"""The database half of a backup: what it holds, and moving it out and back in.

PostgreSQL through its own tools (pg_dump's custom format, pg_restore) of the server's
major version; SQLite through sqlite3's backup API. Each is read through a connection of
the backup's own, opened from settings or a URL with whichever driver Django is set up
with, so a backup neither sees nor disturbs a transaction of the process that runs it,
and a restore can aim at a database the installation is not configured for.
"""

import functools
import os
import re
import shutil
import sqlite3

# PostgreSQL's tools, run with list argvs, never through a shell.
import subprocess  # nosec B404
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import environ
from django.apps import apps
from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.client import DatabaseClient
from django.db.utils import ConnectionHandler, load_backend

from . import BackupError

SettingsDict = dict[str, Any]
# A name no settings use, so nothing that asks `connections` by alias reaches this one.
ALIAS = "tandem-backup"
POSTGRES_HOME = Path("/usr/lib/postgresql")


SCHEMES = ("postgres", "postgresql", "sqlite")


def settings_from_url(url: str) -> SettingsDict:
    scheme = url.partition("://")[0] if "://" in url else ""
    if scheme not in SCHEMES:
        # The URL itself is not repeated: it may hold a password.
        raise BackupError(
            "That is not a database URL Tandem reads: give postgres://user@host/name or "
            "sqlite:////path/to/file.sqlite3."
        )
    try:
        return dict(environ.Env.db_url_config(url))
    except (KeyError, ValueError) as error:
        raise BackupError(f"That is not a database URL Tandem reads ({error}).") from error


def describe(settings_dict: SettingsDict) -> str:
    """The database in words that name no password."""
    name = settings_dict.get("NAME") or "?"
    if "sqlite" in settings_dict.get("ENGINE", ""):
        return f"the SQLite database {name}"
    where = settings_dict.get("HOST") or "the local socket"
    port = settings_dict.get("PORT")
    return f"the database “{name}” on {where}{f':{port}' if port else ''}"


@contextmanager
def connected(settings_dict: SettingsDict) -> Iterator[BaseDatabaseWrapper]:
    # One connection, held for the whole dump or restore: never one from a pool.
    options = {k: v for k, v in (settings_dict.get("OPTIONS") or {}).items() if k != "pool"}
    # ConnectionHandler fills in the defaults Django's backends expect.
    configured = ConnectionHandler({"default": {**settings_dict, "OPTIONS": options}}).settings[
        "default"
    ]
    connection = load_backend(configured["ENGINE"]).DatabaseWrapper(configured, ALIAS)
    if connection.vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups know PostgreSQL and SQLite, not {connection.vendor}.")
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        raise BackupError(
            f"Cannot connect to {describe(settings_dict)}: {error}".strip()
        ) from error
    try:
        yield connection
    finally:
        connection.close()


def tables(connection: BaseDatabaseWrapper) -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def row_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            # The name comes from the database's own catalogue, quoted.
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 # nosec B608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def applied_migrations(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    """Tandem's migration state, read with SQL: Django's MigrationRecorder asks the
    installation's connections by alias, not this one."""
    applied: dict[str, list[str]] = {}
    if "django_migrations" not in tables(connection):
        return applied
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            applied.setdefault(app, []).append(name)
    return applied


def target_tables(settings_dict: SettingsDict) -> tuple[str, list[str]]:
    """The vendor of a database to restore into, and the tables it holds now. A SQLite
    file is looked at without being made, where there is none yet."""
    if "sqlite" in settings_dict.get("ENGINE", ""):
        path = sqlite_path(settings_dict)
        if not path.exists():
            return "sqlite", []
        with connected(_sqlite_settings(path)) as connection:
            return "sqlite", tables(connection)
    with connected(settings_dict) as connection:
        return connection.vendor, tables(connection)


def tandem_tables() -> set[str]:
    """The tables this code's models and migrations keep, whatever app they belong to."""
    models = apps.get_models(include_auto_created=True)
    return {"django_migrations", *(model._meta.db_table for model in models)}


@dataclass
class Dumped:
    """A database written to a file, and what it held when it was written."""

    rows: dict[str, int]
    migrations: dict[str, list[str]]
    details: dict[str, str]


# PostgreSQL ---------------------------------------------------------------------------


def server_version(connection: BaseDatabaseWrapper) -> tuple[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num'), version()")
        number, words = cursor.fetchone()
    # "PostgreSQL 15.20 (Debian 15.20-0+deb12u1) on x86_64-pc-linux-gnu, ..." → "15.20"
    return int(number) // 10000, str(words).split()[1]


def postgres_tool(name: str, major: int) -> str:
    """pg_dump or pg_restore of the server's major version (pg_dump refuses a server newer
    than itself, pg_restore an archive from a newer pg_dump), else the oldest newer one.
    Debian keeps each version's tools in /usr/lib/postgresql/<v>/bin."""
    found: list[tuple[int, str]] = []
    for folder in POSTGRES_HOME.glob("*/bin"):
        tool = folder / name
        if folder.parent.name.isdigit() and os.access(tool, os.X_OK):
            found.append((int(folder.parent.name), str(tool)))
    on_path = shutil.which(name)
    if on_path:
        version = _tool_major(on_path)
        if version is not None:
            found.append((version, on_path))
    usable = sorted(v for v in found if v[0] >= major)
    if not usable:
        have = ", ".join(f"{tool} ({version})" for version, tool in sorted(found)) or "none"
        raise BackupError(
            f"This needs {name} from PostgreSQL {major} or newer (found: {have}). "
            f"Install it: apt-get install postgresql-client-{major}."
        )
    return usable[0][1]


@functools.cache
def _tool_major(tool: str) -> int | None:
    done = subprocess.run(  # noqa: S603 # nosec B603
        [tool, "--version"], capture_output=True, text=True, check=False
    )
    found = re.search(r"\)\s+(\d+)", done.stdout)
    return int(found.group(1)) if done.returncode == 0 and found else None


def libpq_environment(settings_dict: SettingsDict) -> dict[str, str]:
    """How PostgreSQL's tools reach the database: libpq's variables, so the password is
    never on a command line that `ps` shows. Django's own `dbshell` sets the same."""
    settings_dict = {"OPTIONS": {}, **settings_dict}
    _, secrets = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    environment = {**os.environ, **(secrets or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    if not settings_dict.get("NAME"):
        # pg_restore without a database would print the SQL rather than restore it.
        raise BackupError("Name the database (DATABASE_URL, or --database-url).")
    environment["PGDATABASE"] = str(settings_dict["NAME"])
    return environment


def _run(args: list[str], settings_dict: SettingsDict, what: str) -> None:
    done = subprocess.run(  # noqa: S603 # nosec B603
        args,
        env=libpq_environment(settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        said = done.stderr.strip().replace("\n", " / ") or f"exit code {done.returncode}"
        raise BackupError(f"{what} failed: {said}")


def postgres_dump(settings_dict: SettingsDict, into: Path) -> Dumped:
    """pg_dump in its custom format, and the rows and migrations it holds, all read in one
    snapshot: the counts a restore is checked against are those of the very dump, even
    while people go on working."""
    with connected(settings_dict) as connection:
        major, version = server_version(connection)
        tool = postgres_tool("pg_dump", major)
        connection.set_autocommit(False)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            rows = row_counts(connection)
            migrations = applied_migrations(connection)
            # pg_dump takes the snapshot while this transaction holds it open.
            _run(
                [tool, "--format=custom", "--no-password", f"--snapshot={snapshot}",
                 f"--file={into}"],
                settings_dict,
                "pg_dump",
            )  # fmt: skip
        finally:
            connection.rollback()
    return Dumped(
        rows=rows,
        migrations=migrations,
        details={
            "vendor": "postgresql",
            "server_version": version,
            "tool_major": str(_tool_major(tool) or major),
        },
    )


def postgres_restore(
    settings_dict: SettingsDict, dump: Path, *, replace: bool, made_by: int
) -> str:
    """Restore the dump in one transaction: it all arrives or nothing does. With `replace`
    the backup's tables are dropped and made again in that transaction. Ownership and
    grants are left out, so it restores as whichever role the URL names, on any server;
    the reports' role is made again by `manage.py create_reports_role`."""
    with connected(settings_dict) as connection:
        major, version = server_version(connection)
        tool = postgres_tool("pg_restore", max(major, made_by))
        args = [
            tool, "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
            "--no-password", f"--dbname={settings_dict.get('NAME')}",
        ]  # fmt: skip
        if replace:
            args += ["--clean", "--if-exists"]
            _refuse_other_sessions(connection)
        _run([*args, str(dump)], settings_dict, "pg_restore")
        # pg_restore leaves the planner's statistics empty: queries would be planned blind
        # (DESIGN §7 picks each index from EXPLAIN) until autovacuum came by.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return version


def _refuse_other_sessions(connection: BaseDatabaseWrapper) -> None:
    """Replacing tables someone is reading waits for them, and stalls everyone who comes
    after (the dump sets no lock timeout of its own: it says lock_timeout = 0)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        (others,) = cursor.fetchone()
    if others:
        raise BackupError(
            f"The database is in use: {others} other session(s) are connected to it (the "
            "site, its Celery workers, a psql?). Stop them, then restore again; nothing "
            "was changed."
        )


# SQLite -------------------------------------------------------------------------------


def _sqlite_settings(path: Path) -> SettingsDict:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


def sqlite_copy(settings_dict: SettingsDict, into: Path) -> Dumped:
    """A consistent copy through sqlite3's backup API (safe while the site writes), as one
    self-contained file: its journal is a rollback journal, not the live site's WAL."""
    with connected(settings_dict) as connection:
        version = sqlite3.sqlite_version
        target = sqlite3.connect(into)
        try:
            connection.connection.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    with connected(_sqlite_settings(into)) as copy:
        rows, migrations = row_counts(copy), applied_migrations(copy)
    return Dumped(
        rows=rows,
        migrations=migrations,
        details={"vendor": "sqlite", "server_version": version},
    )


def sqlite_path(settings_dict: SettingsDict) -> Path:
    name = str(settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        raise BackupError("A SQLite database restores into a file; this one is in memory.")
    return Path(name)


def sqlite_restore(settings_dict: SettingsDict, copy: Path) -> str:
    """Put the copy in the database's place in one rename."""
    path = sqlite_path(settings_dict)
    path.parent.mkdir(parents=True, exist_ok=True)
    arriving = path.with_name(f".{path.name}.restoring")
    shutil.copyfile(copy, arriving)
    # A write-ahead log left beside the old file would be replayed into the new one.
    for suffix in ("-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    os.replace(arriving, path)
    return sqlite3.sqlite_version
