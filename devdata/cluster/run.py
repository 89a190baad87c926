"""The load run of `make cluster`: two web nodes behind HAProxy, signed-in coaches and
teachers sending requests through it, one node stopped (SIGTERM: gunicorn finishes the
requests its workers hold, then exits) and started again, and the first report release
followed from the primary to the page an administrator reads from the replica.

The nodes are started here, with the environment deploy/cluster.sh gave this process
(production settings, PgBouncer, the replica, Redis), each with a pid file in the run
folder so that the script can stop them whatever happens here.
"""

import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

from devdata.scale.bench import sign_in
from devdata.scale.server import Gunicorn

from . import balancer, cpu, people, replica
from .traffic import Answer, Clients, fetch

WARM_UP = 5  # seconds


class Node(Gunicorn):
    """A web node: gunicorn with the production settings on a port HAProxy knows."""

    def __init__(self, name: str, port: int, *, workers: int, run_dir: Path):
        super().__init__(
            env=dict(os.environ), log=run_dir / f"{name}.log", workers=workers, timeout=60
        )
        self.name = name
        self.port = port
        self.pid_file = run_dir / f"{name}.pid"

    def __enter__(self):
        try:
            super().__enter__()
        finally:
            if self.process is not None:
                self.pid_file.write_text(f"{self.process.pid}\n")
        return self

    def pids(self) -> list[int]:
        running = self.process is not None and self.process.poll() is None
        return [self.process.pid] if running else []

    def __exit__(self, *exc: object) -> bool:
        super().__exit__(*exc)
        self.pid_file.unlink(missing_ok=True)
        return False


@dataclass
class Moments:
    """Moments of the run (time.monotonic()), and the CPU counters read at each."""

    at: dict[str, float] = field(default_factory=dict)
    counters: dict[str, dict[str, float]] = field(default_factory=dict)

    def mark(self, name: str, meter: cpu.Meter | None = None, when: float | None = None):
        self.at[name] = time.monotonic() if when is None else when
        if meter is not None:
            self.counters[name] = meter.read()


@dataclass
class Window:
    name: str
    start: str  # names of Moments
    end: str
    steady: bool  # the same processes from start to end: CPU per request means something

    def answers(self, moments: Moments, answers: list[Answer]) -> list[Answer]:
        start, end = moments.at[self.start], moments.at[self.end]
        return [a for a in answers if start <= a.ended < end]

    def seconds(self, moments: Moments) -> float:
        return moments.at[self.end] - moments.at[self.start]


def run(*, balancer_port, webs, workers, run_dir, haproxy_socket, haproxy_log, seconds,
        teachers, monitor, password, watch, hold, report) -> bool:  # fmt: skip
    """The run, reported line by line; True when it found what it promises."""
    run_dir = Path(run_dir)
    (first, first_port), (second, second_port) = webs
    everyone, district = people.coaches_and_teachers(teachers)
    admin = people.district_admin(district)
    report_page = f"/reports/districts/{district.pk}/"
    nodes = [
        Node(first, first_port, workers=workers, run_dir=run_dir),
        Node(second, second_port, workers=workers, run_dir=run_dir),
    ]
    meter = cpu.Meter(
        {
            "web nodes": lambda: nodes[0].pids() + nodes[1].pids(),
            **{name: cpu.pid_file(path) for name, path in watch},
        }
    )
    with nodes[0], nodes[1]:
        for node in nodes:
            balancer.wait_for_state(haproxy_socket, node.name, "UP")
        report(f"{first} and {second} up ({workers} gunicorn workers each), HAProxy holds both UP")

        browsers = [sign_in(balancer_port, person.user, password) for person in everyone]
        admin_browser = sign_in(balancer_port, admin, password)
        coaches = sum(person.role == "coach" for person in everyone)
        report(
            f"signed in through HAProxy: {coaches} coaches, {len(everyone) - coaches} "
            "teachers, and the district administrator (password, then two-step code)"
        )
        for person, browser in zip(everyone, browsers, strict=True):
            for path in person.paths:
                status = fetch(balancer_port, path, browser.cookie_header)[0]
                if status != 200:
                    raise RuntimeError(f"{person.user.email}: {path} answered {status}")
        status, _, _, page = fetch(balancer_port, report_page, admin_browser.cookie_header)
        if status != 200 or replica.RELEASED in page:
            raise RuntimeError(f"the report page answered {status}, or shows a release already")
        report("the district report (read from the replica) says: no figures released yet")

        sampler = replica.LagSampler(monitor)
        sampler.start()
        clients = Clients(
            balancer_port,
            [(b.cookie_header, p.paths) for p, b in zip(everyone, browsers, strict=True)],
        )
        moments = Moments()
        clients.start()
        try:
            # Every worker's first requests fill its caches and prepare its statements: a
            # few seconds of load before anything is counted.
            time.sleep(WARM_UP)
            moments.mark("began", meter)
            time.sleep(seconds)
            report(f"{seconds:g} s on two nodes; SIGTERM to {second}'s gunicorn")
            moments.mark("stop sent", meter)
            down, exited = _stop(nodes[1], haproxy_socket)
            moments.mark("marked down", meter, when=down)
            moments.at["node exited"] = exited
            report(
                f"HAProxy marked {second} DOWN {down - moments.at['stop sent']:.2f} s after "
                f"SIGTERM; its gunicorn exited after {exited - moments.at['stop sent']:.2f} s "
                "(its workers' requests answered)"
            )
            time.sleep(seconds)
            report(f"{seconds:g} s on one node; starting {second} again")
            moments.mark("start sent", meter)
            nodes[1].__enter__()
            moments.mark(
                "marked up", meter, when=balancer.wait_for_state(haproxy_socket, second, "UP")
            )
            report(
                f"{second} UP in HAProxy {moments.at['marked up'] - moments.at['start sent']:.2f} "
                "s after it was started"
            )
            time.sleep(seconds / 2)
            report("the release task enqueued, as beat does every hour: following it")
            sighting = replica.follow_release(
                district_id=district.pk,
                port=balancer_port,
                page=report_page,
                cookies=admin_browser.cookie_header,
                ask=_enqueue_release,
            )
            time.sleep(max(0.0, seconds - (time.monotonic() - moments.at["marked up"])))
        finally:
            moments.mark("ended", meter)
            clients.stop()
            lag = sampler.stop()
        time.sleep(0.5)  # HAProxy writes its last lines
        logged = balancer.read_log(Path(haproxy_log))
        ok = _summary(clients.answers, logged, moments, lag, sighting, second, report)
        if hold:
            report(f"\nEverything stays up: http://127.0.0.1:{balancer_port}/ (Ctrl-C stops it)")
            while True:  # until deploy/cluster.sh's SIGTERM (see the command)
                time.sleep(3600)
        return ok


