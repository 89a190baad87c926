"""A coach cancels a meeting that has not been held: asked once, then it is gone from both
people's pages and calendars, and nobody is reminded of it."""

import datetime

import icalendar
import pytest
from django.core import mail

from coaching.models import Meeting
from notifications.models import Preference, Reminder
from notifications.reminders import send_reminders
from tests import factories
from tests.notifications.test_calendar_feed import feed_path

pytestmark = pytest.mark.django_db

# The frozen now is Monday 2026-11-23 05:30 UTC (Sunday 23:30 in Chicago).
TUESDAY_10_CHICAGO = datetime.datetime(2026, 11, 24, 16, 0, tzinfo=datetime.UTC)


@pytest.fixture
def meeting(partnership):
    return factories.MeetingFactory(
        partnership=partnership, kind="planning", starts_at=TUESDAY_10_CHICAGO, agenda="Plan"
    )


def test_the_coach_is_asked_once_then_the_meeting_is_gone(client_for, coach, meeting):
    client = client_for(coach)
    page = client.get(f"/meetings/{meeting.pk}/").text
    assert f"/meetings/{meeting.pk}/cancel/" in page
    confirm = client.get(f"/meetings/{meeting.pk}/cancel/")
    assert confirm.status_code == 200
    assert "Cancel this meeting?" in confirm.text
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    response = client.post(f"/meetings/{meeting.pk}/cancel/")
    assert response.url == f"/partnerships/{meeting.partnership_id}/"
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
    # Twice (a double tap, the back button): nothing more happens, and no error.
    assert client.post(f"/meetings/{meeting.pk}/cancel/").status_code == 404


def test_the_teacher_is_told_by_e_mail_without_the_agenda(
    client_for, coach, teacher, meeting, django_capture_on_commit_callbacks
):
    meeting.agenda = "CANARY-agenda-77"
    meeting.save()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(coach).post(f"/meetings/{meeting.pk}/cancel/")
    (message,) = mail.outbox
    assert message.to == [teacher.email]
    assert coach.full_name in message.subject
    assert "Tuesday November 24 at 10:00 am" in message.body
    assert "CANARY" not in message.body + message.subject


def test_a_teacher_or_an_outsider_cannot_cancel(client_for, teacher, other_coach, meeting):
    assert client_for(teacher).post(f"/meetings/{meeting.pk}/cancel/").status_code == 403
    assert "/cancel/" not in client_for(teacher).get(f"/meetings/{meeting.pk}/").text
    assert client_for(other_coach).get(f"/meetings/{meeting.pk}/cancel/").status_code == 404
    assert client_for(other_coach).post(f"/meetings/{meeting.pk}/cancel/").status_code == 404
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_a_held_meeting_stays(client_for, coach, meeting, clock):
    meeting.held_at = TUESDAY_10_CHICAGO
    meeting.save()
    # Found trying it: the page still offered to cancel it.
    page = client_for(coach).get(f"/meetings/{meeting.pk}/cancel/", follow=True)
    assert "Cancel the meeting" not in page.text
    assert "already held" in page.text
    response = client_for(coach).post(f"/meetings/{meeting.pk}/cancel/", follow=True)
    assert "already held" in response.text
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_a_cancelled_meeting_leaves_both_calendars(client_for, client, coach, teacher, meeting):
    coach_feed = feed_path(client_for(coach))
    teacher_feed = feed_path(client_for(teacher))
    client_for(coach).post(f"/meetings/{meeting.pk}/cancel/")
    client.logout()
    for path in (coach_feed, teacher_feed):
        calendar = icalendar.Calendar.from_ical(client.get(path).content)
        assert list(calendar.walk("VEVENT")) == []


def test_a_reminder_kept_for_the_days_e_mail_is_dropped(
    client_for, coach, teacher, meeting, clock, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=teacher, kind="meeting", delivery="daily")
    clock.move_to("2026-11-24T10:00Z")  # 4:00 in Chicago: reminded, kept for 7:00
    send_reminders()
    assert Reminder.objects.filter(user=teacher, mailed_at__isnull=True).count() == 1
    client_for(coach).post(f"/meetings/{meeting.pk}/cancel/")
    assert not Reminder.objects.filter(user=teacher, mailed_at__isnull=True).exists()
    mail.outbox.clear()
    clock.move_to("2026-11-24T13:05Z")  # 7:05 in Chicago: the day's e-mail would go now
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders()
    assert mail.outbox == []
