"""The outbox: a message is owed once per purpose and marked sent only once accepted."""

import datetime
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection

from config import celery_app
from outbox import tasks
from outbox.mail import MAX_ATTEMPTS, header_safe, mail_enqueue, mail_send
from outbox.models import OutboxMessage
from tests import factories
from tests.support.mailserver import SmtpSink, failing_mail_server

pytestmark = pytest.mark.django_db


def owe(key="invitation:1", to="daniel@example.org", subject="Hello"):
    return mail_enqueue(key=key, to=to, subject=subject, body="Something waits for you.")


def test_a_message_is_marked_sent_only_after_the_server_accepts_it(clock):
    message = owe()
    with (
        failing_mail_server(ConnectionRefusedError("no server")),
        pytest.raises(ConnectionRefusedError),
    ):
        mail_send(message.pk)
    message.refresh_from_db()
    assert (message.sent_at, message.attempts) == (None, 1)
    assert message.last_error == "ConnectionRefusedError: no server"
    assert mail.outbox == []

    clock.shift(datetime.timedelta(minutes=1))
    assert mail_send(message.pk) is True
    message.refresh_from_db()
    assert message.sent_at is not None
    assert (message.attempts, message.last_error) == (2, "")
    assert [m.to for m in mail.outbox] == [["daniel@example.org"]]


def test_a_sent_message_is_never_sent_again():
    message = owe()
    assert mail_send(message.pk) is True
    assert mail_send(message.pk) is False
    assert tasks.send_outbox_message(message.pk) is False
    assert len(mail.outbox) == 1


def test_the_same_purpose_is_owed_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = owe()
        again = owe(subject="A second click")
    assert first == again
    assert OutboxMessage.objects.count() == 1
    assert len(callbacks) == 1
    assert [m.subject for m in mail.outbox] == ["Hello"]


def test_nothing_is_sent_before_the_change_it_is_about_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        owe()
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_broker_that_is_down_fails_no_request(monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args):
        raise OSError("Error 111 connecting to redis")

    monkeypatch.setattr(tasks.send_outbox_message, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        owe()
    # The row is committed with the change; the sweeper sends it.
    assert OutboxMessage.objects.get().sent_at is None


@pytest.mark.parametrize(
    "name",
    ["Maya\nOkafor", "Maya\r\nOkafor", "Maya\tOkafor", "Maya\x00Okafor", "Maya\u2028Okafor"],
)
def test_a_subject_never_breaks_on_a_name(name):
    assert header_safe(f"  {name}  shared feedback with you\n") == (
        "Maya Okafor shared feedback with you"
    )
    message = owe(subject=f"{name} shared feedback with you")
    assert mail_send(message.pk) is True
    assert mail.outbox[0].subject == "Maya Okafor shared feedback with you"


def test_a_message_sent_again_carries_the_same_message_id():
    message = owe()
    mail_send(message.pk)
    # The documented window: the server accepted, the worker died before writing so.
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=None)
    mail_send(message.pk)
    first, second = (m.message()["Message-ID"] for m in mail.outbox)
    assert first == second
    assert f".{message.pk}.tandem@" in first


def test_the_sweeper_resends_what_waited_and_nothing_else(clock):
    lost = owe(key="invitation:1")
    given_up = owe(key="invitation:2")
    OutboxMessage.objects.filter(pk=given_up.pk).update(attempts=MAX_ATTEMPTS)
    sent = owe(key="invitation:3")
    mail_send(sent.pk)
    clock.shift(datetime.timedelta(minutes=4))
    fresh = owe(key="invitation:4")
    assert tasks.resend_unsent_mail() == 0

    clock.shift(datetime.timedelta(minutes=2))
    assert tasks.resend_unsent_mail() == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.sent_at is not None
    assert fresh.sent_at is None
    assert len(mail.outbox) == 2  # `sent`, then `lost`
    assert tasks.resend_unsent_mail() == 0


def test_the_mail_server_gets_a_bounded_time_and_tasks_are_not_handed_out_twice():
    from config.settings import base

    assert 0 < base.EMAIL_TIMEOUT <= 60
    assert tasks.send_outbox_message.time_limit == 10 * settings.EMAIL_TIMEOUT
    # Redis hands an unacknowledged task to another worker after the visibility timeout:
    # it must outlast a whole send and the longest retry countdown (600 s).
    visibility = celery_app.conf.broker_transport_options["visibility_timeout"]
    assert visibility > tasks.send_outbox_message.time_limit + 600
    assert tasks.send_outbox_message.acks_late is True
    assert tasks.send_outbox_message.reject_on_worker_lost is True
    assert settings.CELERY_BEAT_SCHEDULE["resend-unsent-mail"]["task"] == (
        "outbox.tasks.resend_unsent_mail"
    )


def test_a_hung_mail_server_fails_the_attempt_instead_of_holding_the_worker(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_TIMEOUT = 1
    with SmtpSink() as sink:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        sink.hang_for.add("daniel@example.org")
        message = owe()
        with pytest.raises(OSError, match="timed out"):
            mail_send(message.pk)
        assert sink.hung.is_set()
        message.refresh_from_db()
        assert message.sent_at is None
        assert "timed out" in message.last_error

        assert mail_send(message.pk) is True
        assert [m["Subject"] for m in sink.received_by("daniel@example.org")] == ["Hello"]


class SlowServer(locmem.EmailBackend):
    """Holds the first worker inside the send until the test lets it go."""

    sending = threading.Event()
    release = threading.Event()

    def send_messages(self, messages):
        SlowServer.sending.set()
        SlowServer.release.wait(10)
        return super().send_messages(messages)


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are PostgreSQL's (SQLite locks the whole file): run under .ci/run",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_both_send_one_message(settings):
    # Made directly: in autocommit mail_enqueue would send it at once.
    message = OutboxMessage.objects.create(
        key="invitation:1", recipient="daniel@example.org", subject="Hello", body="Waits."
    )
    SlowServer.sending.clear()
    SlowServer.release.clear()
    settings.EMAIL_BACKEND = f"{__name__}.SlowServer"
    results = {}

    def first_worker():
        try:
            results["first"] = mail_send(message.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=first_worker)
    worker.start()
    try:
        assert SlowServer.sending.wait(10)
        # The second worker finds the row locked and leaves it to the first.
        results["second"] = mail_send(message.pk)
    finally:
        SlowServer.release.set()
        worker.join(10)
    assert results == {"first": True, "second": False}
    assert mail_send(message.pk) is False
    assert len(mail.outbox) == 1


def test_operators_see_stuck_mail_but_not_its_body_and_can_try_again(
    client_for, django_capture_on_commit_callbacks
):
    operator = factories.UserFactory(is_staff=True, is_superuser=True)
    stuck = mail_enqueue(
        key="welcome:9:9", to="ada@example.org", subject="Welcome", body="SECRET-LINK"
    )
    OutboxMessage.objects.filter(pk=stuck.pk).update(
        attempts=MAX_ATTEMPTS, last_error="SMTPRecipientsRefused: 550"
    )
    client = client_for(operator)
    page = client.get("/operators/outbox/outboxmessage/").text
    assert "welcome:9:9" in page
    assert "SMTPRecipientsRefused: 550" in page
    assert (
        "SECRET-LINK" not in client.get(f"/operators/outbox/outboxmessage/{stuck.pk}/change/").text
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/operators/outbox/outboxmessage/",
            {"action": "try_again", "_selected_action": [stuck.pk]},
        )
    stuck.refresh_from_db()
    assert stuck.sent_at is not None
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
