"""The coaches' Monday digest: at 7:00 on Monday where the school is, once, naming people,
days and counts, never what anyone wrote."""

import datetime

import pytest
from django.core import mail

from coaching.models import Partnership
from notifications.digest import send_digests
from notifications.models import Preference
from observations.services import observation_respond
from tests import factories

pytestmark = pytest.mark.django_db

CANARY = "CANARY-digest-5d1e"


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            send_digests()
        return mail.outbox

    return run


def a_week_of_coaching(world, coach, school):
    """Beside the world's meeting on Tuesday night: a meeting on Wednesday, a step overdue
    since last Thursday, a quiet cycle, an answer waiting, and last week's minutes."""
    partnership = world.partnership
    factories.MeetingFactory(
        partnership=partnership, kind="debrief", agenda=CANARY, notes=CANARY,
        starts_at=datetime.datetime(2026, 11, 25, 21, 30, tzinfo=datetime.UTC),
    )  # fmt: skip
    world.teacher_step.due_on = datetime.date(2026, 11, 19)
    world.teacher_step.text = CANARY
    world.teacher_step.save()
    Partnership.objects.filter(pk=partnership.pk).update(
        last_activity_at=datetime.datetime(2026, 11, 3, 18, 0, tzinfo=datetime.UTC)
    )
    teacher = world.partnership.members.get().teacher
    observation_respond(actor=teacher, observation=world.shared, text=CANARY)
    for day, minutes, kind in (
        (16, 45, "conversation"),
        (18, 30, "observation"),
        (20, 15, "conversation"),
    ):
        factories.ActivityEntryFactory(
            coach=coach,
            school=school,
            date=datetime.date(2026, 11, day),
            minutes=minutes,
            kind=kind,
        )
    factories.ActivityEntryFactory(
        coach=coach, school=school, date=datetime.date(2026, 11, 23), minutes=99
    )


CHICAGO_TEXT = """Good morning Maya,

Your coaching week at {school}, from Monday November 23.

MEETINGS THIS WEEK
- Planning meeting with Daniel Reyes, Tuesday November 24 at 11:30 pm
- Debrief meeting with Daniel Reyes, Wednesday November 25 at 3:30 pm

OVERDUE NEXT STEPS
- With Daniel Reyes, due Thursday November 19

CYCLES GONE QUIET (no activity for two weeks)
- With Daniel Reyes, since Tuesday November 3

ANSWERS TO YOUR FEEDBACK, NOT YET READ
- Daniel Reyes

LAST WEEK: 120 MINUTES
- Coaching conversation: 60 min
- Observation: 60 min

Your home page: http://127.0.0.1:8000/coach/
"""


def test_the_digest_arrives_at_seven_on_monday_in_chicago_once(run, world, coach, school, clock):
    a_week_of_coaching(world, coach, school)
    clock.move_to(datetime.datetime(2026, 11, 23, 12, 55, tzinfo=datetime.UTC))  # 6:55 there
    assert run() == []
    clock.move_to(datetime.datetime(2026, 11, 23, 13, 0, tzinfo=datetime.UTC))
    run()
    run()
    (digest,) = mail.outbox
    assert digest.to == [coach.email]
    assert digest.subject == f"Your coaching week at {school.name}, from Monday November 23"
    assert digest.body.startswith(CHICAGO_TEXT.format(school=school.name))
    html = digest.alternatives[0][0]
    assert "Debrief meeting with Daniel Reyes, Wednesday November 25 at 3:30 pm" in html
    for text in (digest.body, html):
        assert CANARY not in text
    assert "List-Unsubscribe" in digest.extra_headers
    clock.move_to(datetime.datetime(2026, 11, 24, 13, 0, tzinfo=datetime.UTC))  # Tuesday
    assert len(run()) == 1


def test_in_tokyo_it_is_monday_morning_while_chicago_is_still_on_sunday(
    run, world, coach, school, clock
):
    school.time_zone = "Asia/Tokyo"
    school.save()
    a_week_of_coaching(world, coach, school)
    clock.move_to(datetime.datetime(2026, 11, 22, 22, 0, tzinfo=datetime.UTC))  # 7:00 Monday there
    (digest,) = run()
    meetings = (
        "MEETINGS THIS WEEK\n"
        "- Planning meeting with Daniel Reyes, Wednesday November 25 at 2:30 pm\n"
        "- Debrief meeting with Daniel Reyes, Thursday November 26 at 6:30 am\n"
    )
    assert meetings in digest.body
    assert "since Wednesday November 4" in digest.body
    # Last week in Tokyo ended on Sunday the 22nd: the entry of Monday the 23rd is this week's.
    assert "LAST WEEK: 120 MINUTES" in digest.body


def test_a_coach_who_turned_it_off_gets_none(run, world, coach, school, clock):
    Preference.objects.create(user=coach, kind="digest", delivery="off")
    clock.move_to(datetime.datetime(2026, 11, 23, 13, 0, tzinfo=datetime.UTC))
    assert run() == []


def test_only_coaches_get_it(run, world, coach, teacher, school_admin, clock):
    clock.move_to(datetime.datetime(2026, 11, 23, 13, 0, tzinfo=datetime.UTC))
    assert [m.to for m in run()] == [[coach.email]]
