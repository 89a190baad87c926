"""The replica's lag, sampled on the primary, and a report release followed from the
moment it is committed on the primary to the moment administrators read it from the
replica."""

import statistics
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections

from reports.models import ReportRelease

from .traffic import fetch

POLL = 0.005  # seconds between two looks at a database while a release is awaited
# What the reports promise: a report page read from the replica is at most this far behind
# the primary. A release is made once a week, so a second is nothing to its readers; the
# replica's own replay lag, sampled through every run, stays far below it on this machine.
STATED_LAG = 1.0  # seconds
RELEASED = b">Released "  # the report page's header once a release exists

LAG = """
SELECT EXTRACT(EPOCH FROM replay_lag) * 1000,
       pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)
FROM pg_stat_replication
"""


def connect(conninfo: str):
    """A connection of the driver Django uses (psycopg 2 or 3 take the same conninfo)."""
    link = connections["default"].Database.connect(conninfo)
    link.autocommit = True
    return link


@dataclass
class Lag:
    """pg_stat_replication.replay_lag: from the primary writing WAL to the replica having
    replayed it (NULL, and left out, while no WAL is written)."""

    milliseconds: list[float] = field(default_factory=list)
    bytes_behind: list[float] = field(default_factory=list)
    samples: int = 0

    def percentile(self, share: float) -> float:
        if not self.milliseconds:
            return float("nan")
        ordered = sorted(self.milliseconds)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def median(self) -> float:
        return statistics.median(self.milliseconds) if self.milliseconds else float("nan")

    @property
    def worst(self) -> float:
        return max(self.milliseconds, default=float("nan"))


class LagSampler(threading.Thread):
    def __init__(self, conninfo: str, every: float = 0.5):
        super().__init__(daemon=True)
        self.conninfo = conninfo
        self.every = every
        self.lag = Lag()
        self._halt = threading.Event()

    def run(self) -> None:
        link = connect(self.conninfo)
        try:
            while not self._halt.wait(self.every):
                with link.cursor() as cursor:
                    cursor.execute(LAG)
                    row = cursor.fetchone()
                self.lag.samples += 1
                if row is None:
                    continue  # no replica connected: counted as a sample with nothing
                if row[0] is not None:
                    self.lag.milliseconds.append(float(row[0]))
                if row[1] is not None:
                    self.lag.bytes_behind.append(float(row[1]))
        finally:
            link.close()

    def stop(self) -> Lag:
        self._halt.set()
        self.join()
        return self.lag


@dataclass
class Sighting:
    """When (time.monotonic()) the first release of the district was seen where."""

    asked: float = 0.0
    primary: float | None = None
    replica: float | None = None
    page: float | None = None
    page_requests: int = 0


def _poll(alias: str, district_id: int, deadline: float) -> float | None:
    try:
        while time.monotonic() < deadline:
            if ReportRelease.objects.using(alias).filter(district_id=district_id).exists():
                return time.monotonic()
            time.sleep(POLL)
        return None
    finally:
        connections.close_all()  # this thread's connections


def follow_release(
    *, district_id: int, port: int, page: str, cookies: str, ask, seconds: float = 60
) -> Sighting:
    """Calls `ask()` (which has the release made on the primary), then looks for it on the
    primary, on the replica (settings.REPORTS_DATABASE) and on the administrator's report
    page through the balancer, all at once, until each has seen it."""
    sighting = Sighting()
    deadline = time.monotonic() + seconds

    def on(alias, name):
        setattr(sighting, name, _poll(alias, district_id, deadline))

    def on_page():
        while time.monotonic() < deadline:
            status, _, _, data = fetch(port, page, cookies)
            sighting.page_requests += 1
            if status == 200 and RELEASED in data:
                sighting.page = time.monotonic()
                return

    lookers = [
        threading.Thread(target=on, args=("default", "primary")),
        threading.Thread(target=on, args=(settings.REPORTS_DATABASE, "replica")),
        threading.Thread(target=on_page),
    ]
    sighting.asked = time.monotonic()
    ask()
    for looker in lookers:
        looker.start()
    for looker in lookers:
        looker.join()
    return sighting
