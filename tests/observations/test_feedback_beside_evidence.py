"""The coach writes feedback beside the notes and tallies, and sees exactly what the teacher
will read before sharing."""

import datetime
import re

import pytest

from observations.models import Observation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(cycle):
    observation = factories.ObservationFactory(cycle=cycle, strengths="Clear launch.")
    factories.ObservationNoteFactory(observation=observation, text="T asks: why halves?")
    observation.tallies.create(label="Open questions", count=4)
    return observation


def test_the_feedback_form_shows_the_notes_and_tallies(client_for, coach, draft):
    page = client_for(coach).get(f"/observations/{draft.pk}/feedback/").text
    assert "T asks: why halves?" in page
    assert "Open questions: <strong>4</strong>" in page
    assert "Feedback for Daniel Reyes" in page


def test_share_first_shows_what_the_teacher_will_see_and_shares_nothing(client_for, coach, draft):
    client = client_for(coach)
    detail = client.get(f"/observations/{draft.pk}/").text
    assert f'href="/observations/{draft.pk}/share/"' in detail

    preview = client.get(f"/observations/{draft.pk}/share/").text
    assert "Daniel Reyes will see" in preview
    assert "Clear launch." in preview
    assert "T asks: why halves?" in preview
    assert "Open questions: <strong>4</strong>" in preview
    # No coach-only controls in what the teacher will see.
    assert f'/observations/{draft.pk}/capture/"' not in preview.split("will see")[1]
    draft.refresh_from_db()
    assert draft.status == Observation.Status.DRAFT

    client.post(f"/observations/{draft.pk}/share/")
    draft.refresh_from_db()
    assert draft.status == Observation.Status.SHARED


def test_the_preview_asks_for_feedback_before_sharing(client_for, coach, cycle):
    bare = factories.ObservationFactory(cycle=cycle, strengths="")
    preview = client_for(coach).get(f"/observations/{bare.pk}/share/").text
    assert "Write some feedback before sharing" in preview
    assert f'action="/observations/{bare.pk}/share/"' not in preview  # it would be refused


def test_a_shared_observation_has_no_preview_to_show(client_for, coach, cycle):
    shared = factories.ObservationFactory(cycle=cycle, status="shared")
    response = client_for(coach).get(f"/observations/{shared.pk}/share/")
    assert response["Location"] == f"/observations/{shared.pk}/"


def test_a_note_written_on_another_day_than_the_lesson_says_which(client_for, coach, draft):
    """A note added days later would otherwise read as said during the lesson."""
    later = draft.observed_at + datetime.timedelta(days=3)
    factories.ObservationNoteFactory(observation=draft, text="Added afterwards.", noted_at=later)
    page = client_for(coach).get(f"/observations/{draft.pk}/feedback/").text
    said_then = re.search(r">([^<]*)</time> <span class=\"pre-line\">T asks: why halves\?", page)
    added_later = re.search(r">([^<]*)</time> <span class=\"pre-line\">Added afterwards\.", page)
    assert re.fullmatch(r"\d\d:\d\d", said_then[1])
    school_day = later.astimezone(draft.cycle.partnership.school.zone)
    assert added_later[1] == school_day.strftime("%b %-d, %H:%M")
