"""Acceptance: real Celery workers, Redis and an SMTP server; a worker killed mid-send.

A coach invites three teachers. The mail server hangs on the second invitation after
reading it whole, and the worker sending it is killed (SIGKILL, its whole process group)
before the server answers. A new worker starts: every invitation arrives, none twice, and
a task delivered again for one already sent sends nothing.
"""

import os
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection

from coaching.services import partnership_invite
from config import celery_app
from outbox.mail import mail_enqueue
from outbox.models import OutboxMessage
from outbox.tasks import send_outbox_message
from tests import factories
from tests.support.mailserver import SmtpSink
from tests.support.workers import kill, start_celery, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,  # real Celery processes, waiting on the real clock
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
        reason="needs PostgreSQL and Redis, which workers in other processes can reach: "
        "run under .ci/run (DATABASE_URL and REDIS_URL)",
    ),
]

# The killed worker's task goes back to the queue once unacknowledged this long. Short
# here so the test is quick; production's is an hour.
VISIBILITY_TIMEOUT = 3


def start_worker(name: str, smtp_port: int, log: Path) -> subprocess.Popen:
    arguments = ["worker", "--pool=prefork", "--concurrency=1", "--without-mingle"]
    arguments += ["--without-gossip", "--without-heartbeat", f"--hostname={name}@%h"]
    return start_celery(
        arguments,
        log,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        EMAIL_TIMEOUT="30",  # the server's hang must outlast the kill
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
    )


def test_a_worker_killed_mid_send_loses_no_mail_and_repeats_none(
    transactional_db, coach, teacher, colleague, school, monkeypatch, tmp_path
):
    third = factories.teacher_at(
        school, user__full_name="Ines Duarte", user__email="ines@example.org"
    )
    # Publish to Redis, as the web process does, instead of running tasks here.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    workers = []

    def log() -> str:
        return "\n".join(p.read_text(errors="replace") for p in logs if p.exists())

    with SmtpSink() as sink:
        sink.hang_for.add(colleague.email)
        try:
            workers.append(start_worker("mail-1", sink.port, logs[0]))
            partnership_invite(actor=coach, school=school, teachers=[teacher, colleague, third])
            assert sink.hung.wait(40), f"the second invitation never reached the server\n{log()}"
            kill(workers[0])

            first = OutboxMessage.objects.get(recipient=teacher.email)
            assert first.sent_at is not None
            assert OutboxMessage.objects.get(recipient=colleague.email).sent_at is None
            send_outbox_message.delay(first.pk)  # a task delivered again after it succeeded
            # Queued behind everything else: once it arrives, all before it has run.
            mail_enqueue(key="test:last", to="last@example.org", subject="Last", body="-")

            time.sleep(VISIBILITY_TIMEOUT + 1)  # the killed worker's task becomes visible
            workers.append(start_worker("mail-2", sink.port, logs[1]))
            everyone = [teacher.email, colleague.email, third.email, "last@example.org"]
            assert wait_for(lambda: all(sink.received_by(a) for a in everyone), 40), log()
            # The server has the last message a moment before the worker records it sent:
            # wait for the record too, before the workers are stopped.
            unsent = OutboxMessage.objects.filter(sent_at__isnull=True)
            assert wait_for(lambda: not unsent.exists(), 40), log()
        finally:
            for worker in workers:
                kill(worker)

    assert {a: len(sink.received_by(a)) for a in everyone} == dict.fromkeys(everyone, 1), log()
    invitation = sink.received_by(colleague.email)[0]
    assert invitation["Subject"] == "Maya Okafor invites you to a coaching partnership"
