"""The benchmark of DESIGN §7: each page under load next to `/healthz` and a floor page, on
the generated district, served as in production.

gunicorn serves the production settings with two sync workers on a free port of
127.0.0.1. For each page, a few rounds of: clients on `/healthz` (a bare Django view: the
ceiling of this server on this machine), then clients on the page (a closed loop), then
the page offered at a fixed rate (an open loop). Around each window on the page, the CPU
time of gunicorn's workers and of the PostgreSQL backends serving them is read from their
own counters, so each page's cost per request is known in milliseconds of CPU, a figure
the neighbours' load does not move the way it moves requests per second; the floor page,
a signed-in page with little more than the navigation, measured the same way, is what
every signed-in page costs. Queries per request are counted in this process, through
Django's test client on the same database.
"""

import math
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import actors as scale_actors
from . import cpu
from .load import Browser, Phase, drive, median, offer
from .server import HEALTHZ, Gunicorn

PAGE_COUNT = 10  # as pages_of lists them
# Tandem has no page of only the navigation; the smallest signed-in one is Django's "password
# changed": the coach's navigation, a heading, a sentence and a link, no query of its own.
FLOOR_PATH = "/accounts/password/done/"


@dataclass
class Page:
    name: str
    persona: str  # an attribute of scale_actors.Actors
    path: str
    floor: bool = False


@dataclass
class Round:
    """One round of a page: the ceiling, the page under closed and open loops, and the CPU
    its server spent on the page's two windows."""

    healthz: Phase
    closed: Phase
    opened: Phase
    web: cpu.Spent
    postgres: cpu.Spent | None  # None where PostgreSQL's processes cannot be read


@dataclass
class Result:
    page: Page
    rate: float
    share: float
    p50: float
    p95: float
    p99: float
    offered_p95: float  # at the fixed rate, latency counted from when each request was due
    web_cpu_ms: float  # per answered request
    pg_cpu_ms: float  # per answered request; NaN where PostgreSQL's processes cannot be read
    ended: int  # processes that ended mid-window, whose last CPU escaped the count
    errors: int
    first_error: str
    queries: int
    sql_ms: float
    healthz: float

    @property
    def cpu_ms(self) -> float:
        return self.web_cpu_ms + self.pg_cpu_ms


def pages_of(found) -> list[Page]:
    if None in (found.cycle, found.observation, found.draft):
        raise RuntimeError(
            "The generated district is too small to find a cycle, a shared observation and a "
            "draft of its first coach: seed a bigger one."
        )
    school, district = found.school.pk, found.district.pk
    return [
        Page("floor (password changed)", "coach", FLOOR_PATH, floor=True),
        Page("coach home", "coach", "/coach/"),
        Page("teacher home", "teacher", "/teacher/"),
        Page("cycle", "coach", f"/cycles/{found.cycle.pk}/"),
        Page("observation detail", "coach", f"/observations/{found.observation.pk}/"),
        Page("capture", "coach", f"/observations/{found.draft.pk}/capture/"),
        Page("school report", "school_admin", f"/reports/schools/{school}/"),
        Page("district report", "district_admin", f"/reports/districts/{district}/"),
        Page("people (district administrator)", "district_admin", "/people/"),
        Page("school report CSV", "school_admin", f"/reports/schools/{school}/export.csv"),
    ]


class _QueryTimer:
    """Counts the queries run on the connection, and how long the database took for them."""

    def __init__(self):
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def count_queries(found, page) -> tuple[int, float]:
    """Queries of one request for the page, and their time in ms, measured in-process once
    the page has been asked for before (report figures computed, caches filled)."""
    user = getattr(found, page.persona)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    client.get(page.path)
    timer = _QueryTimer()
    with connection.execute_wrapper(timer):
        response = client.get(page.path)
    if response.status_code != 200:
        raise RuntimeError(f"{page.path} answered {response.status_code} in-process")
    return timer.count, 1000 * timer.seconds


class Server(Gunicorn):
    """gunicorn with the production settings and their static files, plain HTTP on
    127.0.0.1."""

    def __init__(self, workers: int, report):
        self.report = report
        self.folder = tempfile.TemporaryDirectory(prefix="tandem-bench-")
        # The name its connections give PostgreSQL (libpq reads PGAPPNAME), by which
        # pg_stat_activity tells the backends serving this server from any other.
        self.application_name = f"tandem-bench-{secrets.token_hex(4)}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            # The benchmark speaks plain HTTP on the loopback: no redirect to HTTPS.
            "SECURE_SSL_REDIRECT": "false",
            "PGAPPNAME": self.application_name,
            # Each worker keeps its one connection for the whole run (production renews it
            # every minute), so the backends read before a window are still there to be
            # read after it: a backend that ends mid-window takes its last CPU with it.
            "CONN_MAX_AGE": "3600",
        }
        log = Path(self.folder.name) / "gunicorn.log"
        super().__init__(env=env, log=log, workers=workers, timeout=60)

    def __enter__(self):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        self.report("collectstatic (production storage)")
        subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
            [*manage, "collectstatic", "--no-input", "-v", "0"], env=self.env, check=True
        )
        self.report(f"gunicorn, {self.workers} sync workers, http://127.0.0.1:{self.port}/")
        return super().__enter__()

    def __exit__(self, *exc):
        super().__exit__(*exc)
        self.folder.cleanup()
        return False


