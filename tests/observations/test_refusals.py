"""One "why not" per act on a lesson: the page leaves out what the service would refuse, and
says why in the words the service refuses with, those of the same `*_refusal()`."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from observations import services
from observations.models import ChosenLookFor, Observation
from observations.rules import (
    look_for_choice_refusal,
    observation_change_refusal,
    observation_delete_refusal,
    observation_feed_goal_refusal,
    observation_seats_refusal,
    observation_share_refusal,
    observation_start_refusal,
)

pytestmark = pytest.mark.django_db

PAUSED = "This partnership is paused. Resume it to carry on."
CLOSED = "This partnership is closed: its observations can no longer change."
NO_FEEDBACK = "Write some feedback before sharing: strengths, wonderings or next steps."


def _said(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _set(record, **fields):
    for name, value in fields.items():
        setattr(record, name, value)
    record.save(update_fields=list(fields))
    return record


def _close(cycle):
    return _set(cycle, phase="closed", ended_on=cycle.started_on, outcome="met")


def test_a_draft_without_feedback_is_not_offered_to_be_shared(client_for, coach, world):
    draft = _set(world.draft, strengths="")
    client = client_for(coach)
    page = client.get(f"/observations/{draft.pk}/").text
    assert f"/observations/{draft.pk}/share/" not in page
    assert NO_FEEDBACK in page
    preview = client.get(f"/observations/{draft.pk}/share/").text
    assert f'action="/observations/{draft.pk}/share/"' not in preview
    assert NO_FEEDBACK in preview
    response = client.post(f"/observations/{draft.pk}/share/")
    assert _said(response) == [NO_FEEDBACK] == [observation_share_refusal(draft)]


def test_a_draft_whose_teacher_left_is_not_offered_to_be_shared(client_for, coach, teacher, world):
    _set(teacher, is_active=False)
    draft = world.draft
    client = client_for(coach)
    refusal = observation_share_refusal(draft)
    assert refusal.startswith("Nobody observed in this lesson is in the partnership any more")
    assert refusal in client.get(f"/observations/{draft.pk}/share/").text
    assert _said(client.post(f"/observations/{draft.pk}/share/")) == [refusal]
    assert not Observation.objects.get(pk=draft.pk).is_shared


def test_a_shared_lesson_offers_no_delete(client_for, coach, world):
    shared = world.shared
    client = client_for(coach)
    for page in ("capture", "feedback"):
        assert "Delete this draft" not in client.get(f"/observations/{shared.pk}/{page}/").text
    refusal = observation_delete_refusal(shared)
    with pytest.raises(ValidationError) as refused:
        services.observation_delete_draft(actor=coach, observation=shared)
    assert refused.value.messages == [refusal]
    assert "teacher's record too" in refusal


def test_a_paused_partnerships_lesson_does_not_feed_the_goal(
    client_for, coach, teacher, world, partnership
):
    _set(partnership, status="paused")
    shared = world.shared
    for person in (coach, teacher):
        page = client_for(person).get(f"/observations/{shared.pk}/").text
        assert f"/observations/{shared.pk}/to-goal/" not in page
    response = client_for(teacher).post(
        f"/observations/{shared.pk}/to-goal/",
        {"value": "40", "unit": "%", "what": "Hands up", "confirmed": "1"},
    )
    assert _said(response) == [PAUSED] == [observation_feed_goal_refusal(shared)]


def test_a_paused_partnerships_lesson_lays_out_no_seats(client_for, coach, world, partnership):
    _set(partnership, status="paused")
    draft = world.draft
    client = client_for(coach)
    capture = client.get(f"/observations/{draft.pk}/capture/").text
    assert "Add note" in capture  # the lesson's notes are still taken
    assert f'href="/observations/{draft.pk}/seats/"' not in capture
    page = client.get(f"/observations/{draft.pk}/seats/")
    assert page["Location"] == f"/observations/{draft.pk}/"
    assert _said(page) == [PAUSED] == [observation_seats_refusal(draft)]
    response = client.post(
        f"/observations/{draft.pk}/seats/", {"name": "Period 1", "rows": 2, "columns": 2}
    )
    assert PAUSED in response.text


def test_a_closed_partnerships_lesson_is_neither_changed_nor_answered(
    client_for, coach, teacher, world, partnership
):
    _set(partnership, status="closed")
    shared = world.shared
    client = client_for(coach)  # one test client: signed in as one person at a time
    page = client.get(f"/observations/{shared.pk}/").text
    assert "Notes and tallies" not in page
    assert "Edit feedback" not in page
    for form_page in ("capture", "feedback"):
        response = client.get(f"/observations/{shared.pk}/{form_page}/")
        assert response["Location"] == f"/observations/{shared.pk}/"
        assert _said(response)[-1] == CLOSED
    client = client_for(teacher)
    answer = client.get(f"/observations/{shared.pk}/").text
    assert "Send my reply" not in answer
    assert CLOSED in answer
    response = client.post(f"/observations/{shared.pk}/respond/", {"text": "Thanks"})
    assert _said(response) == [CLOSED] == [observation_change_refusal(shared)]


def test_a_closed_cycle_offers_no_look_for_choice(client_for, teacher, cycle):
    cycle = _close(cycle)
    client = client_for(teacher)
    refusal = look_for_choice_refusal(cycle)
    assert refusal == "This cycle is closed: its look-fors can no longer change."
    page = client.get(f"/cycles/{cycle.pk}/look-fors/").text
    assert "Save look-fors" not in page
    assert refusal in page
    response = client.post(f"/cycles/{cycle.pk}/look-fors/", {"own": "Wait time"})
    assert refusal in response.text
    assert not ChosenLookFor.objects.exists()


def test_a_paused_partnership_offers_no_look_for_choice_on_the_cycle_page(
    client_for, teacher, cycle, partnership
):
    _set(partnership, status="paused")
    page = client_for(teacher).get(f"/cycles/{cycle.pk}/").text
    assert f"/cycles/{cycle.pk}/look-fors/" not in page
    assert look_for_choice_refusal(cycle) == PAUSED


def test_a_closed_cycle_offers_no_start(client_for, coach, cycle):
    cycle = _close(cycle)
    client = client_for(coach)
    refusal = observation_start_refusal(cycle)
    assert refusal == "This cycle is closed. Observe within an open cycle."
    page = client.get(f"/cycles/{cycle.pk}/observations/new/").text
    assert "Start taking notes" not in page
    assert refusal in page
    response = client.post(f"/cycles/{cycle.pk}/observations/new/", {"subject": "x"})
    assert refusal in response.text
    assert not Observation.objects.exists()
