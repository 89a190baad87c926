"""The benchmark of DESIGN §7: each page under load next to `/healthz`, on the generated
district, served as in production.

gunicorn serves the production settings with two sync workers on a free port of
127.0.0.1. For each page the clients alternate between `/healthz` (a bare Django view: the
ceiling of this server on this machine) and the page, a few rounds, and the medians of the
rounds are kept: the share of `/healthz` throughput a page reaches is what stays comparable
when the machine is busy with something else. Queries per request are counted in this
process, through Django's test client on the same database.
"""

import os
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import actors as scale_actors
from .load import Browser, Phase, drive, median
from .server import HEALTHZ, Gunicorn

PAGE_COUNT = 9  # as pages_of lists them


@dataclass
class Page:
    name: str
    persona: str  # an attribute of scale_actors.Actors
    path: str


@dataclass
class Result:
    page: Page
    rate: float
    share: float
    p50: float
    p95: float
    p99: float
    errors: int
    first_error: str
    queries: int
    sql_ms: float
    healthz: float


def pages_of(found) -> list[Page]:
    if None in (found.cycle, found.observation, found.draft):
        raise RuntimeError(
            "The generated district is too small to find a cycle, a shared observation and a "
            "draft of its first coach: seed a bigger one."
        )
    school, district = found.school.pk, found.district.pk
    return [
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
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            # The benchmark speaks plain HTTP on the loopback: no redirect to HTTPS.
            "SECURE_SSL_REDIRECT": "false",
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


def run(*, password, seconds, rounds, clients, workers, report) -> list[Result]:
    found = scale_actors.find()
    pages = pages_of(found)
    measured = {}
    report("queries per request, in-process")
    for page in pages:
        measured[page.name] = count_queries(found, page)
    with Server(workers, report) as server:
        personas = {page.persona for page in pages}
        browsers = {p: sign_in(server.port, getattr(found, p), password) for p in personas}
        results = []
        for page in pages:
            cookies = browsers[page.persona].cookie_header
            status = browsers[page.persona].request("GET", page.path)[0]
            if status != 200:
                raise RuntimeError(f"{page.path} answered {status} through gunicorn")
            healthz, loaded = [], []
            for number in range(1, rounds + 1):
                healthz.append(drive(server.port, HEALTHZ, "", clients=clients, seconds=seconds))
                loaded.append(drive(server.port, page.path, cookies, clients=clients,
                                    seconds=seconds))  # fmt: skip
                report(
                    f"{page.name}, round {number}/{rounds}: /healthz {healthz[-1].rate:,.0f} "
                    f"req/s, page {loaded[-1].rate:,.1f} req/s, "
                    f"p95 {1000 * loaded[-1].percentile(0.95):,.0f} ms"
                )
            results.append(_result(page, healthz, loaded, measured[page.name]))
        return results


def _result(page, healthz: list[Phase], loaded: list[Phase], measured) -> Result:
    return Result(
        page=page,
        rate=median(p.rate for p in loaded),
        share=median(p.rate / h.rate for p, h in zip(loaded, healthz, strict=True) if h.rate),
        p50=median(p.percentile(0.50) for p in loaded),
        p95=median(p.percentile(0.95) for p in loaded),
        p99=median(p.percentile(0.99) for p in loaded),
        errors=sum(phase.errors for phase in loaded + healthz),
        first_error=next((p.first_error for p in loaded + healthz if p.first_error), ""),
        queries=measured[0],
        sql_ms=measured[1],
        healthz=median(h.rate for h in healthz),
    )


def table(results: list[Result]) -> str:
    """The results as a markdown table."""
    lines = [
        "| page | req/s | share of /healthz | p50 ms | p95 ms | p99 ms | errors | queries "
        "| SQL ms (in-process) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.page.name} | {r.rate:,.1f} | {r.share:.1%} | {1000 * r.p50:,.0f} "
            f"| {1000 * r.p95:,.0f} | {1000 * r.p99:,.0f} | {r.errors} | {r.queries} "
            f"| {r.sql_ms:,.1f} |"
        )
    healthz = median(r.healthz for r in results)
    lines.append("")
    lines.append(f"/healthz: {healthz:,.0f} req/s (median over the pages' rounds).")
    return "\n".join(lines)
