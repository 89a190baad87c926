"""What `make demo` serves and keeps: Tandem's own error pages with no setting in them, its
static files without collectstatic, and a secret key of this checkout's own in .env.

The pages are fetched from a real `manage.py runserver` with the settings `manage.py`
defaults to, as a person who opens the demo on the school network would see them.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import environ
import pytest

from config import make_env

PROJECT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo's web server, on a database with no tables: any page that reads one fails."""
    folder = tmp_path_factory.mktemp("demo")
    # Its path is what a debug page would show: in META (DATABASE_URL) and in DATABASES.
    database = folder / "where-the-demo-keeps-its-data.sqlite3"
    port = free_port()
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG", "SECRET_KEY")
    }
    environment.update(
        # The demo's defaults, not what a developer chose in the checkout's .env.
        DJANGO_READ_DOT_ENV_FILE="false",
        DATABASE_URL=f"sqlite:///{database}",
        REPORTS_DATABASE_URL="",
        REDIS_URL="",
        CELERY_BROKER_URL="",
    )
    log = (folder / "runserver.log").open("wb")
    server = subprocess.Popen(  # noqa: S603 - our own interpreter, our own arguments
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=PROJECT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                assert server.poll() is None, (folder / "runserver.log").read_text()
                time.sleep(0.1)
        yield {"base": f"http://127.0.0.1:{port}", "secret": database.name}
    finally:
        server.terminate()
        server.wait(10)
        log.close()


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - our server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_an_unknown_page_is_tandem_s_own_404_with_its_styles(demo):
    status, page = fetch(f"{demo['base']}/no-such-page/")
    assert status == 404
    assert "Page not found" in page
    assert "There is nothing here, or it is not yours to see." in page
    assert "URLconf" not in page  # Django's debug 404 lists every URL pattern
    # The demo runs without collectstatic, and its pages are still styled.
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert stylesheets
    for stylesheet in stylesheets:
        status, css = fetch(f"{demo['base']}{stylesheet}")
        assert status == 200, stylesheet
        assert css


def test_a_server_error_is_tandem_s_own_500_and_shows_no_setting(demo):
    # The calendar feed needs no sign-in and reads the database, which has no tables.
    status, page = fetch(f"{demo['base']}/calendar/anything.ics")
    assert status == 500
    assert "Something went wrong" in page
    assert demo["secret"] not in page
    assert "DATABASE" not in page
    assert "Traceback" not in page


def test_a_first_run_writes_a_random_key_of_fifty_characters_or_more(tmp_path):
    make_env.ensure_secret_key(tmp_path / "one" / ".env")
    make_env.ensure_secret_key(tmp_path / "two" / ".env")
    first = (tmp_path / "one" / ".env").read_text()
    second = (tmp_path / "two" / ".env").read_text()
    assert re.fullmatch(r"SECRET_KEY=\S{50,}\n", first)
    assert first != second


def test_a_second_run_keeps_the_key(tmp_path):
    path = tmp_path / ".env"
    make_env.ensure_secret_key(path)
    written = path.read_text()
    make_env.ensure_secret_key(path)
    assert path.read_text() == written


def test_the_key_is_added_to_what_env_already_says(tmp_path):
    path = tmp_path / ".env"
    path.write_text("# mine\nDATABASE_URL=postgres://me@127.0.0.1/tandem\n# SECRET_KEY=x")
    make_env.ensure_secret_key(path)
    lines = path.read_text().splitlines()
    assert lines[:3] == ["# mine", "DATABASE_URL=postgres://me@127.0.0.1/tandem", "# SECRET_KEY=x"]
    assert len(lines) == 4
    assert lines[3].startswith("SECRET_KEY=")


def test_a_key_already_in_env_is_kept(tmp_path):
    path = tmp_path / ".env"
    path.write_text("SECRET_KEY=chosen-by-the-person-who-runs-this-demo\nDJANGO_DEBUG=true\n")
    make_env.ensure_secret_key(path)
    assert path.read_text() == (
        "SECRET_KEY=chosen-by-the-person-who-runs-this-demo\nDJANGO_DEBUG=true\n"
    )


def test_settings_read_the_key_as_it_was_written(tmp_path, monkeypatch):
    path = tmp_path / ".env"
    make_env.ensure_secret_key(path)
    written = path.read_text().removeprefix("SECRET_KEY=").strip()
    monkeypatch.setenv("SECRET_KEY", "to be replaced by the file")
    environ.Env.read_env(str(path), overwrite=True)
    assert environ.Env()("SECRET_KEY") == written
