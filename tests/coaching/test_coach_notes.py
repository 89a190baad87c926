import pytest

from coaching.models import CoachNote
from tests.factories import CoachNoteFactory

pytestmark = pytest.mark.django_db


def test_a_coach_writes_and_reads_private_notes(client_for, coach, partnership):
    client = client_for(coach)
    client.post(f"/partnerships/{partnership.pk}/notes/", {"text": "Prefers mornings."})
    assert "Prefers mornings." in client.get(f"/partnerships/{partnership.pk}/notes/").text
    assert CoachNote.objects.get().coach == coach


def test_an_empty_note_is_refused(client_for, coach, partnership):
    response = client_for(coach).post(f"/partnerships/{partnership.pk}/notes/", {"text": ""})
    assert "This field is required." in response.text
    assert not CoachNote.objects.exists()


def test_the_teacher_never_learns_notes_exist(client_for, teacher, partnership):
    CoachNoteFactory(partnership=partnership, text="Working hypothesis")
    client = client_for(teacher)
    assert client.get(f"/partnerships/{partnership.pk}/notes/").status_code == 404
    assert "private notes" not in client.get(f"/partnerships/{partnership.pk}/").text


def test_a_notes_author_alone_reads_it_even_after_the_partnership_changes_coach(
    client_for, coach, partnership, school
):
    from tests.factories import coach_at

    CoachNoteFactory(partnership=partnership, coach=coach, text="Mine alone")
    successor = coach_at(school)
    partnership.coach = successor
    partnership.save()
    assert (
        "Mine alone" not in client_for(successor).get(f"/partnerships/{partnership.pk}/notes/").text
    )
