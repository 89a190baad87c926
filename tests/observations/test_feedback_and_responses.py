import datetime

import pytest
from django.core import mail

from observations.models import ObservationResponse
from tests import factories

pytestmark = pytest.mark.django_db


def test_feedback_stays_a_draft_until_shared(client_for, coach, teacher, world):
    draft = world.draft
    client_for(coach).post(
        f"/observations/{draft.pk}/feedback/",
        {"strengths": "Clear routines", "wonderings": "", "next_steps": ""},
    )
    assert client_for(teacher).get(f"/observations/{draft.pk}/").status_code == 404


def test_sharing_lets_the_teacher_read_and_emails_them(
    client_for, coach, teacher, world, django_capture_on_commit_callbacks
):
    draft = world.draft
    with django_capture_on_commit_callbacks(execute=True):
        client_for(coach).post(f"/observations/{draft.pk}/share/")
    draft.refresh_from_db()
    assert draft.is_shared
    page = client_for(teacher).get(f"/observations/{draft.pk}/").text
    assert "Students explained their thinking." in page
    assert [m.to for m in mail.outbox] == [[teacher.email]]
    # The e-mail says that feedback waits, never what it says.
    assert "Students explained" not in mail.outbox[0].body


def test_sharing_without_feedback_is_refused(client_for, coach, world):
    draft = world.draft
    draft.strengths = ""
    draft.save()
    response = client_for(coach).post(f"/observations/{draft.pk}/share/", follow=True)
    assert "Write some feedback before sharing" in response.text
    draft.refresh_from_db()
    assert not draft.is_shared


def test_an_amended_shared_observation_tells_the_teacher(client_for, coach, teacher, world):
    client_for(coach).post(
        f"/observations/{world.shared.pk}/feedback/",
        {"strengths": "Even clearer", "wonderings": "", "next_steps": ""},
    )
    page = client_for(teacher).get(f"/observations/{world.shared.pk}/").text
    assert "after it was shared" in page
    assert "Even clearer" in page


def test_the_teacher_sees_feedback_waiting_until_they_answer(client_for, teacher, world):
    client = client_for(teacher)
    assert "shared feedback on your lesson" in client.get("/teacher/").text
    client.post(f"/observations/{world.shared.pk}/respond/", {"text": "Thank you!"})
    assert "shared feedback on your lesson" not in client.get("/teacher/").text
    assert ObservationResponse.objects.get().text == "Thank you!"


def test_the_coach_sees_answers_waiting_until_opened(client_for, coach, teacher, world):
    client_for(teacher).post(f"/observations/{world.shared.pk}/respond/", {"text": "Noted"})
    client = client_for(coach)
    assert "Answers to your feedback" in client.get("/coach/").text
    assert "Noted" in client.get(f"/observations/{world.shared.pk}/").text
    assert "Answers to your feedback" not in client.get("/coach/").text


def test_an_updated_answer_waits_again(client_for, coach, teacher, world, clock):
    client_for(teacher).post(f"/observations/{world.shared.pk}/respond/", {"text": "First"})
    client_for(coach).get(f"/observations/{world.shared.pk}/")
    clock.shift(datetime.timedelta(minutes=5))
    client_for(teacher).post(f"/observations/{world.shared.pk}/respond/", {"text": "Second"})
    assert "Answers to your feedback" in client_for(coach).get("/coach/").text
    assert ObservationResponse.objects.get().text == "Second"


def test_a_teacher_may_simply_acknowledge(client_for, teacher, world):
    client_for(teacher).post(f"/observations/{world.shared.pk}/respond/", {"text": ""})
    assert ObservationResponse.objects.get().acknowledged_at is not None


def test_evidence_from_the_lesson_feeds_the_goal(client_for, coach, teacher, world):
    for person, value in ((coach, "7"), (teacher, "9")):
        client_for(person).post(
            f"/observations/{world.shared.pk}/to-goal/",
            {"value": value, "unit": world.goal.unit, "what": "Open questions", "confirmed": "1"},
        )
    points = world.goal.progress.filter(source="observation")
    assert sorted(p.value for p in points) == [7, 9]


def test_answers_unread_before_the_upgrade_still_wait_for_the_coach(
    client_for, coach, teacher, world
):
    """The migration that moved the flag onto the observation keeps every unread answer."""
    from importlib import import_module

    from django.apps import apps

    from observations.models import Observation

    client_for(teacher).post(f"/observations/{world.shared.pk}/respond/", {"text": "Noted"})
    Observation.objects.update(answers_unseen=False)  # as a database from before it
    migration = import_module("observations.migrations.0004_answers_unseen_on_observation")
    migration.flag_observations_with_unseen_answers(apps, None)
    assert "Answers to your feedback" in client_for(coach).get("/coach/").text


def test_a_teachers_answer_is_theirs_and_the_coachs_never_a_team_colleagues(
    client_for, coach, teacher, colleague, cycle
):
    cycle.partnership.members.create(teacher=colleague, status="accepted")
    lesson = factories.ObservationFactory(
        cycle=cycle, status="shared", teachers=[teacher, colleague]
    )
    lesson.responses.create(teacher=teacher, text="Mine: the exit ticket worked.")
    lesson.responses.create(teacher=colleague, text="Theirs: I tried it too.")
    colleagues_page = client_for(colleague).get(f"/observations/{lesson.pk}/").text
    assert "Theirs: I tried it too." in colleagues_page
    assert "Mine: the exit ticket worked." not in colleagues_page
    assert "Daniel Reyes acknowledged" not in colleagues_page
    coaches_page = client_for(coach).get(f"/observations/{lesson.pk}/").text
    assert "Mine: the exit ticket worked." in coaches_page
    assert "Theirs: I tried it too." in coaches_page


def test_a_share_without_feedback_warns_in_readable_colours(client_for, coach, cycle):
    draft = factories.ObservationFactory(cycle=cycle, strengths="")
    page = client_for(coach).get(f"/observations/{draft.pk}/share/").text
    assert 'class="alert-link" href="/observations/' in page
    assert ">Write feedback</a>" in page
