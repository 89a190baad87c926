"""A coach deletes a draft never shared; a shared observation is the teacher's too and stays."""

import pytest
from django.core.exceptions import ValidationError

from observations.models import AccessEvent, Observation, ObservationNote

pytestmark = pytest.mark.django_db


def test_the_coach_deletes_a_draft_after_confirming(client_for, coach, teacher, world):
    draft = world.draft
    client = client_for(coach)
    assert "Delete this draft" in client.get(f"/observations/{draft.pk}/capture/").text
    page = client.get(f"/observations/{draft.pk}/delete/")
    assert page.status_code == 200
    assert "Delete this draft?" in page.text
    assert Observation.objects.filter(pk=draft.pk).exists()  # asking changes nothing
    response = client.post(f"/observations/{draft.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == f"/cycles/{world.cycle.pk}/"
    assert not Observation.objects.filter(pk=draft.pk).exists()
    assert not ObservationNote.objects.filter(observation_id=draft.pk).exists()
    # The teacher's access log says that an observation of theirs was deleted, and by whom.
    event = AccessEvent.objects.get(record_id=draft.pk, action="deleted")
    assert (event.subject, event.actor) == (teacher, coach)
    log = client_for(teacher).get("/my-records/access/").text
    assert "deleted" in log
    assert client.get(f"/observations/{draft.pk}/capture/").status_code == 404


def test_a_shared_observation_cannot_be_deleted(client_for, coach, world):
    shared = world.shared
    client = client_for(coach)
    assert "Delete this draft" not in client.get(f"/observations/{shared.pk}/feedback/").text
    assert client.post(f"/observations/{shared.pk}/delete/").status_code == 404
    assert Observation.objects.filter(pk=shared.pk).exists()


def test_shared_between_asking_and_deleting_it_stays(client_for, coach, world):
    from observations import services

    draft = world.draft
    client = client_for(coach)
    client.get(f"/observations/{draft.pk}/delete/")
    Observation.objects.filter(pk=draft.pk).update(status="shared", shared_at=draft.observed_at)
    draft.refresh_from_db()
    with pytest.raises(ValidationError, match="shared"):
        services.observation_delete_draft(
            actor=coach, observation=Observation.objects.get(pk=draft.pk)
        )
    assert Observation.objects.filter(pk=draft.pk).exists()


def test_nobody_but_its_coach_deletes_it(client_for, teacher, other_coach, school_admin, world):
    for person in (teacher, other_coach, school_admin):
        assert client_for(person).post(f"/observations/{world.draft.pk}/delete/").status_code == 404
    assert Observation.objects.filter(pk=world.draft.pk).exists()
