"""One "why not" per act: the page leaves out what the service would refuse, and the
service refuses with the words of the same `*_refusal()`."""

import datetime

import pytest
from django.contrib.messages import get_messages

from coaching.rules import meeting_hold_refusal, partnership_work_refusal
from cycles.rules import cycle_change_refusal
from tests import factories

pytestmark = pytest.mark.django_db

PAUSED = "This partnership is paused. Resume it to carry on."


@pytest.fixture
def paused(partnership):
    partnership.status = "paused"
    partnership.save(update_fields=["status"])
    return partnership


def _said(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_paused_partnership_offers_resume_and_close_only(client_for, coach, paused):
    page = client_for(coach).get(f"/partnerships/{paused.pk}/").text
    assert f"/partnerships/{paused.pk}/resume/" in page
    assert f"/partnerships/{paused.pk}/close/" in page
    assert "Schedule a meeting" not in page
    assert "Start a cycle" not in page
    assert partnership_work_refusal(paused) == PAUSED


def test_a_meeting_in_a_paused_partnership_is_not_offered_to_be_held(client_for, coach, paused):
    meeting = factories.MeetingFactory(
        partnership=paused, starts_at=datetime.datetime(2026, 11, 20, 16, tzinfo=datetime.UTC)
    )
    client = client_for(coach)
    assert "Mark as held" not in client.get(f"/meetings/{meeting.pk}/").text
    response = client.post(f"/meetings/{meeting.pk}/held/")
    assert _said(response) == [PAUSED] == [meeting_hold_refusal(meeting)]


def test_a_cycle_in_a_paused_partnership_does_not_move_on(client_for, coach, paused, cycle):
    client = client_for(coach)
    assert "Move to" not in client.get(f"/cycles/{cycle.pk}/").text
    response = client.post(f"/cycles/{cycle.pk}/advance/", {"phase": cycle.phase})
    assert _said(response) == [PAUSED] == [cycle_change_refusal(cycle)]
