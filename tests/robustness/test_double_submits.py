"""A second click, a resent form or an out-of-date page does nothing a second time, and says
why. tests/robustness/test_races.py fires the same acts at once on PostgreSQL."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from coaching.models import ActivityEntry, Partnership
from cycles.models import PhaseChange
from tests import factories

pytestmark = pytest.mark.django_db


def test_inviting_the_same_teacher_again_is_refused_and_sends_nothing(
    client_for, coach, teacher, django_capture_on_commit_callbacks
):
    data = {"teachers": [teacher.pk], "title": "", "agreement": "Between us."}
    client = client_for(coach)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/partnerships/new/", data)
        again = client.post("/partnerships/new/", data)
    assert "You already have a partnership with Daniel Reyes." in again.text
    assert Partnership.objects.filter(coach=coach).count() == 1
    assert len(mail.outbox) == 1


def test_a_closed_partnership_does_not_stop_a_new_invitation(client_for, coach, teacher, school):
    factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher], status="closed")
    data = {"teachers": [teacher.pk], "title": "", "agreement": "Between us."}
    assert client_for(coach).post("/partnerships/new/", data).status_code == 302
    assert Partnership.objects.filter(coach=coach).count() == 2


def test_a_phase_advance_from_an_old_page_is_refused(client_for, coach, cycle):
    client = client_for(coach)
    client.post(f"/cycles/{cycle.pk}/advance/", {"phase": "learn"})
    response = client.post(f"/cycles/{cycle.pk}/advance/", {"phase": "learn"}, follow=True)
    assert "already moved on to the Improve phase" in response.text
    cycle.refresh_from_db()
    assert cycle.phase == "improve"
    assert PhaseChange.objects.filter(cycle=cycle, phase="improve").count() == 1


def test_sharing_twice_shares_once(
    client_for, coach, teacher, cycle, django_capture_on_commit_callbacks
):
    observation = factories.ObservationFactory(cycle=cycle)
    client = client_for(coach)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/observations/{observation.pk}/share/")
        again = client.post(f"/observations/{observation.pk}/share/", follow=True)
    assert "already shared" in again.text
    assert len(mail.outbox) == 1


def test_holding_a_meeting_twice_logs_its_minutes_once(client_for, coach, partnership):
    meeting = factories.MeetingFactory(
        partnership=partnership, starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client = client_for(coach)
    client.post(f"/meetings/{meeting.pk}/held/")
    again = client.post(f"/meetings/{meeting.pk}/held/", follow=True)
    assert "already marked as held" in again.text
    assert ActivityEntry.objects.filter(meeting=meeting).count() == 1


def schedule(client, partnership, key, starts_at="2026-11-25T09:00"):
    return client.post(
        f"/partnerships/{partnership.pk}/meetings/new/",
        {
            "kind": "planning",
            "starts_at": starts_at,
            "duration_minutes": "30",
            "agenda": "",
            "submission": key,
        },
    )


def test_the_same_form_sent_twice_saves_once_and_answers_with_the_first_page(
    client_for, coach, partnership
):
    client = client_for(coach)
    page = client.get(f"/partnerships/{partnership.pk}/meetings/new/")
    key = page.context["form"]["submission"].value()
    assert f'value="{key}"' in page.text  # the key travels in the form as shown
    first = schedule(client, partnership, key)
    second = schedule(client, partnership, key)
    assert partnership.meetings.count() == 1
    assert second.url == first.url == f"/meetings/{partnership.meetings.get().pk}/"
    assert "That was already saved." in client.get(second.url).text


def test_a_refused_form_keeps_its_key_for_the_corrected_send(client_for, coach, partnership):
    client = client_for(coach)
    key = "5b1d3c8e-0a4e-4d1e-9d7a-0b5e7f1c2a3d"
    refused = schedule(client, partnership, key, starts_at="9999-12-31T23:59")
    assert f'value="{key}"' in refused.text
    assert schedule(client, partnership, key).status_code == 302
    assert partnership.meetings.count() == 1


def test_a_new_copy_of_the_form_saves_again(client_for, coach, partnership):
    client = client_for(coach)
    schedule(client, partnership, "5b1d3c8e-0a4e-4d1e-9d7a-0b5e7f1c2a3d")
    schedule(client, partnership, "0f3a9a1e-6a52-4c0c-8f9d-2d8a4b7c1e55")
    assert partnership.meetings.count() == 2


def test_the_quick_log_form_on_the_coach_home_carries_a_key(client_for, coach):
    page = client_for(coach).get("/coach/").text
    assert 'name="submission"' in page


def test_a_double_tap_on_mark_done_leaves_the_step_done(client_for, teacher, partnership, clock):
    step = factories.NextStepFactory(partnership=partnership)
    client = client_for(teacher)
    client.post(f"/next-steps/{step.pk}/toggle/", {"done": "1"})
    step.refresh_from_db()
    first_done_at = step.done_at
    clock.shift(datetime.timedelta(seconds=1))
    client.post(f"/next-steps/{step.pk}/toggle/", {"done": "1"})
    step.refresh_from_db()
    assert step.done_at == first_done_at is not None
    client.post(f"/next-steps/{step.pk}/toggle/", {"done": "0"})
    step.refresh_from_db()
    assert step.done_at is None


def test_a_coach_note_sent_twice_is_saved_once(client_for, coach, partnership):
    client = client_for(coach)
    page = client.get(f"/partnerships/{partnership.pk}/notes/")
    key = page.context["form"]["submission"].value()
    for _ in range(2):
        client.post(f"/partnerships/{partnership.pk}/notes/", {"text": "A", "submission": key})
    assert partnership.coach_notes.count() == 1
