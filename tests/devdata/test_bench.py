"""The benchmark's parts, without the minutes of load: the pages it measures open for the
people it signs in as, it signs in (second step included) as a person does, its load tool
counts answers and errors and offers requests on schedule, it reads CPU time from the
processes' own counters, its table says what it measured, and it says what it needs when
it cannot run."""

import http.server
import io
import itertools
import math
import os
import threading
import time

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from devdata.scale import actors, bench, cpu, load

pytestmark = pytest.mark.django_db

PASSWORD = "a-scale-password"


@pytest.fixture
def district():
    call_command(
        "seed_scale", schools=3, teachers=60, observations=500, password=PASSWORD,
        stdout=io.StringIO(),
    )  # fmt: skip
    return actors.find()


@pytest.mark.slow
def test_every_page_opens_for_its_person_with_a_bounded_number_of_queries(district):
    pages = bench.pages_of(district)
    assert len(pages) == bench.PAGE_COUNT
    assert [page.path for page in pages if page.floor] == [bench.FLOOR_PATH]
    for page in pages:
        queries, sql_ms = bench.count_queries(district, page)
        assert 0 < queries <= 16, page.name
        assert sql_ms >= 0


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_it_signs_in_through_the_server_with_the_second_step(live_server):
    call_command(
        "seed_scale", schools=3, teachers=60, observations=500, password=PASSWORD,
        stdout=io.StringIO(),
    )  # fmt: skip
    found = actors.find()
    port = int(live_server.url.rsplit(":", 1)[1])
    for person, home in [(found.coach, "/coach/"), (found.district_admin, "/district/")]:
        browser = bench.sign_in(port, person, PASSWORD)
        assert browser.request("GET", home)[0] == 200


class _Answers(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/slow":
            time.sleep(0.05)
        self.send_response(200 if self.path in ("/fine", "/slow") else 500)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


class _OneAtATime(http.server.HTTPServer):
    """Answers one request after another, as a single busy worker does; the others wait
    in the listen queue."""

    request_queue_size = 64


def _serving(httpd):
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server():
    yield from _serving(http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answers))


@pytest.fixture
def one_at_a_time():
    yield from _serving(_OneAtATime(("127.0.0.1", 0), _Answers))


def test_the_load_tool_counts_answers_and_errors(server):
    fine = load.drive(server, "/fine", "", clients=2, seconds=0.3)
    assert fine.errors == 0
    assert fine.rate > 0
    assert fine.percentile(0.5) <= fine.percentile(0.99)
    broken = load.drive(server, "/broken", "", clients=2, seconds=0.3)
    assert broken.errors > 0
    assert not broken.latencies
    assert "500" in broken.first_error
    assert broken.answered == broken.errors


def test_an_open_loop_is_scheduled_evenly_at_its_rate():
    due = load.schedule(20, 3)
    assert len(due) == 60
    assert due[0] == 0
    assert due[-1] == pytest.approx(2.95)
    assert all(b - a == pytest.approx(0.05) for a, b in itertools.pairwise(due))
    assert load.schedule(0.5, 3) == [0, 2]
    assert load.schedule(20, 0.01) == [0]
    assert load.schedule(20, 0) == []
    assert load.schedule(0, 3) == []


def test_an_open_loop_sends_on_schedule_and_counts_the_wait(one_at_a_time):
    # Ten requests due within 0.18 s to a server that takes at least 0.05 s for each, one at
    # a time: the tenth is answered 0.5 s or more after the first was due. A client that
    # waited for each answer before sending the next would time every one at about 0.05 s;
    # timed from when it was due, the last has waited at least 0.5 - 0.18 s.
    offered = load.offer(one_at_a_time, "/slow", "", rate=50, seconds=0.2)
    assert offered.errors == 0
    assert offered.answered == len(offered.latencies) == 10
    assert min(offered.latencies) >= 0.05
    assert max(offered.latencies) >= 0.3
    assert offered.seconds >= 0.5


def test_an_open_loop_counts_wrong_answers_as_errors(server):
    offered = load.offer(server, "/broken", "", rate=50, seconds=0.1)
    assert offered.errors == offered.answered == 5
    assert not offered.latencies
    assert "500" in offered.first_error


# A worker whose name holds spaces and parentheses, as a process may rename itself; then
# state, parent, ..., utime (field 14) 1234 and stime (field 15) 56, children's 7 and 8.
WORKER_STAT = (
    "4242 (gunicorn: worker (config) [a b]) S 4200 4200 4200 0 -1 4194368 2694 0 0 0 "
    "1234 56 7 8 20 0 1 0 24644 227483648 7874 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0"
)


