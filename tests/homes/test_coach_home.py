import datetime

import pytest
from django.utils import timezone

from coaching.models import Partnership
from tests.factories import ActivityEntryFactory, MeetingFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def test_it_lists_partnerships_with_the_open_cycles_phase(client_for, coach, cycle):
    page = client_for(coach).get("/coach/").text
    assert "Daniel Reyes" in page
    assert cycle.title in page
    assert "Learn" in page


def test_it_says_how_long_a_partnership_has_been_quiet(client_for, coach, partnership):
    Partnership.objects.filter(pk=partnership.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(days=9)
    )
    assert "last activity 9 days ago" in client_for(coach).get("/coach/").text


def test_closed_partnerships_and_other_schools_are_left_out(
    client_for, coach, school, other_school
):
    PartnershipFactory(school=school, coach=coach, status="closed", teachers=[])
    assert "no coaching partnerships" in client_for(coach).get("/coach/").text


def test_it_shows_upcoming_meetings_not_past_or_held_ones(client_for, coach, partnership):
    MeetingFactory(partnership=partnership, kind="debrief")
    MeetingFactory(
        partnership=partnership,
        kind="reflecting",
        starts_at=timezone.now() - datetime.timedelta(days=1),
    )
    meetings = list(client_for(coach).get("/coach/").context["meetings"])
    assert [m["kind"] for m in meetings] == ["Debrief"]


def test_it_sums_this_weeks_minutes_by_kind(client_for, coach, school):
    ActivityEntryFactory(coach=coach, school=school, minutes=40, kind="co_planning")
    ActivityEntryFactory(coach=coach, school=school, minutes=20, kind="co_planning")
    response = client_for(coach).get("/coach/")
    assert ("Co-planning", 60) in response.context["week"]
    assert "This week: 60 min" in response.text


def test_log_time_is_one_tap_away(client_for, coach):
    page = client_for(coach).get("/coach/").text
    assert 'href="#log-time"' in page
    assert 'action="/activity/new/"' in page
