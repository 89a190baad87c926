"""From the coach home, observing a teacher takes one tap and a note, and logging time for a
partnership takes at most three interactions."""

import datetime
import re
import uuid

import pytest

from coaching.models import ActivityEntry
from observations.models import Observation
from tests import factories

pytestmark = pytest.mark.django_db


def observe_form(page, cycle):
    match = re.search(
        rf'<form method="post" action="/cycles/{cycle.pk}/observations/new/">(.*?)</form>',
        page,
        re.S,
    )
    assert match, "no one-tap observe button for the cycle"
    return match[1]


def test_each_partnership_row_observes_its_teachers_open_cycle_in_one_tap(client_for, coach, cycle):
    client = client_for(coach)
    form = observe_form(client.get("/coach/").text, cycle)
    assert "Observe" in form
    assert "Daniel Reyes" in form
    key = re.search(r'name="submission" value="([0-9a-f-]+)"', form)[1]

    response = client.post(f"/cycles/{cycle.pk}/observations/new/", {"submission": key})

    observation = Observation.objects.get()
    assert response["Location"] == f"/observations/{observation.pk}/capture/"
    assert observation.cycle == cycle
    assert list(observation.teachers.values_list("full_name", flat=True)) == ["Daniel Reyes"]
    # The capture page takes the first note at once: its box has the focus.
    capture = client.get(response["Location"]).text
    assert re.search(r'<textarea name="text" id="note-text"[^>]* autofocus', capture)


def test_a_double_tap_on_observe_starts_one_observation(client_for, coach, cycle):
    client = client_for(coach)
    key = str(uuid.uuid4())
    first = client.post(f"/cycles/{cycle.pk}/observations/new/", {"submission": key})
    second = client.post(f"/cycles/{cycle.pk}/observations/new/", {"submission": key})
    assert Observation.objects.count() == 1
    assert second["Location"] == first["Location"]


def test_no_observe_button_without_an_open_cycle(client_for, coach, partnership):
    page = client_for(coach).get("/coach/").text
    assert "/observations/new/" not in page.replace('href="/observations/new/"', "")


def test_log_time_on_a_row_comes_back_with_that_partnership_chosen(
    client_for, coach, partnership, school
):
    factories.PartnershipFactory(school=school, coach=coach, status="active")
    page = client_for(coach).get(f"/coach/?log={partnership.pk}").text
    assert f'href="?log={partnership.pk}#log-time"' in page
    assert re.search(rf'<option value="{partnership.pk}" selected>Daniel Reyes</option>', page)


def test_a_minutes_button_logs_a_coaching_conversation_today_with_that_teacher(
    client_for, coach, partnership, school
):
    client = client_for(coach)
    page = client.get(f"/coach/?log={partnership.pk}").text
    # What the form sends when the coach taps "30 min": every field it carries, unchanged.
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    assert re.search(r'<option value="conversation" selected>', page)
    response = client.post(
        "/activity/new/",
        {**fields, "partnership": partnership.pk, "kind": "conversation", "minutes": "30"},
        follow=True,
    )
    entry = ActivityEntry.objects.get()
    assert (entry.minutes, entry.kind, entry.partnership, entry.date) == (
        30,
        "conversation",
        partnership,
        school.today(),
    )
    assert response.redirect_chain[-1][0] == f"/coach/?log={partnership.pk}"
    assert "Logged 30 minutes of coaching conversation with Daniel Reyes" in response.text
    assert f'href="/activity/{entry.pk}/edit/">Change it</a>' in response.text


def test_drafts_waiting_for_feedback_are_listed(client_for, coach, cycle):
    draft = factories.ObservationFactory(cycle=cycle)
    shared = factories.ObservationFactory(cycle=cycle, status="shared")
    page = client_for(coach).get("/coach/").text
    assert "Feedback to write and share" in page
    assert f"/observations/{draft.pk}/feedback/" in page
    assert f"/observations/{shared.pk}/feedback/" not in page


def test_each_draft_says_whose_lesson_and_whether_feedback_is_written(client_for, coach, cycle):
    written = factories.ObservationFactory(cycle=cycle, strengths="CANARY-strength-words")
    empty = factories.ObservationFactory(
        cycle=cycle, strengths="", observed_at=written.observed_at - datetime.timedelta(days=1)
    )
    page = client_for(coach).get("/coach/").text
    lines = {
        pk: re.search(rf'/observations/{pk}/feedback/">(.*?)</li>', page, re.S)[1]
        for pk in (written.pk, empty.pk)
    }
    names = cycle.partnership.teacher_names
    assert names
    assert all(line.startswith(f"{names}’s lesson of") for line in lines.values())
    assert "feedback written, not shared" in lines[written.pk]
    assert "no feedback yet" in lines[empty.pk]
    # Whether feedback is written is all the home says of it: its words stay on its page.
    assert "CANARY-strength-words" not in page
    assert page.index(f"/observations/{written.pk}/") < page.index(f"/observations/{empty.pk}/")
