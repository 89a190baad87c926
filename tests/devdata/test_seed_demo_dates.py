"""The demo is dated from the school's today, whatever day that is: it is seeded on the
frozen Sunday night, on a Thursday afternoon (when "in two days" is a Saturday) and on a
Friday before school opens, once for each instant (`demo_once`, tests/conftest.py), and
each test reads it at that instant."""

import datetime
from collections import defaultdict
from itertools import pairwise

import pytest
from django.utils import timezone

from accounts.models import School, User
from coaching.models import ActivityEntry, Meeting, NextStep
from observations.models import Observation

SEEDED_AT = {
    "Sunday night": None,
    "Thursday afternoon": datetime.datetime(2026, 11, 19, 22, 0, tzinfo=datetime.UTC),
    "Friday before school": datetime.datetime(2026, 11, 20, 14, 30, tzinfo=datetime.UTC),
}
SCHOOL_OPENS, SCHOOL_CLOSES = datetime.time(7, 0), datetime.time(17, 0)
A_LESSON = datetime.timedelta(minutes=45)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.parametrize(
        "demo_once", SEEDED_AT.values(), ids=SEEDED_AT, indirect=True, scope="module"
    ),
]


@pytest.fixture
def seeded(demo_once, clock):
    clock.move_to(demo_once)
    return timezone.now()


def meetings_by_coach():
    by_coach = defaultdict(list)
    for meeting in Meeting.objects.select_related("partnership__school"):
        by_coach[meeting.partnership.coach_id].append(meeting)
    return by_coach


def local(moment, school):
    return timezone.localtime(moment, school.zone)


def overlapping(intervals):
    """Pairs of (start, end, what) that share some time."""
    ordered = sorted(intervals)
    return [(a, b) for a, b in pairwise(ordered) if b[0] < a[1]]


def test_no_coach_has_two_meetings_at_once(seeded):
    for coach, meetings in meetings_by_coach().items():
        intervals = [
            (m.starts_at, m.starts_at + datetime.timedelta(minutes=m.duration_minutes), str(m))
            for m in meetings
        ]
        assert not overlapping(intervals), coach


def test_no_coach_observes_a_lesson_while_in_a_meeting_or_another_lesson(seeded):
    by_coach = meetings_by_coach()
    lessons = defaultdict(list)
    for observation in Observation.objects.all():
        lessons[observation.observer_id].append(
            (observation.observed_at, observation.observed_at + A_LESSON, "lesson")
        )
    assert lessons
    for coach, observed in lessons.items():
        meetings = [
            (m.starts_at, m.starts_at + datetime.timedelta(minutes=m.duration_minutes), str(m))
            for m in by_coach[coach]
        ]
        assert not overlapping(observed + meetings), coach


def test_meetings_fall_on_weekdays_within_school_hours(seeded):
    for meeting in Meeting.objects.select_related("partnership__school"):
        school = meeting.partnership.school
        starts = local(meeting.starts_at, school)
        ends = starts + datetime.timedelta(minutes=meeting.duration_minutes)
        assert starts.weekday() < 5, starts
        assert starts.time() >= SCHOOL_OPENS, starts
        assert ends.date() == starts.date(), starts
        assert ends.time() <= SCHOOL_CLOSES, starts


def test_meetings_are_spread_over_days_and_times(seeded):
    for coach, meetings in meetings_by_coach().items():
        times = {local(m.starts_at, m.partnership.school).time() for m in meetings}
        days = {local(m.starts_at, m.partnership.school).date() for m in meetings}
        assert len(times) >= 4, coach
        assert len(days) * 2 >= len(meetings), coach


def test_held_meetings_are_past_and_the_others_to_come(seeded):
    now = seeded
    for meeting in Meeting.objects.all():
        if meeting.held_at:
            assert meeting.starts_at < meeting.held_at <= now
        else:
            assert meeting.starts_at > now


def test_observations_are_lessons_already_given_on_weekdays(seeded):
    for observation in Observation.objects.select_related("cycle__partnership__school"):
        school = observation.cycle.partnership.school
        starts = local(observation.observed_at, school)
        assert observation.observed_at + A_LESSON <= seeded, starts
        assert starts.weekday() < 5, starts
        assert SCHOOL_OPENS <= starts.time() <= SCHOOL_CLOSES, starts


def test_no_time_is_logged_after_the_schools_today(seeded):
    for entry in ActivityEntry.objects.select_related("school"):
        assert entry.date <= entry.school.today(), entry.note


def test_logged_time_is_spread_over_past_weeks_on_school_days(seeded):
    entries = ActivityEntry.objects.all()
    assert all(entry.date.weekday() < 5 for entry in entries)
    weeks = {entry.date.isocalendar()[:2] for entry in entries}
    assert len(weeks) >= 4


def test_the_demo_coach_and_teacher_have_something_due_and_something_coming(seeded):
    coach = User.objects.get(email="coach@example.org")
    teacher = User.objects.get(email="teacher@example.org")
    school_today = School.objects.get(name="Riverside Elementary").today()
    open_steps = NextStep.objects.filter(partnership__coach=coach, done_at__isnull=True)
    assert open_steps.filter(due_on__lt=school_today).exists()
    assert open_steps.filter(due_on__gte=school_today).exists()
    assert open_steps.filter(partnership__members__teacher=teacher).exists()
    upcoming = Meeting.objects.filter(partnership__coach=coach, held_at__isnull=True)
    assert upcoming.count() >= 3
    assert upcoming.filter(partnership__members__teacher=teacher).exists()


def test_a_coachs_observations_of_one_day_read_differently(seeded):
    from observations.models import Observation

    seen = {}
    for observation in Observation.objects.prefetch_related("notes"):
        words = tuple(note.text for note in observation.notes.all())
        day = (observation.observer_id, observation.observed_at.date(), words)
        assert day not in seen, "two observations of one day with the very same notes"
        seen[day] = observation.pk


def test_no_two_coaches_log_the_same_week(seeded):
    from django.db.models import Sum

    from coaching.models import ActivityEntry

    weeks = {
        tuple(
            ActivityEntry.objects.filter(coach_id=coach)
            .values_list("kind")
            .annotate(total=Sum("minutes"))
            .order_by("kind")
        )
        for coach in ActivityEntry.objects.values_list("coach_id", flat=True).distinct()
    }
    coaches = ActivityEntry.objects.values("coach_id").distinct().count()
    assert len(weeks) == coaches
