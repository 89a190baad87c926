"""gunicorn on the loopback, for what measures Tandem as it is served: the benchmark
(bench.py) and the lesson video memory (devdata/video_memory.py)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from .load import HOST, Browser

HEALTHZ = "/healthz"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn with `workers` sync workers, up once /healthz answers (and `ready()` says
    so), stopped on exit whatever happened. It runs in a session of its own, so that
    stopping it stops its workers and nothing else."""

    def __init__(self, *, env: dict[str, str], log: Path, workers: int, timeout: int):
        self.env = env
        self.log = log
        self.workers = workers
        self.timeout = timeout
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self):
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(self.workers),
            "--worker-class", "sync", "--bind", f"{HOST}:{self.port}",
            "--timeout", str(self.timeout), "--log-level", "warning",
        ]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 # nosec B603 (our interpreter)
                command,
                env=self.env,
                cwd=settings.BASE_DIR,
                start_new_session=True,
                stdout=log,
                stderr=log,
            )
        try:
            self._wait_until_up()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def ready(self) -> bool:
        return True

    def _wait_until_up(self, seconds: float = 60) -> None:
        assert self.process is not None  # noqa: S101 (started by __enter__)
        browser = Browser(self.port)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{self.log_tail()}")
            try:
                if browser.request("GET", HEALTHZ)[0] == 200 and self.ready():
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {seconds} s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        return self.log.read_text()[-3000:] if self.log.exists() else ""

    def __exit__(self, *exc: object) -> bool:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return False
