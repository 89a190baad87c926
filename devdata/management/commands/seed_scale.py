import time

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction

from accounts.models import District, School, User
from devdata.scale import actors
from devdata.scale.generate import DOMAIN, TOTP_KEY, Generator
from devdata.scale.plan import Sizes
from reports.releases import release_district

# Kept by --force: what migrations put there, not data.
KEPT_TABLES = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
}


class Command(BaseCommand):
    help = (
        "Generate a district at scale (schools, people, years of coaching records) in an "
        "empty database, for the benchmark (`manage.py bench`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=200)
        parser.add_argument("--teachers", type=int, default=20_000)
        parser.add_argument("--observations", type=int, default=1_000_000)
        parser.add_argument("--coaches", type=int, help="default: two per school")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same data")
        parser.add_argument("--password", default="tandem-scale", help="everyone's password")
        parser.add_argument(
            "--no-release",
            action="store_true",
            help="leave the reports' first release to the schedule, which checks every hour "
            "for a district without one, as it does for a new district; releases are weekly "
            "after that (make cluster watches the first reach the replica)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="empty the database first (every person, school and record in it)",
        )

    def handle(self, *args, schools, teachers, observations, coaches, seed, password, force,
               no_release, **options):  # fmt: skip
        if min(schools, teachers, observations) < 1 or (coaches is not None and coaches < 1):
            raise CommandError("Sizes must be at least 1.")
        if teachers < schools:
            raise CommandError("Give at least one teacher per school.")
        sizes = Sizes.of(
            schools=schools,
            teachers=teachers,
            observations=observations,
            coaches=coaches,
            seed=seed,
        )
        self._make_room(force)
        started = time.monotonic()
        self.stdout.write(
            f"Generating {sizes.schools:,} schools, {sizes.teachers:,} teachers, "
            f"{sizes.coaches:,} coaches and {sizes.observations:,} observations "
            f"(seed {sizes.seed}) on {connection.vendor}."
        )
        with transaction.atomic():
            counts = Generator(sizes, password=password, report=self.stdout.write).run()
        if connection.vendor == "postgresql":
            self.stdout.write(f"{time.monotonic() - started:7.1f} s  ANALYZE")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        # What the Monday schedule would make: the reports' first release.
        for district in District.objects.all() if not no_release else []:
            self.stdout.write(f"{time.monotonic() - started:7.1f} s  report release")
            release_district(district)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Done in {elapsed / 60:.1f} minutes ({elapsed:.0f} s).")
        )
        for label, count in counts.items():
            self.stdout.write(f"  {count:>12,}  {label}")
        self._introduce(password)

    def _make_room(self, force):
        people, schools = User.objects.count(), School.objects.count()
        if not (people or schools):
            return
        scale = User.objects.filter(email__endswith=f"@{DOMAIN}").exists()
        what = "generated scale data" if scale else "other data"
        if not force:
            raise CommandError(
                f"This database already holds {what} ({people:,} people, {schools:,} schools). "
                "seed_scale writes into an empty database: use another one, or add --force "
                "to empty this one first."
            )
        tables = [
            table
            for table in connection.introspection.django_table_names(only_existing=True)
            if table not in KEPT_TABLES
        ]
        self.stdout.write(
            f"--force: emptying {len(tables)} tables of this database ({people:,} people, "
            f"{schools:,} schools and every record of theirs) before generating."
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Rows written earlier in this transaction (a release's) still have their
                # deferred key checks pending, and PostgreSQL will not truncate under them.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for sql in connection.ops.sql_flush(
                no_style(), tables, reset_sequences=True, allow_cascade=True
            ):
                cursor.execute(sql)

    def _introduce(self, password):
        found = actors.find()
        self.stdout.write(
            f'\nSign in with the password "{password}" as, for example:\n'
            f"  coach                   {found.coach.email}\n"
            f"  teacher                 {found.teacher.email}\n"
            f"  school administrator    {found.school_admin.email}\n"
            f"  district administrator  {found.district_admin.email}\n"
            f"Administrators' authenticator key (hex): {TOTP_KEY}; the current code: "
            "manage.py two_step_code <e-mail>"
        )
