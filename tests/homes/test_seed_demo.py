import datetime
import io
from collections import Counter, defaultdict
from itertools import pairwise

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from accounts.models import School, User
from coaching.models import ActivityEntry, Meeting, NextStep
from observations.models import Observation

pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = {
    "coach@example.org": "/coach/",
    "teacher@example.org": "/teacher/",
    "principal@example.org": "/school/",
    "district@example.org": "/district/",
}


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin", "axes"}
    }


def test_running_it_twice_creates_nothing_twice():
    call_command("seed_demo", password="pw-for-tests")
    first = row_counts()
    call_command("seed_demo", password="pw-for-tests")
    assert row_counts() == first
    assert first["accounts.User"] >= 27


def test_it_seeds_enough_people_for_reports(django_user_model):
    call_command("seed_demo", password="pw-for-tests")
    teachers = django_user_model.objects.filter(memberships__role="teacher").distinct()
    coaches = django_user_model.objects.filter(memberships__role="coach").distinct()
    assert teachers.count() >= 21
    assert coaches.count() >= 3
    assert teachers.filter(memberships__school__name="Hillcrest Middle School").count() >= 10


@pytest.mark.parametrize(("email", "home"), DEMO_ACCOUNTS.items())
def test_each_demo_account_signs_in_and_lands_on_its_home(client, email, home):
    call_command("seed_demo", password="pw-for-tests")
    response = client.post("/accounts/sign-in/", {"username": email, "password": "pw-for-tests"})
    assert response.status_code == 302
    if home in ("/school/", "/district/"):
        # Administrators take the second step, with the code README tells how to get.
        assert client.get("/")["Location"].startswith("/accounts/two-step/")
        code = io.StringIO()
        call_command("two_step_code", email, stdout=code)
        client.post("/accounts/two-step/", {"code": code.getvalue().strip()})
    assert client.get("/")["Location"] == home
    assert client.get(home).status_code == 200


def test_the_password_comes_from_demo_password(client, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "from-the-environment")
    call_command("seed_demo")
    response = client.post(
        "/accounts/sign-in/",
        {"username": "teacher@example.org", "password": "from-the-environment"},
    )
    assert response.status_code == 302


def test_the_demo_has_one_report_release_however_often_it_is_seeded():
    from reports.models import ReportRelease

    call_command("seed_demo", password="pw-for-tests")
    call_command("seed_demo", password="pw-for-tests")
    assert ReportRelease.objects.count() == 1


def test_the_administrators_pages_work_for_the_demo_accounts(client):
    call_command("seed_demo", password="pw-for-tests")
    for email, pages in {
        "principal@example.org": ["/school/", "/people/", "/people/import/"],
        "district@example.org": ["/district/", "/people/", "/library/"],
    }.items():
        client.post("/accounts/sign-in/", {"username": email, "password": "pw-for-tests"})
        code = io.StringIO()
        call_command("two_step_code", email, stdout=code)
        client.post("/accounts/two-step/", {"code": code.getvalue().strip()})
        for page in pages:
            assert client.get(page).status_code == 200, (email, page)
        figures_page = client.get(pages[0])
        scope = figures_page.context.get("school") or figures_page.context["district"]
        kind = "schools" if "school" in figures_page.context else "districts"
        export = client.get(f"/reports/{kind}/{scope.pk}/export.csv")
        assert export.status_code == 200
        assert b"Teachers taking part" in export.content
        client.post("/accounts/sign-out/")


# The demo is dated from the school's today, whatever day that is: seed it on the frozen
# Sunday night, on a Thursday afternoon (when "in two days" is a Saturday) and on a Friday
# before school opens.
SEEDED_AT = {
    "Sunday night": None,
    "Thursday afternoon": datetime.datetime(2026, 11, 19, 22, 0, tzinfo=datetime.UTC),
    "Friday before school": datetime.datetime(2026, 11, 20, 14, 30, tzinfo=datetime.UTC),
}
SCHOOL_OPENS, SCHOOL_CLOSES = datetime.time(7, 0), datetime.time(17, 0)
A_LESSON = datetime.timedelta(minutes=45)


@pytest.fixture(params=SEEDED_AT.values(), ids=SEEDED_AT)
def seeded(request, clock):
    if request.param:
        clock.move_to(request.param)
    call_command("seed_demo", password="pw-for-tests")
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


def test_no_two_next_steps_read_the_same():
    call_command("seed_demo", password="pw-for-tests")
    texts = Counter(NextStep.objects.values_list("text", flat=True))
    assert texts
    assert [text for text, times in texts.items() if times > 1] == []


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
