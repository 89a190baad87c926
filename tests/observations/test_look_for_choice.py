"""The teacher chooses what the coach looks for in the next lesson: from the goal's learning
targets, the strategy's checklist, the library, or in their own words. The coach sees the
choice and may add to it, and the teacher sees what the coach added."""

import pytest
from django.utils import timezone

from coaching.models import Meeting
from observations import services
from observations.models import ChosenLookFor, Tally
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def choices(cycle, district):
    """A goal with two learning targets and a strategy; a library template with two."""
    goal = cycle.goal
    goal.learning_targets = "I can explain my thinking\nI can ask a partner why"
    goal.strategy = factories.StrategyFactory(
        district=district, title="Think-pair-share", checklist="Pairs talk before sharing"
    )
    goal.save()
    template = factories.LookForTemplateFactory(
        district=district, name="Discourse", look_fors=["Students build on ideas", "Wait time"]
    )
    template.look_fors.filter(description="Wait time").update(counted=True)
    return {f.description: f"library:{f.pk}" for f in template.look_fors.all()}


def choose(client, cycle, *picks, own=""):
    return client.post(f"/cycles/{cycle.pk}/look-fors/", {"picks": list(picks), "own": own})


def test_the_teacher_chooses_from_targets_checklist_library_and_own_words(
    client_for, teacher, cycle, choices
):
    client = client_for(teacher)
    page = client.get(f"/cycles/{cycle.pk}/look-fors/")
    for offered in ("I can explain my thinking", "Pairs talk before sharing", "Wait time"):
        assert offered in page.text
    response = choose(
        client, cycle, "goal:0", "strategy:0", choices["Wait time"], own="Who answers first"
    )
    assert response.url == f"/cycles/{cycle.pk}/#look-fors"
    waiting = ChosenLookFor.objects.filter(cycle=cycle, observation=None)
    assert sorted((c.source, c.description, c.by_coach) for c in waiting) == [
        ("goal", "I can explain my thinking", False),
        ("library", "Wait time", False),
        ("own", "Who answers first", False),
        ("strategy", "Pairs talk before sharing", False),
    ]
    assert all(c.chosen_by == teacher for c in waiting)


def test_the_coach_sees_the_choice_and_what_the_coach_adds_is_marked(
    client_for, coach, teacher, cycle, choices
):
    choose(client_for(teacher), cycle, "goal:0")
    coach_client = client_for(coach)
    page = coach_client.get(f"/cycles/{cycle.pk}/")
    assert "I can explain my thinking" in page.text
    assert f"chosen by {teacher.full_name}" in page.text
    # The coach's form shows the teacher's pick as theirs, not the coach's to untick.
    choose(coach_client, cycle, choices["Students build on ideas"])
    assert ChosenLookFor.objects.filter(cycle=cycle, observation=None).count() == 2
    added = ChosenLookFor.objects.get(description="Students build on ideas")
    assert added.by_coach
    assert added.chosen_by == coach
    teacher_page = client_for(teacher).get(f"/cycles/{cycle.pk}/").text
    assert "Students build on ideas" in teacher_page
    assert "added by the coach" in teacher_page


def test_each_person_takes_back_only_their_own_choices(client_for, coach, teacher, cycle, choices):
    choose(client_for(teacher), cycle, "goal:0", "goal:1")
    choose(client_for(coach), cycle, "strategy:0")
    choose(client_for(teacher), cycle, "goal:1")  # the teacher unticks one of theirs
    waiting = {c.description for c in ChosenLookFor.objects.filter(observation=None)}
    assert waiting == {"I can ask a partner why", "Pairs talk before sharing"}


def test_starting_an_observation_copies_the_choice_and_later_changes_leave_it(
    client_for, coach, teacher, cycle, choices
):
    choose(client_for(teacher), cycle, "goal:0", choices["Wait time"])
    observation = services.observation_start(actor=coach, cycle=cycle)
    assert {c.description for c in observation.look_fors.all()} == {
        "I can explain my thinking",
        "Wait time",
    }
    # The counted look-for comes with its counter.
    assert Tally.objects.get(observation=observation).label == "Wait time"
    choose(client_for(teacher), cycle, "goal:1")
    assert {c.description for c in observation.look_fors.all()} == {
        "I can explain my thinking",
        "Wait time",
    }
    capture = client_for(coach).get(f"/observations/{observation.pk}/capture/").text
    assert 'data-look-for="' in capture
    assert "I can explain my thinking" in capture


def test_a_choice_the_library_no_longer_offers_is_refused(client_for, teacher, cycle, choices):
    response = choose(client_for(teacher), cycle, "library:999999")
    assert "A look-for ticked is not offered here" in response.text
    assert not ChosenLookFor.objects.exists()


def test_a_closed_cycle_takes_no_new_look_fors(client_for, teacher, cycle, choices):
    cycle.phase, cycle.ended_on, cycle.outcome = "closed", cycle.started_on, "met"
    cycle.save()
    response = choose(client_for(teacher), cycle, "goal:0")
    assert "This cycle is closed" in response.text
    assert not ChosenLookFor.objects.exists()


def test_the_same_choice_sent_twice_is_saved_once(client_for, teacher, cycle, choices):
    client = client_for(teacher)
    page = client.get(f"/cycles/{cycle.pk}/look-fors/")
    key = page.context["form"]["submission"].value()
    data = {"picks": ["goal:0"], "own": "Who answers first", "submission": key}
    client.post(f"/cycles/{cycle.pk}/look-fors/", data)
    client.post(f"/cycles/{cycle.pk}/look-fors/", data)
    assert ChosenLookFor.objects.filter(description="Who answers first").count() == 1


def test_nothing_to_choose_from_says_so(client_for, teacher, cycle):
    page = client_for(teacher).get(f"/cycles/{cycle.pk}/look-fors/")
    assert "There is nothing to choose from yet" in page.text


@pytest.mark.parametrize("kind", Meeting.Kind.values)
def test_a_meeting_to_come_shows_the_look_fors_for_the_next_lesson(
    client_for, coach, teacher, cycle, partnership, choices, kind
):
    choose(client_for(teacher), cycle, "goal:0")
    meeting = factories.MeetingFactory(partnership=partnership, kind=kind)
    client = client_for(coach)
    page = client.get(f"/meetings/{meeting.pk}/").text
    assert "Look-fors for the next observation" in page
    assert "I can explain my thinking" in page
    assert f"/cycles/{cycle.pk}/look-fors/" in page
    meeting.held_at = timezone.now()
    meeting.save()
    assert "Look-fors for the next observation" not in client.get(f"/meetings/{meeting.pk}/").text


@pytest.mark.parametrize("persona", ["colleague", "other_coach", "school_admin", "district_admin"])
def test_nobody_outside_the_partnership_sees_or_changes_the_choice(
    request, client_for, cycle, choices, persona
):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/cycles/{cycle.pk}/look-fors/").status_code == 404
    assert choose(client, cycle, "goal:0").status_code == 404
    assert not ChosenLookFor.objects.exists()


def test_a_look_for_ticked_twice_is_chosen_once(client_for, teacher, cycle, choices):
    # Found by trying it: the second copy answered 500.
    choose(client_for(teacher), cycle, "goal:0", "goal:0")
    assert ChosenLookFor.objects.filter(cycle=cycle).count() == 1


def test_the_coach_is_told_their_own_words_are_marked_as_theirs(client_for, coach, cycle):
    page = client_for(coach).get(f"/cycles/{cycle.pk}/look-fors/").text
    assert "they will see you added it" in page
    assert "you would like your coach to look for" not in page
