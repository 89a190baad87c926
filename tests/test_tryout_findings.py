"""What a fresh-clone tryout of the working loop found, each fixed and held here."""

import datetime
import re

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from coaching.models import Partnership
from reports.releases import release_district
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_share_without_feedback_warns_in_readable_colours(client_for, coach, cycle):
    draft = factories.ObservationFactory(cycle=cycle, strengths="")
    page = client_for(coach).get(f"/observations/{draft.pk}/share/").text
    assert 'class="alert-link" href="/observations/' in page
    assert ">Write feedback</a>" in page


@pytest.mark.parametrize(("value", "refused"), [("-5", True), ("1000", True), ("55", False)])
def test_a_percentage_goal_takes_progress_between_0_and_100(
    client_for, teacher, cycle, value, refused
):
    goal = cycle.goal
    goal.unit = "%"
    goal.save(update_fields=["unit"])
    response = client_for(teacher).post(
        f"/cycles/{cycle.pk}/progress/",
        {"recorded_on": cycle.partnership.school.today(), "value": value, "source": "assessment"},
    )
    assert goal.progress.exists() is not refused
    if refused:
        assert response.status_code == 200
        assert re.search(r"below 0|at most 100", response.text)


def test_logging_time_with_a_teacher_is_activity_on_the_coach_home(
    client_for, coach, partnership, school
):
    Partnership.objects.filter(pk=partnership.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(days=9)
    )
    client = client_for(coach)
    client.post(
        "/activity/new/",
        {
            "date": school.today(),
            "minutes": 30,
            "kind": "conversation",
            "partnership": partnership.pk,
        },
    )
    assert "last activity today" in client.get("/coach/").text


def test_time_cannot_be_logged_with_a_partnership_not_yet_accepted(client_for, coach, school):
    invited = factories.PartnershipFactory(school=school, coach=coach, status="invited")
    page = client_for(coach).get("/activity/new/").text
    assert str(invited.pk) not in page


def test_a_district_administrator_reads_report_times_in_the_schools_zone(
    client_for, school, district_admin, clock
):
    release = release_district(school.district)
    page = client_for(district_admin).get(f"/reports/schools/{school.pk}/").text
    in_school = timezone.localtime(release.released_at, school.zone)
    in_utc = timezone.localtime(release.released_at, datetime.UTC)
    # At the suite's instant: Sunday 11:30 p.m. in Chicago, not Monday 5:30 a.m. in UTC.
    assert f"Released {date_filter(in_school, 'l, M j, g:i a')}" in page
    assert f"Released {date_filter(in_utc, 'l, M j, g:i a')}" not in page


def test_editing_an_entry_says_with_whom(client_for, coach, partnership, school):
    entry = factories.ActivityEntryFactory(coach=coach, school=school, partnership=partnership)
    page = client_for(coach).get(f"/activity/{entry.pk}/edit/").text
    assert re.search(r"<title>Edit the entry of \w+ \d+ with Daniel Reyes", page)
