"""Real Celery processes for the acceptance tests that need them (PostgreSQL and Redis,
under .ci/run): a worker or beat on the test database, stopped whatever happens."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection


def database_url() -> str:
    """The test database (test_<name>), which the workers must use too."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{quote(db['USER'], safe='')}{password}@{host}:{port}/{db['NAME']}"


def start_celery(arguments: list[str], log: Path, **env) -> subprocess.Popen:
    """`celery -A config <arguments>` on the test database and this broker, its output in
    `log`, in its own process group (so that SIGKILL takes its pool too)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": database_url(),
        "REPORTS_DATABASE_URL": "",
        # The test process's own Redis database (config/settings/test.py), not .ci/run's.
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        **env,
    }
    command = [sys.executable, "-m", "celery", "-A", "config", *arguments, "--loglevel=INFO"]
    with log.open("wb") as output:
        return subprocess.Popen(  # noqa: S603
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)


def wait_for(condition, seconds: float) -> bool:
    for _ in range(int(seconds * 10)):
        if condition():
            return True
        time.sleep(0.1)
    return condition()
