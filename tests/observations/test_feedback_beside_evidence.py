"""The coach writes feedback beside the notes and tallies, and sees exactly what the teacher
will read before sharing."""

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


def test_the_preview_warns_when_no_feedback_is_written(client_for, coach, cycle):
    bare = factories.ObservationFactory(cycle=cycle, strengths="")
    preview = client_for(coach).get(f"/observations/{bare.pk}/share/").text
    assert "You have not written feedback yet" in preview


def test_a_shared_observation_has_no_preview_to_show(client_for, coach, cycle):
    shared = factories.ObservationFactory(cycle=cycle, status="shared")
    response = client_for(coach).get(f"/observations/{shared.pk}/share/")
    assert response["Location"] == f"/observations/{shared.pk}/"
