import datetime

import pytest
from django.utils import timezone

from coaching.models import ActivityEntry, Meeting
from tests.factories import MeetingFactory


def an_hour_ago():
    return timezone.now() - datetime.timedelta(hours=1)


pytestmark = pytest.mark.django_db


def test_the_coach_schedules_a_meeting_in_the_schools_time_zone(client_for, coach, partnership):
    response = client_for(coach).post(
        f"/partnerships/{partnership.pk}/meetings/new/",
        {"kind": "planning", "starts_at": "2026-12-01T08:30", "duration_minutes": "40"},
    )
    meeting = Meeting.objects.get()
    assert response.url == f"/meetings/{meeting.pk}/"
    # School time zone is America/Chicago: 08:30 there is 14:30 UTC.
    assert meeting.starts_at.isoformat() == "2026-12-01T14:30:00+00:00"


def test_a_meeting_without_a_time_re_renders_with_a_message(client_for, coach, partnership):
    response = client_for(coach).post(
        f"/partnerships/{partnership.pk}/meetings/new/",
        {"kind": "planning", "starts_at": "", "duration_minutes": "40"},
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("kind", "prompt"), [("planning", "Success indicators"), ("reflecting", "New learning")]
)
def test_planning_and_reflecting_meetings_offer_cognitive_coaching_prompts(
    client_for, teacher, partnership, kind, prompt
):
    meeting = MeetingFactory(partnership=partnership, kind=kind)
    assert prompt in client_for(teacher).get(f"/meetings/{meeting.pk}/").text


def test_a_debrief_offers_no_prompts(client_for, coach, partnership):
    meeting = MeetingFactory(partnership=partnership, kind="debrief")
    assert "Conversation prompts" not in client_for(coach).get(f"/meetings/{meeting.pk}/").text


def test_the_coach_writes_notes_the_teacher_reads(client_for, coach, teacher, partnership):
    meeting = MeetingFactory(partnership=partnership)
    client_for(coach).post(
        f"/meetings/{meeting.pk}/edit/",
        {
            "kind": "planning",
            "starts_at": "2026-12-01T08:30",
            "duration_minutes": "30",
            "agenda": "Evidence",
            "notes": "We agreed on exit tickets.",
        },
    )
    assert "We agreed on exit tickets." in client_for(teacher).get(f"/meetings/{meeting.pk}/").text


def test_a_held_meeting_logs_its_minutes_once(client_for, coach, partnership):
    meeting = MeetingFactory(partnership=partnership, duration_minutes=45, starts_at=an_hour_ago())
    client = client_for(coach)
    client.post(f"/meetings/{meeting.pk}/held/")
    response = client.post(f"/meetings/{meeting.pk}/held/", follow=True)
    assert "already marked as held" in response.text
    entry = ActivityEntry.objects.get()
    assert (entry.minutes, entry.kind, entry.partnership) == (45, "conversation", partnership)
    assert "Logged: 45 min" in client.get(f"/meetings/{meeting.pk}/").text


def test_the_logged_minutes_of_a_meeting_can_be_corrected(client_for, coach, partnership, school):
    meeting = MeetingFactory(partnership=partnership, duration_minutes=45, starts_at=an_hour_ago())
    client = client_for(coach)
    client.post(f"/meetings/{meeting.pk}/held/")
    entry = ActivityEntry.objects.get()
    client.post(
        f"/activity/{entry.pk}/edit/",
        {"date": entry.date.isoformat(), "minutes": "50", "kind": "conversation", "note": ""},
    )
    entry.refresh_from_db()
    assert entry.minutes == 50


def test_a_meeting_still_to_come_cannot_be_marked_held(client_for, coach, partnership):
    meeting = MeetingFactory(partnership=partnership)  # the day after tomorrow
    response = client_for(coach).post(f"/meetings/{meeting.pk}/held/", follow=True)
    assert "has not started yet" in response.text
    assert not ActivityEntry.objects.exists()


def test_a_meeting_still_to_come_offers_no_mark_as_held_and_says_when(
    client_for, coach, partnership
):
    meeting = MeetingFactory(partnership=partnership)  # the day after tomorrow
    page = client_for(coach).get(f"/meetings/{meeting.pk}/").text
    assert "Mark as held" not in page
    assert f"/meetings/{meeting.pk}/held/" not in page
    assert "mark it as held once it has taken place" in page


def test_a_meeting_that_has_started_offers_mark_as_held(client_for, coach, partnership):
    meeting = MeetingFactory(partnership=partnership, starts_at=an_hour_ago())
    page = client_for(coach).get(f"/meetings/{meeting.pk}/").text
    assert "Mark as held" in page
