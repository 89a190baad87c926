"""`make cluster`'s pieces that can be checked without bringing it up: how an answer is read
(a sign-in page is someone signed out), how HAProxy's log is read, and the configuration
templates in deploy/. The run itself takes minutes and a dozen processes: `make cluster`."""

import shutil
import string
import subprocess
from pathlib import Path

import pytest

from devdata.cluster.balancer import read_log
from devdata.cluster.traffic import read_answer

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
VALUES = {
    "PRIMARY_PORT": "55432",
    "PGBOUNCER_PORT": "55434",
    "PGBOUNCER_DATABASE": "tandem",
    "DATABASE_NAME": "tandem",
    "PGBOUNCER_DIR": "/srv/pgbouncer",
    "BALANCER_PORT": "55480",
    "WEB1_PORT": "55481",
    "WEB2_PORT": "55482",
    "WEB_WORKERS": "2",
    "PG_PORT": "55432",
    "PG_SOCKETS": "/srv/pg",
}


def test_a_page_is_an_answer_with_its_request_id():
    answer = b"HTTP/1.1 200 OK\r\nX-Request-ID: 127.0.0.1:40000_1\r\n\r\n<html>"
    assert read_answer(answer) == (200, "127.0.0.1:40000_1", False)


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 302 Found\r\nLocation: /accounts/sign-in/?next=/coach/\r\n\r\n",
        b"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n{}",
    ],
)
def test_being_sent_to_sign_in_is_being_signed_out(answer):
    assert read_answer(answer)[2] is True


def test_another_redirect_or_no_http_at_all_is_not_a_sign_out():
    assert read_answer(b"HTTP/1.1 302 Found\r\nLocation: /coach/\r\n\r\n") == (302, "", False)
    assert read_answer(b"") == (0, "", False)


def test_haproxys_log_tells_the_node_the_state_and_the_retries(tmp_path):
    log = tmp_path / "haproxy.log"
    log.write_text(
        "[WARNING]  (1) : Server web/web2 is DOWN, reason: Layer4 connection problem.\n"
        "127.0.0.1:1_55480_1_00 web/web1 200 ---- 0 35 GET /coach/\n"
        "127.0.0.1:2_55480_1_01 web/web1 200 ---- +1 1040 GET /teacher/\n"
        "127.0.0.1:3_55480_1_02 web/web2 503 SC-- 3 3000 GET /cycles/1/\n"
    )
    logged = read_log(log)
    assert set(logged) == {"127.0.0.1:1_55480_1_00", "127.0.0.1:2_55480_1_01",
                           "127.0.0.1:3_55480_1_02"}  # fmt: skip
    moved = logged["127.0.0.1:2_55480_1_01"]
    assert (moved.server, moved.status, moved.retries, moved.redispatched) == ("web1", 200, 1, True)
    failed = logged["127.0.0.1:3_55480_1_02"]
    assert (failed.server, failed.termination, failed.redispatched) == ("web2", "SC--", False)


def render(name: str, **values: str) -> str:
    return string.Template((DEPLOY / name).read_text()).substitute(VALUES, **values)


def test_pgbouncer_keeps_each_client_on_its_server_connection():
    # psycopg 3 prepares statements on a server connection; PgBouncer 1.18 cannot carry
    # them across connections, which transaction pooling would hand out per transaction.
    settings = dict(
        line.split(" = ", 1) for line in render("pgbouncer.ini").splitlines() if " = " in line
    )
    assert settings["pool_mode"] == "session"
    assert settings["server_reset_query"] == "DISCARD ALL"
    assert settings["tandem"] == "host=127.0.0.1 port=55432 dbname=tandem"


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="HAProxy is not installed")
def test_haproxys_configuration_is_valid(tmp_path):
    config = tmp_path / "haproxy.cfg"
    config.write_text(render("haproxy.cfg", HAPROXY_SOCKET=str(tmp_path / "haproxy.sock")))
    result = subprocess.run(  # noqa: S603 - HAProxy checking a file written here
        ["haproxy", "-c", "-f", str(config)],  # noqa: S607 - Debian's haproxy on the PATH
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_name_in_the_templates_is_one_the_script_sets():
    script = (DEPLOY / "cluster.sh").read_text()
    for name in ("haproxy.cfg", "pgbouncer.ini", "postgresql.conf"):
        for found in string.Template.pattern.finditer((DEPLOY / name).read_text()):
            placeholder = found.group("braced") or found.group("named")
            assert placeholder is not None
            assert f"{placeholder}=" in script, f"{name}: {placeholder} is never set"
