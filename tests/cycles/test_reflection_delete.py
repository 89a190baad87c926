"""A teacher deletes a private reflection of theirs; a shared one stays the partnership's."""

import pytest

from cycles.models import Reflection
from observations.models import AccessEvent

pytestmark = pytest.mark.django_db


def test_the_author_deletes_a_private_reflection(client_for, teacher, world):
    private = world.teacher_private
    client = client_for(teacher)
    assert "Delete this reflection" in client.get(f"/reflections/{private.pk}/edit/").text
    assert "Delete your reflection?" in client.get(f"/reflections/{private.pk}/delete/").text
    assert Reflection.objects.filter(pk=private.pk).exists()
    response = client.post(f"/reflections/{private.pk}/delete/")
    assert response["Location"] == f"/cycles/{world.cycle.pk}/"
    assert not Reflection.objects.filter(pk=private.pk).exists()
    assert AccessEvent.objects.filter(record_id=private.pk, action="deleted").exists()
    assert "Teacher&#x27;s private thought" not in client.get(f"/cycles/{world.cycle.pk}/").text


def test_a_shared_reflection_is_not_deleted(client_for, teacher, world):
    shared = world.teacher_shared
    client = client_for(teacher)
    assert "Delete this reflection" not in client.get(f"/reflections/{shared.pk}/edit/").text
    assert "Make it private first" in client.get(f"/reflections/{shared.pk}/delete/").text
    client.post(f"/reflections/{shared.pk}/delete/")
    assert Reflection.objects.filter(pk=shared.pk).exists()


def test_only_the_author_may(client_for, coach, colleague, world):
    for person in (coach, colleague):
        client_for(person).post(f"/reflections/{world.teacher_private.pk}/delete/")
        client_for(person).post(f"/reflections/{world.teacher_shared.pk}/delete/")
    assert Reflection.objects.filter(pk=world.teacher_private.pk).exists()
    assert Reflection.objects.filter(pk=world.teacher_shared.pk).exists()
