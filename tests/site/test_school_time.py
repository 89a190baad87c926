"""Time is the school's: its days and weeks start at its own midnight, whatever UTC says.

Each test stands on a boundary where the school's date and UTC's differ: late on Sunday in
Chicago it is already Monday in UTC, and early on Monday in Auckland it is still Sunday.
"""

import datetime
import zoneinfo

import pytest

from coaching.models import ActivityEntry
from cycles.models import ProgressPoint
from tests.factories import GoalFactory, MeetingFactory, NextStepFactory, SchoolFactory

pytestmark = pytest.mark.django_db

SUNDAY, MONDAY = datetime.date(2026, 11, 22), datetime.date(2026, 11, 23)
WEEK_OF_SUNDAY = datetime.date(2026, 11, 16)


@pytest.fixture(params=["America/Chicago", "Pacific/Auckland"])
def school(request, district):
    return SchoolFactory(district=district, name="Riverside Elementary", time_zone=request.param)


def at(school, local_time: str) -> datetime.datetime:
    """An instant given as the school's wall-clock time."""
    return datetime.datetime.fromisoformat(local_time).replace(tzinfo=school.zone)


def test_the_boundaries_differ_from_utc(school):
    sunday_night, monday_morning = at(school, "2026-11-22T23:30"), at(school, "2026-11-23T00:01")
    utc = zoneinfo.ZoneInfo("UTC")
    # Chicago's Sunday night is Monday in UTC; Auckland's Monday morning is Sunday in UTC.
    assert (sunday_night.astimezone(utc).date(), monday_morning.astimezone(utc).date()) in (
        (MONDAY, MONDAY),
        (SUNDAY, SUNDAY),
    )


def test_time_logged_late_on_sunday_counts_in_that_week(clock, school, coach, client_for):
    clock.move_to(at(school, "2026-11-22T23:30"))
    client = client_for(coach)
    assert 'value="2026-11-22"' in client.get("/activity/").text  # the form offers today
    client.post("/activity/new/", {"date": "2026-11-22", "minutes": "30", "kind": "modelling"})
    assert ActivityEntry.objects.get().date == SUNDAY

    page = client.get("/activity/")
    assert page.context["week_start"] == WEEK_OF_SUNDAY
    assert page.context["week_total"] == 30
    assert "This week: 30 min" in client.get("/coach/").text

    clock.move_to(at(school, "2026-11-23T00:01"))
    page = client.get("/activity/")
    assert page.context["week_start"] == MONDAY
    assert page.context["week_total"] == 0
    assert "This week: 0 min" in client.get("/coach/").text


def test_a_step_due_today_is_overdue_only_after_the_schools_midnight(
    clock, school, coach, teacher, partnership, client_for
):
    NextStepFactory(partnership=partnership, text="Sort the exit tickets", due_on=SUNDAY)

    clock.move_to(at(school, "2026-11-22T23:59"))
    assert list(client_for(coach).get("/coach/").context["overdue"]) == []
    assert "Overdue" not in client_for(teacher).get("/teacher/").text

    clock.move_to(at(school, "2026-11-23T00:01"))
    assert [s["text"] for s in client_for(coach).get("/coach/").context["overdue"]] == [
        "Sort the exit tickets"
    ]
    assert "Overdue" in client_for(teacher).get("/teacher/").text


def test_a_meeting_held_late_on_sunday_logs_its_minutes_on_sunday(
    clock, school, coach, partnership, client_for
):
    meeting = MeetingFactory(partnership=partnership, starts_at=at(school, "2026-11-22T22:45"))
    clock.move_to(at(school, "2026-11-23T00:30"))
    client_for(coach).post(f"/meetings/{meeting.pk}/held/")
    assert ActivityEntry.objects.get(meeting=meeting).date == SUNDAY


def test_progress_dated_the_schools_today_is_accepted_on_monday_morning(
    clock, school, teacher, partnership, client_for
):
    clock.move_to(at(school, "2026-11-23T00:30"))
    cycle = GoalFactory(cycle__partnership=partnership).cycle  # started a month before
    client_for(teacher).post(
        f"/cycles/{cycle.pk}/progress/",
        {"recorded_on": "2026-11-23", "value": "55", "source": "assessment", "note": ""},
    )
    assert ProgressPoint.objects.get().recorded_on == MONDAY
