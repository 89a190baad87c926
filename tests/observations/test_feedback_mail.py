"""E-mails about feedback: one to each observed teacher when it is shared, one to the coach
at a teacher's first answer. They say something waits, never what it says."""

import datetime

import pytest
from django.core import mail

from observations.services import observation_respond, observation_share
from outbox.models import OutboxMessage
from outbox.tasks import resend_unsent_mail
from tests import factories
from tests.support.mailserver import WorkerKilled, failing_mail_server

pytestmark = pytest.mark.django_db

FEEDBACK = "Students explained their thinking."


@pytest.fixture
def draft(cycle):
    return factories.ObservationFactory(cycle=cycle, strengths=FEEDBACK)


@pytest.fixture
def shared(cycle):
    return factories.ObservationFactory(cycle=cycle, status="shared", strengths=FEEDBACK)


def test_shared_feedback_is_announced_once_when_its_task_runs_twice(
    coach, teacher, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        observation_share(actor=coach, observation=draft)
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [[teacher.email]]
    assert mail.outbox[0].subject == "Maya Okafor shared feedback with you"
    assert FEEDBACK not in mail.outbox[0].body


def test_each_observed_teacher_of_a_team_is_told_once(
    coach, teacher, colleague, cycle, django_capture_on_commit_callbacks
):
    cycle.partnership.members.create(teacher=colleague, status="accepted")
    draft = factories.ObservationFactory(cycle=cycle, teachers=[teacher, colleague])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        observation_share(actor=coach, observation=draft)
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == [colleague.email, teacher.email]
    assert set(OutboxMessage.objects.values_list("key", flat=True)) == {
        f"feedback-shared:{draft.pk}:{teacher.pk}",
        f"feedback-shared:{draft.pk}:{colleague.pk}",
    }


def test_shared_feedback_cut_off_mid_send_is_announced_when_its_task_comes_back(
    coach, teacher, draft, django_capture_on_commit_callbacks
):
    with (
        failing_mail_server(WorkerKilled()),
        pytest.raises(WorkerKilled),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        observation_share(actor=coach, observation=draft)
    assert mail.outbox == []
    callbacks[0]()
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [[teacher.email]]


def test_shared_feedback_the_server_refused_is_announced_once_later(
    coach, teacher, draft, clock, django_capture_on_commit_callbacks
):
    with (
        failing_mail_server(OSError("451 local error")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        observation_share(actor=coach, observation=draft)
    assert mail.outbox == []
    clock.shift(datetime.timedelta(minutes=6))
    resend_unsent_mail()
    resend_unsent_mail()
    assert [m.to for m in mail.outbox] == [[teacher.email]]


def test_a_coach_whose_name_holds_a_newline_still_shares_feedback(
    coach, teacher, draft, django_capture_on_commit_callbacks
):
    coach.full_name = "Maya\nOkafor"
    coach.save()
    with django_capture_on_commit_callbacks(execute=True):
        observation_share(actor=coach, observation=draft)
    assert [m.to for m in mail.outbox] == [[teacher.email]]
    assert mail.outbox[0].subject == "Maya Okafor shared feedback with you"


def test_the_coach_hears_of_the_first_answer_once(
    coach, teacher, shared, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = observation_respond(actor=teacher, observation=shared, text="Thank you!")
    callbacks[0]()
    clock.shift(datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        observation_respond(actor=teacher, observation=shared, text="Thank you! More soon.")
    assert [m.to for m in mail.outbox] == [[coach.email]]
    assert mail.outbox[0].subject == "Daniel Reyes answered your feedback"
    assert "Thank you" not in mail.outbox[0].body
    assert OutboxMessage.objects.get().key == f"response:{response.pk}"


def test_an_answer_notice_cut_off_mid_send_is_sent_when_its_task_comes_back(
    coach, teacher, shared, django_capture_on_commit_callbacks
):
    with (
        failing_mail_server(WorkerKilled()),
        pytest.raises(WorkerKilled),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        observation_respond(actor=teacher, observation=shared, text="Thank you!")
    assert mail.outbox == []
    callbacks[0]()
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [[coach.email]]


def test_an_answer_notice_the_server_refused_is_sent_once_later(
    coach, teacher, shared, clock, django_capture_on_commit_callbacks
):
    with (
        failing_mail_server(OSError("451 local error")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        observation_respond(actor=teacher, observation=shared, text="Thank you!")
    clock.shift(datetime.timedelta(minutes=6))
    resend_unsent_mail()
    resend_unsent_mail()
    assert [m.to for m in mail.outbox] == [[coach.email]]


def test_a_teacher_whose_name_holds_a_newline_still_reaches_their_coach(
    coach, teacher, shared, django_capture_on_commit_callbacks
):
    teacher.full_name = "Daniel\nReyes"
    teacher.save()
    with django_capture_on_commit_callbacks(execute=True):
        observation_respond(actor=teacher, observation=shared, text="Thank you!")
    assert [m.to for m in mail.outbox] == [[coach.email]]
    assert mail.outbox[0].subject == "Daniel Reyes answered your feedback"