def sign_in(port, user, password) -> Browser:
    """Sign in through the server as a person does: the form, then (for administrators)
    the code their authenticator shows now."""
    browser = Browser(port)
    status, _, _ = browser.post_form(
        "/accounts/sign-in/", {"username": user.email, "password": password}
    )
    if status != 302:
        raise RuntimeError(f"{user.email} could not sign in (answer {status}); wrong password?")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        status, _, _ = browser.post_form("/accounts/two-step/", {"code": _fresh_code(device)})
        if status != 302:
            raise RuntimeError(f"{user.email}: the two-step code was refused ({status})")
    return browser


def _fresh_code(device) -> str:
    """The current code, or the next one if the current one was used already: a code
    counts once (a run a few seconds after another would otherwise be refused)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t >= totp.t():
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.5)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


class Meter:
    """The CPU of gunicorn's workers and of the PostgreSQL backends serving them, read from
    /proc/<pid>/stat around a window of load. The backends are those pg_stat_activity lists
    under the server's application name; their counters are readable when PostgreSQL runs
    on this machine, where /proc shows its processes (not in another container)."""

    def __init__(self, master: int, application_name: str):
        self.master = master  # gunicorn's master, whose children are the workers
        self.application_name = application_name
        self.unreadable = ""  # why PostgreSQL's CPU cannot be read, once found

    def backends(self) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = %s",
                [self.application_name],
            )
            return [pid for (pid,) in cursor.fetchall()]

    def read(self) -> tuple[dict[int, int], dict[int, int] | None]:
        web = cpu.ticks_of(cpu.children_of(self.master))
        if self.unreadable:
            return web, None
        pids = self.backends()
        stats = [cpu.stat_of(pid) for pid in pids]
        if any(stat is None or stat.name not in cpu.POSTGRES_NAMES for stat in stats):
            self.unreadable = (
                f"PostgreSQL's backends ({', '.join(map(str, pids))}) are not this machine's "
                "processes: PostgreSQL runs elsewhere (another machine or container), and its "
                "CPU is not counted."
            )
            return web, None
        return web, {stat.pid: stat.ticks for stat in stats if stat}

    def around(self, load: Callable[[], Phase]) -> tuple[Phase, cpu.Spent, cpu.Spent | None]:
        """Runs the load, and says what the workers and the backends spent on it."""
        web_before, pg_before = self.read()
        phase = load()
        web_after, pg_after = self.read()
        pg = None
        if pg_before is not None and pg_after is not None:
            pg = cpu.spent(pg_before, pg_after)
        return phase, cpu.spent(web_before, web_after), pg


def run(*, password, seconds, rounds, clients, workers, rate, report) -> list[Result]:
    found = scale_actors.find()
    pages = pages_of(found)
    measured = {}
    report("queries per request, in-process")
    for page in pages:
        measured[page.name] = count_queries(found, page)
    with Server(workers, report) as server:
        assert server.process is not None  # noqa: S101 (started by Server.__enter__)
        meter = Meter(server.process.pid, server.application_name)
        personas = {page.persona for page in pages}
        browsers = {p: sign_in(server.port, getattr(found, p), password) for p in personas}
        results = []
        for page in pages:
            cookies = browsers[page.persona].cookie_header
            status = browsers[page.persona].request("GET", page.path)[0]
            if status != 200:
                raise RuntimeError(f"{page.path} answered {status} through gunicorn")
            # Not counted: every worker compiles the page's templates and prepares its
            # statements on its connection the first times it serves it.
            drive(server.port, page.path, cookies, clients=clients, seconds=min(1.0, seconds))
            rounds_of_page = []
            for number in range(1, rounds + 1):
                done = _round(server.port, meter, page.path, cookies, clients, seconds, rate)
                rounds_of_page.append(done)
                report(_progress(page, number, rounds, rate, done))
            results.append(_result(page, rounds_of_page, measured[page.name]))
        if meter.unreadable:
            report(meter.unreadable)
        if "reports" in settings.DATABASES:
            report(
                "REPORTS_DATABASE_URL is set: the reports' connection opens and closes within "
                "each request, between two readings, so PG CPU leaves out what it spent."
            )
        return results


def _round(port, meter, path, cookies, clients, seconds, rate) -> Round:
    healthz = drive(port, HEALTHZ, "", clients=clients, seconds=seconds)
    closed, web, pg = meter.around(
        partial(drive, port, path, cookies, clients=clients, seconds=seconds)
    )
    opened, web_open, pg_open = meter.around(
        partial(offer, port, path, cookies, rate=rate, seconds=seconds)
    )
    postgres = pg + pg_open if pg is not None and pg_open is not None else None
    return Round(healthz, closed, opened, web + web_open, postgres)


def _progress(page: Page, number: int, rounds: int, rate: float, done: Round) -> str:
    answered = done.closed.answered + done.opened.answered
    spent = done.web.seconds + (done.postgres.seconds if done.postgres else math.nan)
    closed_p95, opened_p95 = (1000 * p.percentile(0.95) for p in (done.closed, done.opened))
    return (
        f"{page.name}, round {number}/{rounds}: /healthz {done.healthz.rate:,.0f} req/s, "
        f"page {done.closed.rate:,.1f} req/s, p95 {_figure(closed_p95, 0)} ms; "
        f"at {rate:g} req/s p95 {_figure(opened_p95, 0)} ms; "
        f"CPU {_figure(_per_request(spent, answered))} ms a request"
    )


def _result(page: Page, rounds: list[Round], measured: tuple[int, float]) -> Result:
    closed = [r.closed for r in rounds]
    healthz = [r.healthz for r in rounds]
    opened = Phase(seconds=sum(r.opened.seconds for r in rounds))
    for r in rounds:
        opened.add(r.opened)
    answered = sum(r.closed.answered + r.opened.answered for r in rounds)
    web = sum((r.web for r in rounds), cpu.Spent(0.0))
    pg = None
    if all(r.postgres is not None for r in rounds):
        pg = sum((r.postgres for r in rounds if r.postgres), cpu.Spent(0.0))
    everything = closed + healthz + [r.opened for r in rounds]
    return Result(
        page=page,
        rate=median(p.rate for p in closed),
        share=median(p.rate / h.rate for p, h in zip(closed, healthz, strict=True) if h.rate),
        p50=median(p.percentile(0.50) for p in closed),
        p95=median(p.percentile(0.95) for p in closed),
        p99=median(p.percentile(0.99) for p in closed),
        # Every answer of every round together: at 20 a second a round gives only 60 to
        # 200, too few for a 95th percentile of its own.
        offered_p95=opened.percentile(0.95),
        web_cpu_ms=_per_request(web.seconds, answered),
        pg_cpu_ms=_per_request(pg.seconds, answered) if pg else math.nan,
        ended=web.ended + (pg.ended if pg else 0),
        errors=sum(phase.errors for phase in everything),
        first_error=next((p.first_error for p in everything if p.first_error), ""),
        queries=measured[0],
        sql_ms=measured[1],
        healthz=median(h.rate for h in healthz),
    )


def _per_request(seconds: float, answered: int) -> float:
    return 1000 * seconds / answered if answered else math.nan


def table(results: list[Result], *, clients: int, rate: float, seconds: float) -> str:
    """The results as a markdown table, with what its columns mean and what to doubt."""
    floor = next((r for r in results if r.page.floor), None)
    lines = [
        "| page | web CPU ms | PG CPU ms | CPU ms | above floor "
        f"| p95 ms at {rate:g} req/s | req/s | share of /healthz | p50 ms | p95 ms | p99 ms "
        "| errors | queries | SQL ms (in-process) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        above = math.nan if floor is None or r is floor else r.cpu_ms - floor.cpu_ms
        lines.append(
            f"| {r.page.name} | {_figure(r.web_cpu_ms)} | {_figure(r.pg_cpu_ms)} "
            f"| {_figure(r.cpu_ms)} | {_figure(above, signed=True)} "
            f"| {_figure(1000 * r.offered_p95, 0)} | {r.rate:,.1f} | {r.share:.1%} "
            f"| {_figure(1000 * r.p50, 0)} | {_figure(1000 * r.p95, 0)} "
            f"| {_figure(1000 * r.p99, 0)} | {r.errors} | {r.queries} | {r.sql_ms:,.1f} |"
        )
    healthz = median(r.healthz for r in results)
    lines += [
        "",
        f"/healthz: {healthz:,.0f} req/s (median over the pages' rounds).",
        "CPU ms: per answered request, over all the page's windows (closed and open loop), of "
        "gunicorn's workers (web) and the PostgreSQL backends serving them (PG), from their "
        "/proc/<pid>/stat (utime + stime)"
        + (f"; above floor: less the floor page's ({floor.page.path})." if floor else "."),
        f"p95 ms at {rate:g} req/s: an open loop, {rate:g} requests a second offered for "
        f"{seconds:g} s a round whether or not the earlier ones were answered, each timed "
        "from when it was due; all rounds' answers together.",
        f"req/s, share of /healthz, p50, p95, p99: {clients} closed-loop clients, medians of "
        "the rounds. Errors: every answer but a 200, in any phase.",
    ]
    for r in results:
        if r.ended:
            lines.append(
                f"{r.page.name}: {r.ended} of its server's processes ended during a window, "
                "taking their last CPU with them: its CPU figures are lower bounds."
            )
    return "\n".join(lines)


def _figure(value: float, digits: int = 1, *, signed: bool = False) -> str:
    if math.isnan(value):
        return "—"
    return f"{value:{'+' if signed else ''},.{digits}f}"
