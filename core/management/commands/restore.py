"""`manage.py restore`: a backup into a fresh database and media folder (README "Backups")."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from core.backups import BackupError, databases
from core.backups.restore import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database and an empty "
        "media folder, checking every file's sha256 before anything changes and every "
        "table's rows after."
    )
    # Checks may read the database this command is about to fill.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("backup", type=Path, help="The backup file.")
        parser.add_argument(
            "--identity", type=Path, help="The age key file that opens an encrypted backup."
        )
        parser.add_argument(
            "--database-url",
            help="Restore into this database rather than DATABASE_URL's (to try a restore "
            "beside the live site).",
        )
        parser.add_argument(
            "--media-root", type=Path, help="Restore the media into this folder, not MEDIA_ROOT."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore into a database that holds Tandem's tables (the backup's tables "
            "are replaced) or a media folder that holds files (the backup's are put over "
            "any of the same name).",
        )

    def handle(
        self,
        *args: Any,
        backup: Path,
        identity: Path | None,
        database_url: str | None,
        media_root: Path | None,
        force: bool,
        **options: Any,
    ) -> None:
        try:
            database = (
                databases.settings_from_url(database_url)
                if database_url
                else dict(connections["default"].settings_dict)
            )
            # A SQLite file about to be replaced must not stay open here.
            connections.close_all()
            restored = backup_restore(
                archive=backup,
                database=database,
                media_root=media_root or Path(settings.MEDIA_ROOT),
                identity=identity,
                force=force,
                say=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        if restored.vendor == "postgresql":
            self.stdout.write(
                "If reports read through their own role (REPORTS_DATABASE_URL), make it "
                "again: `manage.py create_reports_role` (a backup keeps no roles or grants)."
            )
