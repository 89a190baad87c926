"""The five busiest pages run exactly these queries, each named (tests/site/test_page_queries.py
shows that none grows with the data). A new query on one of them is a decision: change the
count here and say what it reads.

Every signed-in page starts with the same three: the session, the person, and their roles
(accounts.middleware). Each page is opened once before it is counted, as a person returns
to it: their first read of a record is written to its teacher's access log, a later one
bumps that entry."""

import pytest

pytestmark = pytest.mark.django_db

SIGNED_IN = 3  # session, person, roles


def test_the_coach_home(client_for, coach, world, django_assert_num_queries):
    client = client_for(coach)
    client.get("/coach/")
    with django_assert_num_queries(
        SIGNED_IN
        + 1  # the coach's partnerships at the school
        + 1  # their teachers, with whether each is still there
        + 1  # this week's minutes by kind
        + 1  # the open cycles, with their goals and who proposed them
        + 1  # upcoming meetings
        + 1  # overdue next steps
        + 1  # answers to the coach's feedback not yet opened
        + 1  # roles offered to the coach
        + 1  # drafts of feedback
        + 1  # the drafts' teachers
    ):
        assert client.get("/coach/").status_code == 200


def test_the_teacher_home(client_for, teacher, world, django_assert_num_queries):
    client = client_for(teacher)
    client.get("/teacher/")
    with django_assert_num_queries(
        SIGNED_IN
        + 1  # the teacher's partnerships at the school
        + 1  # the open cycle, its coach, focus and goal
        + 1  # the cycle's partnership's teachers
        + 1  # the goal's progress points
        + 1  # the next meeting
        + 1  # roles offered to the teacher
        + 1  # partnerships the teacher is invited to
        + 1  # feedback shared and not yet answered
        + 1  # closed cycles whose survey the teacher has not answered
        + 1  # open next steps
        + 1  # their partnerships' members (who may tick each step)
    ):
        assert client.get("/teacher/").status_code == 200


def test_the_cycle_page(client_for, coach, world, django_assert_num_queries):
    client = client_for(coach)
    url = f"/cycles/{world.cycle.pk}/"
    client.get(url)
    with django_assert_num_queries(
        SIGNED_IN
        + 1  # the cycle, its partnership, school, coach, focus and goal
        + 1  # the partnership's teachers
        + 1  # reflections the coach reads
        + 2  # the read of the teacher's shared reflections, bumped in their access log
        + 1  # progress points
        + 1  # evidence snapshots
        + 1  # the phase's history
        + 1  # look-fors chosen for the next lessons
        + 1  # the cycle's observations the coach reads
        + 1  # its videos the coach may watch
        + 1  # open next steps
        + 1  # meetings
    ):
        assert client.get(url).status_code == 200


def test_the_observation_page(client_for, coach, world, django_assert_num_queries):
    client = client_for(coach)
    url = f"/observations/{world.shared.pk}/"
    client.get(url)
    with django_assert_num_queries(
        SIGNED_IN
        + 1  # the observation, its cycle, partnership, school, goal and observer
        + 1  # the lesson's teachers
        + 1  # the partnership's teachers (whether it can still be shared)
        + 1  # the teachers' answers
        + 2  # the read, bumped in the teacher's access log
        + 1  # the lesson's look-fors
        + 1  # its notes
        + 1  # its seat map
        + 1  # its tallies
        + 1  # comments on its videos the coach may watch
    ):
        assert client.get(url).status_code == 200


def test_the_capture_page(client_for, coach, world, django_assert_num_queries):
    client = client_for(coach)
    url = f"/observations/{world.draft.pk}/capture/"
    client.get(url)
    with django_assert_num_queries(
        SIGNED_IN
        + 1  # the observation, its cycle, partnership, school, goal and observer
        + 1  # the lesson's teachers
        + 1  # the partnership's teachers
        + 1  # the teachers' answers
        + 2  # the read, bumped in the teacher's access log
        + 1  # the lesson's look-fors
        + 1  # its notes
        + 1  # its seat map
        + 1  # its tallies
    ):
        assert client.get(url).status_code == 200
