"""A coach takes back or corrects what was captured: notes and tallies of a draft are
edited or deleted freely; after sharing they are edited with an "edited" mark the teacher
sees and a line in the teacher's access log, and never deleted."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from observations import services
from observations.models import AccessEvent, ObservationNote, Tally
from tests import factories

pytestmark = pytest.mark.django_db


def _note(observation, text="T asks 3 open questions."):
    return factories.ObservationNoteFactory(observation=observation, text=text)


def _tally(observation, label="Open questions", count=4):
    return Tally.objects.create(observation=observation, label=label, count=count)


def test_the_coach_corrects_a_note_of_a_draft_beside_the_feedback(client_for, coach, world):
    note = _note(world.draft)
    client = client_for(coach)
    feedback = client.get(f"/observations/{world.draft.pk}/feedback/").text
    edit_url = f"/observations/{world.draft.pk}/notes/{note.client_id}/edit/"
    assert edit_url in feedback
    page = client.get(edit_url + "?from=feedback")
    assert "T asks 3 open questions." in page.text
    response = client.post(edit_url + "?from=feedback", {"text": "T asks 2 open questions."})
    assert response.status_code == 302
    assert response["Location"] == f"/observations/{world.draft.pk}/feedback/"
    note.refresh_from_db()
    assert note.text == "T asks 2 open questions."
    # Nobody else had read it: no "edited" mark.
    assert note.edited_at is None
    assert "edited" not in client.get(f"/observations/{world.draft.pk}/").text


def test_an_empty_correction_changes_nothing_and_says_why(client_for, coach, world):
    note = _note(world.draft)
    page = client_for(coach).post(
        f"/observations/{world.draft.pk}/notes/{note.client_id}/edit/", {"text": "   "}
    )
    assert page.status_code == 200
    assert "This field is required" in page.text or "needs some text" in page.text
    note.refresh_from_db()
    assert note.text == "T asks 3 open questions."


def test_the_coach_deletes_a_note_of_a_draft_after_confirming(client_for, coach, world):
    note = _note(world.draft)
    client = client_for(coach)
    url = f"/observations/{world.draft.pk}/notes/{note.client_id}/delete/"
    page = client.get(url)
    assert "Delete this note?" in page.text
    assert ObservationNote.objects.filter(pk=note.pk).exists()
    response = client.post(url)
    assert response["Location"] == f"/observations/{world.draft.pk}/capture/"
    assert not ObservationNote.objects.filter(pk=note.pk).exists()
    world.draft.refresh_from_db()
    assert world.draft.note_count == 0


def test_a_shared_note_is_edited_with_a_mark_and_a_line_in_the_teachers_log(
    client_for, coach, teacher, world
):
    note = _note(world.shared)
    client = client_for(coach)
    client.post(
        f"/observations/{world.shared.pk}/notes/{note.client_id}/edit/",
        {"text": "T asks 2 open questions."},
    )
    note.refresh_from_db()
    assert note.text == "T asks 2 open questions."
    assert note.edited_at is not None
    event = AccessEvent.objects.get(record_id=world.shared.pk, action="edited")
    assert (event.subject, event.actor) == (teacher, coach)
    teachers_page = client_for(teacher).get(f"/observations/{world.shared.pk}/").text
    assert "T asks 2 open questions." in teachers_page
    assert "T asks 3 open questions." not in teachers_page
    assert 'note-edited">edited</span>' in teachers_page
    assert "edited after sharing" in client_for(teacher).get("/my-records/access/").text


def test_a_shared_note_is_never_deleted_and_the_page_says_why(client_for, coach, world):
    note = _note(world.shared)
    client = client_for(coach)
    url = f"/observations/{world.shared.pk}/notes/{note.client_id}/delete/"
    page = client.get(url)
    assert "record too and stay" in page.text
    assert "Delete the note" not in page.text
    client.post(url)
    assert ObservationNote.objects.filter(pk=note.pk).exists()
    with pytest.raises(ValidationError, match="shared"):
        services.note_delete(actor=coach, observation=world.shared, client_id=note.client_id)


def test_a_tally_is_corrected_and_after_sharing_marked_edited(client_for, coach, teacher, world):
    draft_tally, shared_tally = _tally(world.draft), _tally(world.shared)
    client = client_for(coach)
    assert (
        f"/tallies/{draft_tally.client_id}/edit/"
        in client.get(f"/observations/{world.draft.pk}/feedback/").text
    )
    for tally in (draft_tally, shared_tally):
        client.post(
            f"/observations/{tally.observation_id}/tallies/{tally.client_id}/edit/",
            {"label": "Open questions", "count": "3"},
        )
        tally.refresh_from_db()
        assert tally.count == 3
    assert draft_tally.edited_at is None
    assert shared_tally.edited_at is not None
    assert (
        'tally-edited">edited</span>'
        in client_for(teacher).get(f"/observations/{world.shared.pk}/").text
    )


def test_a_tally_of_a_draft_is_deleted_but_not_one_of_a_shared_lesson(client_for, coach, world):
    draft_tally, shared_tally = _tally(world.draft), _tally(world.shared)
    client = client_for(coach)
    client.post(f"/observations/{world.draft.pk}/tallies/{draft_tally.client_id}/delete/")
    client.post(f"/observations/{world.shared.pk}/tallies/{shared_tally.client_id}/delete/")
    assert not Tally.objects.filter(pk=draft_tally.pk).exists()
    assert Tally.objects.filter(pk=shared_tally.pk).exists()


def test_undo_of_a_note_sent_twice_takes_it_back_once(client_for, coach, world):
    note = _note(world.draft)
    client = client_for(coach)
    url = f"/observations/{world.draft.pk}/notes/undo/"
    headers = {"Accept": "application/json"}
    first = client.post(url, {"client_id": str(note.client_id)}, headers=headers)
    again = client.post(url, {"client_id": str(note.client_id)}, headers=headers)
    assert first.json() == {"client_id": str(note.client_id), "deleted": True}
    assert again.json() == {"client_id": str(note.client_id), "deleted": False}
    assert not ObservationNote.objects.filter(observation=world.draft).exists()


def test_nobody_but_the_observer_corrects_a_note(
    client_for, teacher, colleague, other_coach, world
):
    note = _note(world.shared)
    for person in (teacher, colleague, other_coach):
        client = client_for(person)
        base = f"/observations/{world.shared.pk}/notes/{note.client_id}"
        assert client.post(f"{base}/edit/", {"text": "Changed"}).status_code in (403, 404)
        assert client.post(f"{base}/delete/").status_code in (403, 404)
    note.refresh_from_db()
    assert note.text == "T asks 3 open questions."


def test_a_note_of_another_lesson_is_not_found(client_for, coach, world):
    note = _note(world.shared)
    client = client_for(coach)
    assert (
        client.get(f"/observations/{world.draft.pk}/notes/{note.client_id}/edit/").status_code
        == 404
    )
    assert (
        client.get(f"/observations/{world.draft.pk}/notes/{uuid.uuid4()}/edit/").status_code == 404
    )
