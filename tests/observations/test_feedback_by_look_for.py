"""The feedback page, the preview and the teacher's page group what was seen under each
look-for (its count and the notes tagged with it) with the seat map beside them; any count
or seat figure in the goal's unit becomes a progress point of the goal, once the chart
before and after is confirmed."""

import re

import pytest

from cycles.models import ProgressPoint
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(world):
    """The shared lesson: a counted look-for the teacher chose, with a tagged note, one
    untagged note, and six taps on a 4 × 5 room."""
    observation = world.shared
    look_for = factories.ChosenLookForFactory(
        observation=observation, description="Students ask why", counted=True
    )
    observation.tallies.create(label=look_for.description, look_for=look_for, count=7)
    factories.ObservationNoteFactory(
        observation=observation, look_for=look_for, text="Pair 3 asks why."
    )
    factories.ObservationNoteFactory(observation=observation, text="The bell rings early.")
    factories.seat_map_for(observation, taps=[(0, 0)] * 3 + [(0, 1), (1, 1), (3, 4)])
    return observation


def section(html, heading_id):
    """The card whose heading has this id: what a reader finds under that heading."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert match, heading_id
    return match.group(0)


def test_the_coach_writes_feedback_beside_evidence_grouped_by_look_for(client_for, coach, evidence):
    page = client_for(coach).get(f"/observations/{evidence.pk}/feedback/").text
    look_fors = section(page, "look-fors-heading")
    assert "Students ask why" in look_fors
    assert "Pair 3 asks why." in look_fors
    assert "Counted: <strong>7</strong>" in look_fors
    assert "The bell rings early." not in look_fors
    assert "The bell rings early." in section(page, "evidence-heading")
    heat = section(page, "heat-heading")
    assert "4 of 20 seats spoke, 6 times in all; 1 seat had 50% of the talk." in heat
    assert heat.count('class="seat heat-') == 20


def test_the_teacher_sees_the_same_grouping_and_seat_map(client_for, teacher, evidence):
    page = client_for(teacher).get(f"/observations/{evidence.pk}/").text
    look_fors = section(page, "look-fors-heading")
    assert "Pair 3 asks why." in look_fors
    assert f"Chosen by {teacher.full_name}" in look_fors
    assert "4 of 20 seats spoke" in section(page, "heat-heading")


def test_the_share_preview_shows_what_the_teacher_will_see(client_for, coach, world):
    draft = world.draft
    look_for = factories.ChosenLookForFactory(observation=draft, description="Wait time")
    factories.ObservationNoteFactory(observation=draft, look_for=look_for, text="Waits 4 s.")
    page = client_for(coach).get(f"/observations/{draft.pk}/share/").text
    assert "Waits 4 s." in section(page, "look-fors-heading")


def test_a_look_for_not_seen_says_so(client_for, coach, world):
    factories.ChosenLookForFactory(observation=world.draft, description="Students lead")
    page = client_for(coach).get(f"/observations/{world.draft.pk}/feedback/").text
    assert "Not noted in this lesson." in section(page, "look-fors-heading")


@pytest.mark.parametrize("persona", ["coach", "teacher"])
def test_a_count_or_a_seat_figure_becomes_a_progress_point(
    request, client_for, evidence, world, persona
):
    client = client_for(request.getfixturevalue(persona))
    page = client.get(f"/observations/{evidence.pk}/").text
    assert "Add to the goal&#x27;s progress" in page or "Add to the goal's progress" in page
    world.goal.unit = "times"
    world.goal.save()
    for value, what in [("7", "Students ask why"), ("6", "Times students spoke, Period 2")]:
        figure = {"value": value, "unit": "times", "what": what, "confirmed": "1"}
        client.post(f"/observations/{evidence.pk}/to-goal/", figure)
    points = ProgressPoint.objects.filter(goal=world.goal, source="observation")
    assert sorted((int(p.value), p.note) for p in points) == [
        (6, "Times students spoke, Period 2"),
        (7, "Students ask why"),
    ]


def test_a_lesson_without_look_fors_or_seats_shows_notes_as_before(client_for, coach, world):
    factories.ObservationNoteFactory(observation=world.draft, text="Plain note.")
    page = client_for(coach).get(f"/observations/{world.draft.pk}/feedback/").text
    assert 'id="look-fors-heading"' not in page
    assert 'id="heat-heading"' not in page
    assert "Plain note." in page


def test_only_figures_in_the_goals_unit_are_offered_for_progress(
    client_for, coach, evidence, world
):
    # Found by trying it: a count recorded on a goal in % was drawn as a fall; so was a
    # share of seats on a goal whose % is of something else.
    client = client_for(coach)
    percent = client.get(f"/observations/{evidence.pk}/").text
    assert "Add to the goal&#x27;s progress</span>" not in percent  # no markup slip
    assert 'name="value" value="20"' not in percent  # seats that spoke, 20% of seats
    assert 'name="value" value="7"' not in percent  # the look-for's count
    world.goal.unit = "% of seats"
    world.goal.save()
    seats = client.get(f"/observations/{evidence.pk}/").text
    assert seats.count('name="value" value="20"') == 1
    world.goal.unit = "Times"
    world.goal.save()
    counts = client.get(f"/observations/{evidence.pk}/").text
    assert 'name="value" value="7"' in counts
    assert 'name="value" value="6"' in counts  # times students spoke
    assert 'name="value" value="20"' not in counts


def test_a_figure_tapped_twice_is_one_progress_point(client_for, coach, evidence, world):
    client = client_for(coach)
    page = client.get(f"/observations/{evidence.pk}/").text
    key = re.search(r'name="submission" value="([0-9a-f-]+)"', page).group(1)
    world.goal.unit = "% of seats"
    world.goal.save()
    data = {"value": "20", "unit": "% of seats", "what": "Seats that spoke (%), Period 2"}
    data |= {"submission": key, "confirmed": "1"}
    client.post(f"/observations/{evidence.pk}/to-goal/", data)
    second = client.post(f"/observations/{evidence.pk}/to-goal/", data, follow=True)
    assert "That was already saved." in second.text
    assert ProgressPoint.objects.filter(goal=world.goal, source="observation").count() == 1
