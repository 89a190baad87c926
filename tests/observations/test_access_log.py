import pytest

from observations.models import AccessEvent

pytestmark = pytest.mark.django_db


def test_reading_an_observation_is_logged_for_its_teacher(client_for, coach, teacher, world):
    client_for(coach).get(f"/observations/{world.shared.pk}/")
    event = AccessEvent.objects.get(action="read", actor=coach)
    assert (event.subject, event.kind, event.record_id) == (teacher, "observation", world.shared.pk)
    page = client_for(teacher).get("/my-records/access/").text
    assert "Maya Okafor" in page
    assert "Observation of" in page


def test_drafts_are_logged_too(client_for, coach, teacher, world):
    client_for(coach).get(f"/observations/{world.draft.pk}/capture/")
    assert AccessEvent.objects.filter(record_id=world.draft.pk, subject=teacher).exists()


def test_repeated_reads_count_on_one_line(client_for, coach, world):
    client = client_for(coach)
    for _ in range(3):
        client.get(f"/observations/{world.shared.pk}/")
    event = AccessEvent.objects.get(action="read", actor=coach)
    assert event.repeats == 3


def test_changes_shares_and_answers_are_logged(client_for, coach, teacher, world):
    client_for(coach).post(
        f"/observations/{world.draft.pk}/feedback/",
        {"strengths": "s", "wonderings": "", "next_steps": ""},
    )
    client_for(coach).post(f"/observations/{world.draft.pk}/share/")
    client_for(teacher).post(f"/observations/{world.draft.pk}/respond/", {"text": "ok"})
    actions = set(AccessEvent.objects.values_list("action", flat=True))
    assert {"changed", "shared", "responded"} <= actions


def test_reading_a_private_reflection_is_logged_for_its_author(client_for, teacher, world):
    client_for(teacher).get(f"/cycles/{world.cycle.pk}/")
    event = AccessEvent.objects.get(kind="reflection")
    assert (event.subject, event.actor, event.record_id) == (
        teacher,
        teacher,
        world.teacher_private.pk,
    )


def test_the_teachers_own_reads_are_hidden_unless_asked(client_for, teacher, world):
    client = client_for(teacher)
    client.get(f"/observations/{world.shared.pk}/")
    assert "Nobody has opened" in client.get("/my-records/access/").text
    assert "You" in client.get("/my-records/access/?mine=1").text


def test_nobody_else_sees_a_teachers_log(client_for, coach, colleague, world, school_admin):
    client_for(coach).get(f"/observations/{world.shared.pk}/")
    assert "Maya Okafor" not in client_for(colleague).get("/my-records/access/").text
    assert client_for(coach).get("/my-records/access/").status_code == 404
    assert client_for(school_admin).get("/my-records/access/").status_code == 404


def test_nobody_can_edit_the_log_not_even_an_operator(client_for, coach, world):
    from tests.factories import UserFactory

    client_for(coach).get(f"/observations/{world.shared.pk}/")
    event = AccessEvent.objects.get()
    operator = client_for(UserFactory(is_staff=True, is_superuser=True))
    change_url = f"/operators/observations/accessevent/{event.pk}/change/"
    response = operator.post(change_url, {"action": "changed"})
    assert response.status_code == 403
    delete_url = f"/operators/observations/accessevent/{event.pk}/delete/"
    assert operator.post(delete_url, {"post": "yes"}).status_code == 403
    assert AccessEvent.objects.get().action == "read"
