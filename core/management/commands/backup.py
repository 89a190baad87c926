"""`manage.py backup`: the database and the media folder in one file (README "Backups")."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from core.backups import BackupError, databases
from core.backups.make import backup_make


class Command(BaseCommand):
    help = (
        "Write a backup of this Tandem: its database (pg_dump's custom format, or a copy of "
        "the SQLite file) and its media folder, lesson video included when it is kept on "
        "disk, in one file; encrypted with age to the recipients given."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "to",
            type=Path,
            help="The file to write, or a folder to write tandem-backup-<when>.tar[.age] in.",
        )
        parser.add_argument(
            "--recipient",
            action="append",
            default=[],
            help="Encrypt to this age public key (age1...) or SSH public key; repeatable.",
        )
        parser.add_argument(
            "--recipients-file", type=Path, help="Encrypt to every public key in this file."
        )
        parser.add_argument(
            "--database-url",
            help="Back up this database rather than DATABASE_URL's (say, the primary "
            "directly rather than through PgBouncer).",
        )

    def handle(
        self,
        *args: Any,
        to: Path,
        recipient: list[str],
        recipients_file: Path | None,
        database_url: str | None,
        **options: Any,
    ) -> None:
        try:
            database = (
                databases.settings_from_url(database_url)
                if database_url
                else dict(connections["default"].settings_dict)
            )
            backup_make(
                database=database,
                media_root=Path(settings.MEDIA_ROOT),
                to=to,
                recipients=recipient,
                recipients_file=recipients_file,
                say=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        except KeyboardInterrupt:
            raise CommandError("Stopped (Ctrl-C): no backup was written.") from None
