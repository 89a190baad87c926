"""The benchmark's parts, without the minutes of load: the pages it measures open for the
people it signs in as, it signs in (second step included) as a person does, its load tool
counts answers and errors, and it says what it needs when it cannot run."""

import http.server
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from devdata.scale import actors, bench, load

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
        self.send_response(200 if self.path == "/fine" else 500)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_the_load_tool_counts_answers_and_errors(server):
    fine = load.drive(server, "/fine", "", clients=2, seconds=0.3)
    assert fine.errors == 0
    assert fine.rate > 0
    assert fine.percentile(0.5) <= fine.percentile(0.99)
    broken = load.drive(server, "/broken", "", clients=2, seconds=0.3)
    assert broken.errors > 0
    assert not broken.latencies
    assert "500" in broken.first_error


def test_it_says_what_it_needs_when_it_cannot_run():
    expected = "no generated district" if connection.vendor == "postgresql" else "PostgreSQL"
    with pytest.raises(CommandError, match=expected):
        call_command("bench", stdout=io.StringIO())
