import argparse
import json
import os
import platform
import subprocess  # nosec B404 (ffmpeg -version, a list argv)

import django
import gunicorn
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from devdata import video_memory


class Command(BaseCommand):
    help = (
        "Send a generated recording of about 1 GB through the upload views of a real "
        "gunicorn, make it playable as the worker does, play it back whole and with seeks, "
        "and print the peak memory of the web and worker processes and of ffmpeg in each "
        "phase (docs/benchmarks.md). Linux only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size-mb", type=int, default=1024, help="size of the recording (default 1024)"
        )
        parser.add_argument(
            "--seconds", type=int, default=80, help="its length in seconds (default 80)"
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="keep the temporary folder, the people and the video rather than delete them",
        )
        # The worker's part, in a process of its own: how the command runs it.
        parser.add_argument("--worker-part", metavar="VIDEO_ID", help=argparse.SUPPRESS)

    def handle(self, *args, size_mb, seconds, keep, worker_part, **options):
        if worker_part:
            self.stdout.write(json.dumps(video_memory.worker_part(worker_part)))
            return
        if not os.path.exists("/proc/self/clear_refs"):
            raise CommandError("This measurement reads Linux's /proc: run it on Linux.")
        if not 1 <= size_mb * 1024 * 1024 <= settings.VIDEO_MAX_BYTES:
            raise CommandError(
                "--size-mb must be 1 or more, and at most VIDEO_MAX_BYTES "
                f"({settings.VIDEO_MAX_BYTES:,} bytes)."
            )
        load = os.getloadavg()
        self.stdout.write(self._machine())
        self.stdout.write(f"load average at the start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        try:
            measured = video_memory.measure(
                size_mb=size_mb,
                seconds=seconds,
                keep=keep,
                report=lambda line: self.stdout.write(f"  {line}"),
            )
        except (RuntimeError, subprocess.CalledProcessError) as failure:
            raise CommandError(str(failure)) from failure
        load = os.getloadavg()
        self.stdout.write(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        self.stdout.write(
            f"\nThe recording: {measured.size / video_memory.MB:,.1f} MB, generated in "
            f"{measured.generated_in:.1f} s (ffmpeg peak "
            f"{measured.generation_ffmpeg / video_memory.MB:,.1f} MB). Made playable: "
            f"{measured.duration:.1f} s, {measured.playable / video_memory.MB:,.1f} MB, "
            f"{measured.talk_segments} talk segment(s). Baselines: the web process "
            f"{measured.web_baseline / video_memory.MB:,.1f} MB (signed in, pages opened), "
            f"the worker {measured.worker_baseline / video_memory.MB:,.1f} MB (Django "
            "loaded, before the work).\n"
        )
        self.stdout.write(video_memory.table(measured.rows))

    def _machine(self) -> str:
        ffmpeg = subprocess.run(  # noqa: S603 # nosec B603 (the configured ffmpeg, no shell)
            [settings.FFMPEG_BINARY, "-version"], capture_output=True, text=True, check=False
        ).stdout.split("\n", 1)[0]
        database = connection.vendor
        if database == "postgresql":
            connection.ensure_connection()
            version = connection.pg_version
            database += f" {version // 10000}.{version % 10000}"
        elif database == "sqlite":
            import sqlite3

            database += f" {sqlite3.sqlite_version}"
        return (
            f"{timezone.localdate():%Y-%m-%d}, {os.cpu_count()} cores, "
            f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 1024**3:.0f} GiB; "
            f"{platform.python_implementation()} {platform.python_version()}, Django "
            f"{django.get_version()}, gunicorn {gunicorn.__version__}, {database}, "
            f"{ffmpeg.removesuffix(' Copyright').split(' Copyright')[0]}; settings "
            f"{settings.SETTINGS_MODULE}, VIDEO_CHUNK_BYTES {settings.VIDEO_CHUNK_BYTES:,}"
        )