def _stop(node: Node, haproxy_socket: str) -> tuple[float, float]:
    """SIGTERM to the node's gunicorn master, as an init system stops it: it stops taking
    connections, lets each worker finish the request it holds, and exits. Returns when
    HAProxy marked the node DOWN and when gunicorn had exited."""
    assert node.process is not None  # noqa: S101 (started by __enter__)
    os.kill(node.process.pid, signal.SIGTERM)
    down = exited = None
    deadline = time.monotonic() + 60
    while (down is None or exited is None) and time.monotonic() < deadline:
        if exited is None and node.process.poll() is not None:
            exited = time.monotonic()
        if down is None and balancer.server_states(haproxy_socket).get(node.name) == "DOWN":
            down = time.monotonic()
        time.sleep(0.01)
    if down is None or exited is None:
        raise RuntimeError(f"{node.name} did not stop, or HAProxy did not notice, within 60 s")
    node.pid_file.unlink(missing_ok=True)
    return down, exited


def _enqueue_release():
    from reports.tasks import release_due_reports

    release_due_reports.delay()


CPU_COLUMNS = [
    "web nodes",
    "primary",
    "pgbouncer",
    "redis",
    "haproxy",
    "replica",
    "celery",
    "load clients",
]


def _summary(answers, logged, moments, lag, sighting, stopped, report) -> bool:
    windows = [
        Window("two nodes", "began", "stop sent", steady=True),
        Window(f"{stopped} stopping", "stop sent", "marked down", steady=False),
        Window("one node", "marked down", "start sent", steady=True),
        Window(f"{stopped} starting", "start sent", "marked up", steady=False),
        Window("two nodes again", "marked up", "ended", steady=True),
    ]
    failed = [a for a in answers if not a.ok and not a.signed_out]
    # In flight: failed on the stopping node, between its SIGTERM and its exit (and the
    # moment after, for the answer to travel back through HAProxy).
    stop_window = (moments.at["stop sent"], moments.at["node exited"] + 1)
    in_flight = [
        a
        for a in failed
        if a.request_id in logged
        and logged[a.request_id].server == stopped
        and stop_window[0] <= a.ended <= stop_window[1]
    ]
    other_errors = [a for a in failed if a not in in_flight]
    signed_out = [a for a in answers if a.signed_out]
    ours = [logged[a.request_id] for a in answers if a.request_id in logged]
    retried = [entry for entry in ours if entry.retries]
    moved = [entry for entry in retried if entry.redispatched]

    report("")
    report("| phase | seconds | requests | req/s | p50 ms | p95 ms | errors | answered by |")
    report("|---|---:|---:|---:|---:|---:|---:|---|")
    for window in windows:
        inside = window.answers(moments, answers)
        span = window.seconds(moments)
        ok = sorted(a.ended - a.started for a in inside if a.ok)
        by_node: dict[str, int] = {}
        for a in inside:
            if a.ok and a.request_id in logged:
                server = logged[a.request_id].server
                by_node[server] = by_node.get(server, 0) + 1
        nodes = ", ".join(f"{name} {count}" for name, count in sorted(by_node.items()))
        report(
            f"| {window.name} | {span:.1f} | {len(inside)} | {len(ok) / span:,.1f} "
            f"| {_ms(ok, 0.5)} | {_ms(ok, 0.95)} | {sum(not a.ok for a in inside)} | {nodes} |"
        )

    report("")
    report(
        "CPU per request answered, ms (kernel counters of each piece's processes), and the "
        "machine's 2 cores:"
    )
    report(
        f"| phase | {' | '.join(CPU_COLUMNS)} | all of these | cores busy, all | of which others |"
    )
    report("|---|" + "---:|" * (len(CPU_COLUMNS) + 3))
    for window in (w for w in windows if w.steady):
        used = cpu.spent(moments.counters[window.start], moments.counters[window.end])
        answered = sum(a.ok for a in window.answers(moments, answers))
        span = window.seconds(moments)
        ours = sum(used[c] for c in CPU_COLUMNS)
        cells = " | ".join(f"{1000 * used[c] / answered:.1f}" for c in CPU_COLUMNS)
        report(
            f"| {window.name} | {cells} | {1000 * ours / answered:.1f} "
            f"| {used['machine'] / span:.2f} | {(used['machine'] - ours) / span:.2f} |"
        )

    report("")
    report(
        f"requests: {len(answers):,} (with the {WARM_UP} s warm-up), answered 200: "
        f"{sum(a.ok for a in answers):,}"
    )
    report(
        f"errors: {len(other_errors)}; besides, in flight on {stopped} as it stopped and "
        f"failed: {len(in_flight)} (gunicorn's graceful stop lets its workers answer theirs)"
    )
    for a in (other_errors + in_flight)[:5]:
        entry = logged.get(a.request_id)
        how = f"{entry.server} {entry.status} {entry.termination}" if entry else "not logged"
        report(f"  {a.path}: {a.error} (HAProxy: {how})")
    answered_after = sum(a.ok for a in answers if a.request_id in {r.request_id for r in retried})
    report(
        f"HAProxy retried {len(retried)} requests ({len(moved)} sent to the other node), "
        f"{answered_after} of which were then answered 200"
    )
    report(
        f"signed out: {len(signed_out)} answers redirected to sign-in "
        f"({len({a.person for a in signed_out})} people)"
    )
    two = [w for w in windows if w.name.startswith("two nodes")]
    rate_two = sum(sum(a.ok for a in w.answers(moments, answers)) for w in two) / sum(
        w.seconds(moments) for w in two
    )
    one = windows[2]
    rate_one = sum(a.ok for a in one.answers(moments, answers)) / one.seconds(moments)
    report(f"throughput: two nodes {rate_two:,.1f} req/s, one node {rate_one:,.1f} req/s")

    stated = 1000 * replica.STATED_LAG
    held = lag.worst <= stated
    report(
        f"the replica's stated lag: {stated:,.0f} ms. Measured (pg_stat_replication.replay_lag, "
        f"{lag.samples} samples, every 0.5 s): median {lag.median:.1f} ms, p95 "
        f"{lag.percentile(0.95):.1f} ms, max {lag.worst:.1f} ms ({'within' if held else 'OVER'}"
        f"); at most {max(lag.bytes_behind, default=0):,.0f} bytes of WAL behind"
    )
    shown = sighting.primary is not None and sighting.replica is not None
    within = False
    if shown:
        behind = 1000 * (sighting.replica - sighting.primary)
        page = (
            f"{1000 * (sighting.page - sighting.primary):,.0f} ms after the primary "
            f"(the page asked {sighting.page_requests} times, under the load)"
            if sighting.page is not None
            else "never"
        )
        poll = 1000 * replica.POLL
        on_replica = (
            f"{behind:.0f} ms after the primary"
            if behind > poll
            else f"within one poll ({poll:.0f} ms) of the primary"
        )
        report(
            f"report release 1: on the primary {sighting.primary - sighting.asked:.1f} s after "
            f"the task was enqueued (the worker computes it); on the replica {on_replica}; "
            f"on the district administrator's report page through HAProxy {page}"
        )
        within = behind <= stated
        report(f"the release on the replica within the stated lag: {'yes' if within else 'NO'}")
    else:
        report("report release: NOT seen on both the primary and the replica within 60 s")
    return not other_errors and not signed_out and held and within and sighting.page is not None


def _ms(ordered: list[float], share: float) -> str:
    if not ordered:
        return "-"
    return f"{1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))]:,.0f}"
