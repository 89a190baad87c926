"""The welcome e-mail: one per role given to someone who has no password yet."""

import datetime

import pytest
from django.core import mail

from accounts.models import RoleInvitation
from accounts.services import person_invite
from outbox.models import OutboxMessage
from outbox.tasks import resend_unsent_mail
from tests.support.mailserver import WorkerKilled, failing_mail_server

pytestmark = pytest.mark.django_db


def welcome(actor, school, role="teacher"):
    return person_invite(
        actor=actor, school=school, email="ada@example.org", full_name="Ada Lovelace", role=role
    )


def test_a_welcome_is_sent_once_when_its_task_runs_twice(
    school_admin, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        welcome(school_admin, school)
    callbacks[0]()  # the broker delivers the task again
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    assert mail.outbox[0].subject == "You are invited to Tandem"
    assert "Grace Whitfield invited you to Tandem" in mail.outbox[0].body


def test_a_second_role_before_a_password_is_a_second_welcome(
    school_admin, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        welcome(school_admin, school, role="teacher")
        welcome(school_admin, school, role="coach")
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 2
    user_id = RoleInvitation.objects.first().user_id
    assert set(OutboxMessage.objects.values_list("key", flat=True)) == {
        f"welcome:{user_id}:{i.pk}" for i in RoleInvitation.objects.filter(user=user_id)
    }


def test_a_welcome_cut_off_mid_send_is_sent_when_its_task_comes_back(
    school_admin, school, django_capture_on_commit_callbacks
):
    with (
        failing_mail_server(WorkerKilled()),
        pytest.raises(WorkerKilled),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        welcome(school_admin, school)
    assert mail.outbox == []
    callbacks[0]()
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]


def test_a_welcome_the_server_refused_is_sent_once_later(
    school_admin, school, clock, django_capture_on_commit_callbacks
):
    with (
        failing_mail_server(OSError("421 try again later")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        welcome(school_admin, school)
    assert OutboxMessage.objects.get().sent_at is None
    clock.shift(datetime.timedelta(minutes=6))
    resend_unsent_mail()
    resend_unsent_mail()
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]


def test_a_welcome_from_someone_whose_name_holds_a_newline_still_arrives(
    school_admin, school, django_capture_on_commit_callbacks
):
    school_admin.full_name = "Grace\r\nWhitfield"
    school_admin.save()
    with django_capture_on_commit_callbacks(execute=True):
        welcome(school_admin, school)
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    assert mail.outbox[0].subject == "You are invited to Tandem"
