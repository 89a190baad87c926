import os
import platform

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from accounts.models import District, School, User
from devdata.scale import bench
from devdata.scale.generate import MAIN_DISTRICT
from observations.models import Observation


class Command(BaseCommand):
    help = (
        "Serve the generated district with gunicorn (production settings) and measure each "
        "page under load next to /healthz and a floor page: CPU per request of the web "
        "workers and PostgreSQL, p95 at a fixed offered rate, req/s, share of /healthz, "
        "latencies, queries."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=10, help="length of each phase")
        parser.add_argument("--rounds", type=int, default=3, help="healthz/page rounds per page")
        parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
        parser.add_argument(
            "--rate",
            type=float,
            default=20,
            help="requests a second offered in the open loop (default 20: a large district's "
            "peak on one node, DESIGN §7)",
        )
        parser.add_argument(
            "--password",
            default=os.environ.get("SCALE_PASSWORD", "tandem-scale"),
            help="the password seed_scale was given (default: $SCALE_PASSWORD or tandem-scale)",
        )

    def handle(self, *args, seconds, rounds, clients, workers, rate, password, **options):
        if min(seconds, rounds, clients, workers, rate) <= 0:
            raise CommandError("--seconds, --rounds, --clients, --workers and --rate are > 0.")
        if connection.vendor != "postgresql":
            raise CommandError(
                "The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://... to the "
                "database seed_scale filled."
            )
        tables = connection.introspection.table_names()
        if (
            District._meta.db_table not in tables
            or not District.objects.filter(name=MAIN_DISTRICT[0]).exists()
        ):
            raise CommandError(
                "This database holds no generated district. Fill it first (3 to 4 minutes "
                "at full size):\n  python manage.py migrate\n  python manage.py seed_scale "
                "--schools 200 --teachers 20000 --observations 1000000"
            )
        # Per page: a second of warming up, then /healthz, the closed and the open loop.
        minutes = bench.PAGE_COUNT * (min(1, seconds) + rounds * 3 * seconds) / 60
        self.stdout.write(
            f"{timezone.localdate():%Y-%m-%d}, {os.cpu_count()} cores, "
            f"{platform.python_implementation()} {platform.python_version()}, "
            f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}; "
            f"{School.objects.count():,} schools, {User.objects.count():,} people, "
            f"{Observation.objects.count():,} observations. {clients} clients, then "
            f"{rate:g} req/s offered; {rounds} round{'s' * (rounds != 1)} of {seconds:g} s "
            f"each per page and /healthz: "
            f"about {max(round(minutes), 1)} minute{'s' * (max(round(minutes), 1) != 1)}."
        )
        try:
            results = bench.run(
                password=password,
                seconds=seconds,
                rounds=rounds,
                clients=clients,
                workers=workers,
                rate=rate,
                report=lambda line: self.stdout.write(f"  {line}"),
            )
        except RuntimeError as failure:  # what the benchmark found wrong, said plainly
            raise CommandError(str(failure)) from failure
        self.stdout.write("\n" + bench.table(results, clients=clients, rate=rate, seconds=seconds))
        failed = [r for r in results if r.errors]
        for r in failed:
            self.stderr.write(f"{r.page.name}: {r.errors} errors, the first: {r.first_error}")
        if failed:
            raise CommandError("Some requests failed.")
