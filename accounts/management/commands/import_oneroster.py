"""Import a OneRoster 1.2 package for a district, from the command line."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from accounts.models import District, RosterImport
from accounts.oneroster.planning import HEADINGS, NOTES, say
from accounts.oneroster.services import (
    roster_package_discard,
    roster_package_import,
    roster_package_preview,
)


class Command(BaseCommand):
    help = (
        "Apply a OneRoster 1.2 CSV package (a ZIP) to a district, named by its id, its "
        "sourcedId or its name. With --dry-run, only say what it would change."
    )

    def add_arguments(self, parser):
        parser.add_argument("district")
        parser.add_argument("package", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Change nothing.")

    def handle(self, *args, district, package, dry_run, **options):
        query = Q(sourced_id=district) | Q(name=district)
        if district.isdigit():
            query |= Q(pk=int(district))
        found = list(District.objects.filter(query)[:2])
        if len(found) != 1:
            raise CommandError(f"No one district is “{district}”.")
        if not package.is_file():
            raise CommandError(f"{package} is not a file.")
        verb = roster_package_preview if dry_run else roster_package_import
        with package.open("rb") as upload:
            record, plan = verb(
                actor=None,
                district=found[0],
                upload=upload,
                file_name=package.name,
                source=RosterImport.Source.COMMAND,
            )
        for name, count in plan.counts().items():
            self.stdout.write(f"{name.replace('_', ' ')}: {count}")
        if plan.refusals:
            for refusal in plan.refusals:
                self.stderr.write(str(refusal))
            raise CommandError(f"Refused: {len(plan.refusals)} problem(s); nothing changed.")
        if dry_run:
            roster_package_discard(actor=None, record=record)
            self._rows(plan, applied=False)
            self.stdout.write("Dry run: nothing changed.")
        elif record.status != RosterImport.Status.APPLIED:
            raise CommandError("The district changed while the package was read: run it again.")
        else:
            self._rows(plan, applied=True)
            self.stdout.write(self.style.SUCCESS("Applied."))

    def _rows(self, plan, *, applied):
        """Every row of the plan, as the preview page words them (which shows 50 a list)."""
        for kind, headings in HEADINGS.items():
            rows = getattr(plan, kind)
            if not rows:
                continue
            self.stdout.write(f"\n{headings[applied]}: {len(rows)}")
            if kind in NOTES:
                self.stdout.write(f"({NOTES[kind][applied]})")
            for row in rows:
                self.stdout.write(f"  {say(kind, row)}")
        self.stdout.write("")
