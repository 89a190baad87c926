"""The teacher's side of feedback reads as a conversation between partners: they reply, or
only mark it read, and nothing on the page sounds like an evaluation being signed off."""

import re

import pytest

from observations.models import ObservationResponse
from tests import factories

pytestmark = pytest.mark.django_db


def buttons(html):
    found = re.findall(r"<button[^>]*>(.*?)</button>", html, re.S)
    return [re.sub(r"\s+", " ", b).strip() for b in found]


def test_the_teacher_sends_a_reply_or_marks_the_feedback_read(client_for, teacher, world):
    page = client_for(teacher).get(f"/observations/{world.shared.pk}/").text
    assert "Send my reply" in buttons(page)
    assert "Mark as read" in buttons(page)
    assert "Acknowledge" not in page


def test_a_reply_reads_as_a_reply_for_the_coach(client_for, coach, teacher, world):
    client_for(teacher).post(f"/observations/{world.shared.pk}/respond/", {"text": "Thanks!"})
    page = client_for(coach).get(f"/observations/{world.shared.pk}/").text
    assert "Daniel Reyes replied on" in page
    assert "acknowledged" not in page


def test_marking_read_sends_no_words_even_if_some_were_typed(client_for, coach, teacher, world):
    response = client_for(teacher).post(
        f"/observations/{world.shared.pk}/respond/",
        {"text": "half a thought", "read": "1"},
        follow=True,
    )
    assert "Marked as read" in response.text
    assert ObservationResponse.objects.get().text == ""
    coach_page = client_for(coach).get(f"/observations/{world.shared.pk}/").text
    assert "Read by Daniel Reyes on" in coach_page
    assert "half a thought" not in coach_page
    # Once read, the teacher may still write a reply; "Mark as read" is not offered again.
    again = client_for(teacher).get(f"/observations/{world.shared.pk}/").text
    assert "Send my reply" in buttons(again)
    assert "Mark as read" not in buttons(again)


def test_a_look_for_the_teacher_chose_and_nobody_noted_is_not_a_verdict(client_for, teacher, world):
    factories.ChosenLookForFactory(observation=world.shared, description="Students lead")
    page = client_for(teacher).get(f"/observations/{world.shared.pk}/").text
    assert "Not noted in this lesson." in page
    assert "Not yet seen" not in page


def test_the_teachers_list_and_home_speak_of_reading_not_answering(client_for, teacher, world):
    client = client_for(teacher)
    assert "Read the feedback" in client.get("/teacher/").text
    listing = client.get("/my-records/feedback/").text
    assert "New for you" in listing
    assert "Waiting for your answer" not in listing
