import datetime

import pytest
from django.utils import timezone

from coaching.models import ActivityEntry, Partnership
from tests import factories
from tests.factories import ActivityEntryFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(today):
    def post(client, **data):
        fields = {"date": today.isoformat(), "minutes": "30", "kind": "modelling"}
        return client.post("/activity/new/", {**fields, **data})

    return post


def test_a_coach_logs_time_and_sees_this_weeks_summary(log, client_for, coach, partnership):
    client = client_for(coach)
    log(client, minutes="30", kind="modelling", partnership=partnership.pk)
    log(client, minutes="45", kind="modelling")
    log(client, minutes="20", kind="non_coaching")
    page = client.get("/activity/")
    assert ("Modelling", 75) in page.context["week"]
    assert page.context["week_total"] == 95


def test_quick_entry_from_the_coach_home_returns_there(log, client_for, coach):
    response = log(client_for(coach), next="/coach/")
    assert response.url == "/coach/"
    assert ActivityEntry.objects.count() == 1


def test_quick_entry_never_redirects_off_site(log, client_for, coach):
    assert log(client_for(coach), next="https://evil.example/").url == "/activity/"


@pytest.mark.parametrize("minutes", ["0", "-5", "2000", ""])
def test_impossible_minutes_are_refused_with_a_message(log, client_for, coach, minutes):
    response = log(client_for(coach), minutes=minutes)
    assert response.status_code == 200
    assert response.context["form"].errors["minutes"]
    assert not ActivityEntry.objects.exists()


def test_another_coachs_partnership_cannot_be_linked(log, client_for, coach, school):
    theirs = PartnershipFactory(school=school)
    response = log(client_for(coach), partnership=theirs.pk)
    assert response.status_code == 200
    assert not ActivityEntry.objects.exists()


def test_last_weeks_entries_are_not_in_this_weeks_summary(client_for, coach, school, today):
    ActivityEntryFactory(coach=coach, school=school, date=today - datetime.timedelta(days=8))
    assert client_for(coach).get("/activity/").context["week_total"] == 0


def test_a_coach_edits_and_deletes_own_entries_only(client_for, coach, other_coach, school):
    entry = ActivityEntryFactory(coach=coach, school=school)
    assert client_for(other_coach).post(f"/activity/{entry.pk}/delete/").status_code == 404
    client_for(coach).post(f"/activity/{entry.pk}/delete/")
    assert not ActivityEntry.objects.exists()


def test_the_log_paginates(client_for, coach, school):
    ActivityEntryFactory.create_batch(25, coach=coach, school=school)
    assert "Page 1 of 2" in client_for(coach).get("/activity/").text


def test_the_partnership_choice_names_the_teachers(client_for, coach, partnership, school):
    factories.PartnershipFactory(school=school, coach=coach, title="Grade 3 team")
    page = client_for(coach).get("/activity/").text
    assert ">Daniel Reyes</option>" in page
    assert " · Grade 3 team</option>" in page
    assert ">Daniel Reyes</option>" in client_for(coach).get("/coach/").text


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
