import re
import uuid

import pytest

from observations.models import Observation, ObservationNote, Tally

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/json"}


@pytest.fixture
def draft(world):
    return world.draft


def test_a_coach_starts_an_observation_from_the_cycle(client_for, coach, teacher, cycle):
    response = client_for(coach).post(
        f"/cycles/{cycle.pk}/observations/new/",
        {"subject": "Maths", "grade": "4", "period": "2"},
    )
    observation = Observation.objects.get()
    assert response.url == f"/observations/{observation.pk}/capture/"
    assert observation.status == "draft"
    assert list(observation.teachers.all()) == [teacher]


def test_from_the_coach_home_the_coach_chooses_among_open_cycles(client_for, coach, cycle):
    client = client_for(coach)
    page = client.get("/observations/new/")
    assert cycle.title in page.text
    client.post("/observations/new/", {"cycle": cycle.pk, "subject": "Reading"})
    assert Observation.objects.get().cycle == cycle


def test_a_closed_cycle_cannot_be_observed(client_for, coach, cycle):
    cycle.phase, cycle.ended_on, cycle.outcome = "closed", cycle.started_on, "met"
    cycle.save()
    response = client_for(coach).post(f"/cycles/{cycle.pk}/observations/new/", {"subject": "x"})
    assert "This cycle is closed" in response.text
    assert not Observation.objects.exists()


def test_a_note_sent_twice_is_stored_once(client_for, coach, draft):
    client = client_for(coach)
    note = {"client_id": str(uuid.uuid4()), "text": "T asks an open question."}
    first = client.post(f"/observations/{draft.pk}/notes/", note, headers=JSON)
    again = client.post(f"/observations/{draft.pk}/notes/", note, headers=JSON)
    assert first.json() == {"client_id": note["client_id"], "created": True}
    assert again.json()["created"] is False
    assert ObservationNote.objects.filter(observation=draft).count() == 1
    draft.refresh_from_db()
    assert draft.note_count == 1


def test_an_empty_note_is_refused_with_a_message(client_for, coach, draft):
    response = client_for(coach).post(
        f"/observations/{draft.pk}/notes/",
        {"client_id": str(uuid.uuid4()), "text": "  "},
        headers=JSON,
    )
    assert response.status_code == 400
    assert "error" in response.json()
    assert not ObservationNote.objects.exists()


def test_a_note_keeps_the_time_it_was_typed(client_for, coach, draft):
    typed = draft.observed_at.replace(microsecond=0)
    client_for(coach).post(
        f"/observations/{draft.pk}/notes/",
        {"client_id": str(uuid.uuid4()), "text": "Typed offline", "noted_at": typed.isoformat()},
        headers=JSON,
    )
    assert ObservationNote.objects.get().noted_at == typed


def test_a_tally_is_set_to_the_total_sent(client_for, coach, draft):
    client = client_for(coach)
    tally = {"client_id": str(uuid.uuid4()), "label": "Open questions"}
    client.post(f"/observations/{draft.pk}/tallies/", {**tally, "count": 1}, headers=JSON)
    client.post(f"/observations/{draft.pk}/tallies/", {**tally, "count": 3}, headers=JSON)
    client.post(f"/observations/{draft.pk}/tallies/", {**tally, "count": 3}, headers=JSON)
    assert Tally.objects.get().count == 3


def test_without_javascript_a_note_posts_and_returns_to_the_page(client_for, coach, draft):
    response = client_for(coach).post(
        f"/observations/{draft.pk}/notes/", {"client_id": str(uuid.uuid4()), "text": "Plain"}
    )
    assert response.url == f"/observations/{draft.pk}/capture/"
    assert ObservationNote.objects.get().text == "Plain"


def test_the_capture_page_loads_its_script_from_static_files(client_for, coach, draft):
    page = client_for(coach).get(f"/observations/{draft.pk}/capture/").text
    assert '<script type="module" src="/static/js/capture/main.js">' in page
    assert "<script>" not in page


def test_a_second_tally_with_the_same_name_is_refused(client_for, coach, world):
    client = client_for(coach)

    def add(label):
        return client.post(
            f"/observations/{world.draft.pk}/tallies/",
            {"client_id": str(uuid.uuid4()), "label": label, "count": "0"},
            headers={"Accept": "application/json"},
        )

    assert add("Open questions").status_code == 200
    refused = add("open questions")
    assert refused.status_code == 400
    assert "already a tally called" in refused.json()["error"]
    assert world.draft.tallies.count() == 1


def test_the_capture_page_has_no_duplicate_ids(client_for, coach, world):
    page = client_for(coach).get(f"/observations/{world.draft.pk}/capture/").text
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_observe_a_lesson_names_the_teachers_and_preselects_no_one(client_for, coach, cycle):
    page = client_for(coach).get("/observations/new/").text
    assert f"Daniel Reyes · {cycle.title}</option>" in page
    assert '<option value="" selected>Choose whom you observe</option>' in page
