import os
import signal
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devdata.cluster import run


class Command(BaseCommand):
    help = (
        "The load run of `make cluster` (deploy/cluster.sh, which brings up the rest): start "
        "two web nodes behind HAProxy, send signed-in coaches' and teachers' requests through "
        "it, stop one node and start it again, and follow a report release to the replica."
    )

    def add_arguments(self, parser):
        parser.add_argument("--balancer", type=int, required=True, help="HAProxy's port")
        parser.add_argument(
            "--web", action="append", required=True, help="a node, as name=port (twice)"
        )
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
        parser.add_argument("--run-dir", required=True, help="where pid files and logs go")
        parser.add_argument("--haproxy-socket", required=True)
        parser.add_argument("--haproxy-log", required=True)
        parser.add_argument("--seconds", type=float, default=20, help="length of each phase")
        parser.add_argument("--teachers", type=int, default=8, help="teachers signed in")
        parser.add_argument(
            "--monitor",
            default=os.environ.get("CLUSTER_MONITOR", ""),
            help="conninfo of a superuser on the primary (default: $CLUSTER_MONITOR)",
        )
        parser.add_argument(
            "--watch",
            action="append",
            default=[],
            help="a piece whose CPU is counted, as name=pid-file (its processes' tree)",
        )
        parser.add_argument(
            "--hold", action="store_true", help="keep the nodes up after the run, until stopped"
        )
        parser.add_argument(
            "--password",
            default=os.environ.get("SCALE_PASSWORD", "tandem-scale"),
            help="the password seed_scale was given",
        )

    def handle(self, *args, web, balancer, workers, run_dir, haproxy_socket, haproxy_log,
               seconds, teachers, monitor, password, watch, hold, **options):  # fmt: skip
        if connection.vendor != "postgresql" or len(web) != 2 or not monitor:
            raise CommandError(
                "The cluster run needs PostgreSQL, two --web nodes and --monitor: run it "
                "through `make cluster`."
            )
        webs = [(name, int(port)) for name, _, port in (w.partition("=") for w in web)]
        # deploy/cluster.sh stops the run with SIGTERM: leave through the `with` blocks, which
        # stop the web nodes, rather than dying where it stands.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        try:
            ok = run.run(
                balancer_port=balancer,
                webs=webs,
                workers=workers,
                run_dir=run_dir,
                haproxy_socket=haproxy_socket,
                haproxy_log=haproxy_log,
                seconds=seconds,
                teachers=teachers,
                monitor=monitor,
                password=password,
                watch=[tuple(w.split("=", 1)) for w in watch],
                hold=hold,
                report=self.stdout.write,
            )
        except RuntimeError as failure:  # what the run found wrong, said plainly
            raise CommandError(str(failure)) from failure
        if not ok:
            raise CommandError("The cluster run did not find what it promises (see above).")
        self.stdout.write(self.style.SUCCESS("The cluster run found what it promises."))