def test_cpu_time_is_read_from_a_proc_stat_line():
    stat = cpu.parse_stat(WORKER_STAT)
    assert stat.pid == 4242
    assert stat.name == "gunicorn: worker (config) [a b]"
    assert stat.parent == 4200
    assert stat.ticks == 1234 + 56  # its own, not its children's


def test_cpu_spent_between_two_readings_counts_what_each_process_did():
    before = {1: 100, 2: 50, 3: 70, 4: 900}
    # 1 worked 30 ticks; 2 did nothing; 3 ended; 4's pid went to a new process (5 ticks);
    # 6 started in between (12 ticks).
    after = {1: 130, 2: 50, 4: 5, 6: 12}
    spent = cpu.spent(before, after)
    assert spent.seconds == pytest.approx((30 + 0 + 5 + 12) / cpu.CLOCK_TICKS)
    assert spent.ended == 1
    assert (spent + cpu.Spent(1.0, 2)) == cpu.Spent(spent.seconds + 1.0, 3)


def test_the_counters_of_a_running_process_grow_as_it_works():
    me = os.getpid()
    assert me in cpu.children_of(os.getppid())
    assert cpu.stat_of(me).parent == os.getppid()
    before = cpu.ticks_of([me])
    busy = 0
    while cpu.ticks_of([me])[me] == before[me] and busy < 10**9:  # a tick is 10 ms of CPU
        busy += sum(range(1000))
    assert cpu.spent(before, cpu.ticks_of([me])).seconds > 0
    assert cpu.stat_of(2**22 + 1) is None  # above pid_max: no such process


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's backends are its own processes: run under .ci/run (DATABASE_URL)",
)
def test_it_finds_the_postgresql_backends_of_its_server_and_reads_their_cpu():
    settings = connection.settings_dict
    name = "tandem-bench-test"
    with psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"],
        application_name=name,
        autocommit=True,
    ) as server_connection:
        backend = server_connection.execute("SELECT pg_backend_pid()").fetchone()[0]
        meter = bench.Meter(os.getpid(), name)
        assert meter.backends() == [backend]

        def work():
            server_connection.execute("SELECT count(*) FROM generate_series(1, 2000000)")
            return load.Phase(seconds=0)

        _, _, postgres = meter.around(work)
    assert not meter.unreadable
    assert postgres is not None
    assert postgres.seconds > 0
    assert postgres.ended == 0


def _result(name, web, pg, *, floor=False, ended=0):
    return bench.Result(
        page=bench.Page(name, "coach", "/" if floor else f"/{name}/", floor=floor),
        rate=40.0, share=0.025, p50=0.1, p95=0.2, p99=0.3, offered_p95=0.045,
        web_cpu_ms=web, pg_cpu_ms=pg, ended=ended, errors=0, first_error="", queries=12,
        sql_ms=8.5, healthz=1600.0,
    )  # fmt: skip


def test_the_table_shows_cpu_beside_the_floor_and_p95_at_the_offered_rate():
    results = [
        _result("floor", 3.5, 0.5, floor=True),
        _result("coach home", 20.0, 4.25),
        _result("people", 9.0, math.nan, ended=1),
    ]
    text = bench.table(results, clients=8, rate=20, seconds=10)
    header, rule, floor, coach, people = text.splitlines()[:5]
    columns = [column.strip() for column in header.strip("|").split("|")]
    assert columns[:6] == [
        "page", "web CPU ms", "PG CPU ms", "CPU ms", "above floor", "p95 ms at 20 req/s"
    ]  # fmt: skip
    assert rule.count("|") == header.count("|")
    assert floor.startswith("| floor | 3.5 | 0.5 | 4.0 | — | 45 | 40.0 | 2.5% | 100 | 200 |")
    assert coach.startswith("| coach home | 20.0 | 4.2 | 24.2 | +20.2 | 45 |")
    # Without PostgreSQL's counters there is no sum to compare with the floor.
    assert people.startswith("| people | 9.0 | — | — | — | 45 |")
    assert "/healthz: 1,600 req/s" in text
    assert "20 requests a second offered for 10 s a round" in text
    assert "8 closed-loop clients" in text
    assert "people: 1 of its server's processes ended during a window" in text


def test_it_says_what_it_needs_when_it_cannot_run():
    expected = "no generated district" if connection.vendor == "postgresql" else "PostgreSQL"
    with pytest.raises(CommandError, match=expected):
        call_command("bench", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--rate are > 0"):
        call_command("bench", "--rate", "0", stdout=io.StringIO())
