"""Acceptance: beat and a worker, real processes on the real Redis, deliver a reminder to
a real SMTP server, once, however often beat runs the scan."""

import datetime
import os
import subprocess
import time

import pytest
from django.db import connection
from django.utils import timezone

from tests import factories
from tests.support.mailserver import SmtpSink
from tests.support.workers import kill, start_celery, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,  # real Celery processes, waiting on the real clock
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
        reason="needs PostgreSQL and Redis, which beat and a worker in other processes can "
        "reach: run under .ci/run (DATABASE_URL and REDIS_URL)",
    ),
]


def start(role: str, smtp_port: int, log, schedule) -> subprocess.Popen:
    if role == "worker":
        arguments = ["worker", "--pool=solo", "--without-mingle", "--without-gossip"]
        arguments += ["--hostname=reminders@%h"]
    else:
        arguments = ["beat", f"--schedule={schedule}"]
    return start_celery(
        arguments, log, EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}", REMINDERS_EVERY_SECONDS="1"
    )


def test_beat_and_a_worker_remind_of_tomorrows_meeting_once(transactional_db, clock, tmp_path):
    # Beat and the worker live on the real clock: so does this test's data.
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        clock.move_to(cursor.fetchone()[0])
    school = factories.SchoolFactory()
    coach, teacher = factories.coach_at(school), factories.teacher_at(school)
    partnership = factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher])
    factories.MeetingFactory(
        partnership=partnership,
        starts_at=timezone.now() + datetime.timedelta(hours=3),
    )
    logs = [tmp_path / "beat.log", tmp_path / "worker.log"]

    def log() -> str:
        return "\n".join(p.read_text(errors="replace") for p in logs if p.exists())

    with SmtpSink() as sink:
        processes = []
        try:
            processes.append(start("worker", sink.port, logs[1], None))
            processes.append(start("beat", sink.port, logs[0], tmp_path / "schedule"))
            arrived = lambda: sink.received_by(coach.email) and sink.received_by(teacher.email)  # noqa: E731
            assert wait_for(arrived, 60), log()
            # Beat goes on scanning every second: let it run a few more times.
            scans = lambda: log().count("notifications.tasks.send_reminders") >= 10  # noqa: E731
            assert wait_for(scans, 30), log()
            time.sleep(1)
        finally:
            for process in processes:
                kill(process)

    assert len(sink.received_by(coach.email)) == 1, log()
    assert len(sink.received_by(teacher.email)) == 1, log()
    message = sink.received_by(teacher.email)[0]
    assert message["Subject"].startswith(f"Tandem: Planning meeting with {coach.full_name}")
    assert "".join(message["List-Unsubscribe"].split()).startswith("<http")
