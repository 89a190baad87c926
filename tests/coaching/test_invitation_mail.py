"""The invitation e-mail: one per teacher invited, whatever the broker and the server do."""

import datetime

import pytest
from django.core import mail

from coaching.services import partnership_invite
from outbox.models import OutboxMessage
from outbox.tasks import resend_unsent_mail
from tests.support.mailserver import WorkerKilled, failing_mail_server

pytestmark = pytest.mark.django_db


def invite(coach, school, *teachers):
    return partnership_invite(actor=coach, school=school, teachers=teachers)


def test_an_invitation_is_sent_once_when_its_task_runs_twice(
    coach, teacher, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invite(coach, school, teacher)
    callbacks[0]()  # the broker delivers the task again
    assert [m.to for m in mail.outbox] == [[teacher.email]]
    assert mail.outbox[0].subject == "Maya Okafor invites you to a coaching partnership"


def test_an_invitation_cut_off_mid_send_is_sent_when_its_task_comes_back(
    coach, teacher, school, django_capture_on_commit_callbacks
):
    with (
        failing_mail_server(WorkerKilled()),
        pytest.raises(WorkerKilled),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        invite(coach, school, teacher)
    assert mail.outbox == []
    # Acknowledged late, the killed worker's task is delivered again.
    callbacks[0]()
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [[teacher.email]]


def test_an_invitation_the_server_refused_is_sent_once_later(
    coach, teacher, school, clock, django_capture_on_commit_callbacks
):
    with (
        failing_mail_server(OSError("421 try again later")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        invite(coach, school, teacher)
    owed = OutboxMessage.objects.get(key__startswith="invitation:")
    assert (owed.sent_at, owed.attempts) == (None, 1)
    assert mail.outbox == []

    clock.shift(datetime.timedelta(minutes=6))
    resend_unsent_mail()
    resend_unsent_mail()
    assert [m.to for m in mail.outbox] == [[teacher.email]]


def test_each_teacher_of_a_team_is_invited_once(
    coach, teacher, colleague, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        partnership = invite(coach, school, teacher, colleague)
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == [colleague.email, teacher.email]
    keys = set(OutboxMessage.objects.values_list("key", flat=True))
    assert keys == {f"invitation:{m.pk}" for m in partnership.members.all()}


def test_a_coach_whose_name_holds_a_newline_still_invites(
    coach, teacher, school, django_capture_on_commit_callbacks
):
    coach.full_name = "Maya\nOkafor"
    coach.save()
    with django_capture_on_commit_callbacks(execute=True):
        invite(coach, school, teacher)
    assert mail.outbox[0].subject == "Maya Okafor invites you to a coaching partnership"
