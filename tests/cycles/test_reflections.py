import pytest

from coaching.models import Partnership
from cycles.models import Reflection
from tests.factories import ReflectionFactory

pytestmark = pytest.mark.django_db


def write(client, cycle, text, visibility):
    return client.post(
        f"/cycles/{cycle.pk}/reflections/new/",
        {"prompt": "What changed?", "text": text, "visibility": visibility},
    )


def test_a_private_reflection_is_read_by_its_author_alone(client_for, coach, teacher, cycle):
    write(client_for(teacher), cycle, "Only for me", "private")
    assert "Only for me" in client_for(teacher).get(f"/cycles/{cycle.pk}/").text
    assert "Only for me" not in client_for(coach).get(f"/cycles/{cycle.pk}/").text


def test_a_shared_reflection_is_read_by_the_partnership(client_for, coach, teacher, cycle):
    write(client_for(teacher), cycle, "For us both", "shared")
    assert "For us both" in client_for(coach).get(f"/cycles/{cycle.pk}/").text


def test_a_coachs_private_reflection_stays_the_coachs(client_for, coach, teacher, cycle):
    write(client_for(coach), cycle, "Coach musing", "private")
    assert "Coach musing" not in client_for(teacher).get(f"/cycles/{cycle.pk}/").text


def test_a_private_reflection_answers_404_to_anyone_else(client_for, coach, teacher, cycle):
    mine = ReflectionFactory(cycle=cycle, author=teacher, visibility="private")
    assert client_for(coach).get(f"/reflections/{mine.pk}/edit/").status_code == 404


def test_the_author_edits_and_can_share_later(client_for, coach, teacher, cycle):
    mine = ReflectionFactory(cycle=cycle, author=teacher, visibility="private", text="Draft")
    client_for(teacher).post(
        f"/reflections/{mine.pk}/edit/",
        {"prompt": "", "text": "Now shared", "visibility": "shared"},
    )
    assert "Now shared" in client_for(coach).get(f"/cycles/{cycle.pk}/").text


def test_an_empty_reflection_is_refused(client_for, teacher, cycle):
    response = write(client_for(teacher), cycle, "", "private")
    assert "This field is required." in response.text
    assert not Reflection.objects.exists()


def test_the_form_offers_the_phases_prompt(client_for, teacher, cycle):
    page = client_for(teacher).get(f"/cycles/{cycle.pk}/reflections/new/").text
    assert "what would you like to see modelled?" in page


def test_a_private_reflection_cannot_be_shared_once_the_partnership_is_closed(
    client_for, coach, teacher, cycle
):
    # Sharing after the end would hand the coach words the teacher wrote for themselves
    # once the partnership they agreed to share within is over.
    mine = ReflectionFactory(cycle=cycle, author=teacher, visibility="private", text="Mine")
    Partnership.objects.filter(pk=cycle.partnership_id).update(status="closed")
    response = client_for(teacher).post(
        f"/reflections/{mine.pk}/edit/", {"prompt": "", "text": "Mine", "visibility": "shared"}
    )
    assert "can only be private" in response.text
    mine.refresh_from_db()
    assert mine.visibility == "private"
    assert "Mine" not in client_for(coach).get(f"/cycles/{cycle.pk}/").text
