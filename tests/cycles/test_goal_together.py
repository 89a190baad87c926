"""A goal set together: either the coach or the teacher proposes it, the other accepts it or
changes it (a change is a proposal back), until one accepts. The form asks first for the
statement and how progress is measured; the rest may come later."""

import re

import pytest

from cycles.models import Goal
from tests.factories import CycleFactory

pytestmark = pytest.mark.django_db

FIRST = {"statement": "Most students explain a method.", "measure": "Exit tickets", "unit": "%"}


@pytest.fixture
def new_cycle(partnership):
    return CycleFactory(partnership=partnership)


def propose(client, cycle, **changes):
    return client.post(f"/cycles/{cycle.pk}/goal/", {**FIRST, **changes}, follow=True)


def accept(client, cycle):
    page = client.get(f"/cycles/{cycle.pk}/").text
    seen = re.search(r'name="seen" value="([^"]+)"', page)
    assert seen, "no Accept button"
    return client.post(f"/cycles/{cycle.pk}/goal/accept/", {"seen": seen[1]}, follow=True)


def test_the_teacher_proposes_a_goal_with_only_what_is_asked_first(client_for, teacher, new_cycle):
    response = propose(client_for(teacher), new_cycle)
    goal = Goal.objects.get()
    assert (goal.statement, goal.measure, goal.unit) == tuple(FIRST.values())
    assert (goal.baseline, goal.target, goal.target_date) == (None, None, None)
    assert goal.proposed_by.full_name == "Daniel Reyes"
    assert not goal.is_agreed
    assert "Goal proposed. Maya Okafor can accept it or change it." in response.text
    assert "Proposed by you" in response.text
    assert "Accept the goal" not in response.text


def test_the_coach_sees_the_proposal_and_accepts_it(client_for, coach, teacher, new_cycle):
    propose(client_for(teacher), new_cycle)
    client = client_for(coach)
    page = client.get(f"/cycles/{new_cycle.pk}/").text
    assert "Proposed by Daniel Reyes" in page
    response = accept(client, new_cycle)
    assert "Goal agreed" in response.text
    assert Goal.objects.get().is_agreed
    assert "Accept the goal" not in response.text
    assert "Agreed" in response.text


def test_a_change_is_a_proposal_back_until_one_accepts(client_for, coach, teacher, new_cycle):
    propose(client_for(coach), new_cycle)
    propose(client_for(teacher), new_cycle, statement="Every student explains a method.")
    goal = Goal.objects.get()
    assert goal.proposed_by == teacher
    assert not goal.is_agreed
    # The teacher proposed last: they wait; the coach may accept or change it again.
    teacher_page = client_for(teacher).get(f"/cycles/{new_cycle.pk}/").text
    assert "Accept the goal" not in teacher_page
    accept(client_for(coach), new_cycle)
    goal.refresh_from_db()
    assert goal.is_agreed
    assert goal.statement == "Every student explains a method."
    # Changing an agreed goal proposes the change: agreed again only once accepted.
    propose(client_for(coach), new_cycle, statement="Nine in ten explain a method.")
    goal.refresh_from_db()
    assert not goal.is_agreed
    assert goal.proposed_by == coach


def test_the_proposer_cannot_accept_their_own_goal(client_for, teacher, new_cycle):
    propose(client_for(teacher), new_cycle)
    goal = Goal.objects.get()
    response = client_for(teacher).post(
        f"/cycles/{new_cycle.pk}/goal/accept/", {"seen": goal.updated_at.isoformat()}, follow=True
    )
    assert "it waits for the other person" in response.text
    assert not Goal.objects.get().is_agreed


def test_a_goal_changed_since_it_was_read_is_not_accepted_unread(
    client_for, coach, teacher, new_cycle, clock
):
    propose(client_for(teacher), new_cycle)
    seen = Goal.objects.get().updated_at.isoformat()
    clock.shift(60)
    propose(client_for(teacher), new_cycle, statement="Changed meanwhile.")
    response = client_for(coach).post(
        f"/cycles/{new_cycle.pk}/goal/accept/", {"seen": seen}, follow=True
    )
    assert "changed since you read it" in response.text
    assert not Goal.objects.get().is_agreed


@pytest.mark.parametrize("seen", ["", "not a date", "9999-99-99T00:00"])
def test_a_bad_accept_changes_nothing_and_says_why(client_for, coach, teacher, new_cycle, seen):
    propose(client_for(teacher), new_cycle)
    response = client_for(coach).post(
        f"/cycles/{new_cycle.pk}/goal/accept/", {"seen": seen}, follow=True
    )
    assert response.status_code == 200
    assert not Goal.objects.get().is_agreed


def test_the_form_asks_first_for_the_statement_and_the_measure(client_for, teacher, new_cycle):
    page = client_for(teacher).get(f"/cycles/{new_cycle.pk}/goal/").text
    first, later = page.split("<details", 1)
    for name in ("statement", "measure", "unit"):
        assert f'name="{name}"' in first
    for name in ("powerful", "baseline", "target", "target_date", "strategy", "learning_targets"):
        assert f'name="{name}"' in later
    assert '<details class="mb-3">' in page  # folded: nothing there yet


def test_a_closed_cycle_offers_no_goal_form_and_says_why(client_for, teacher, partnership):
    closed = CycleFactory(partnership=partnership, phase="closed", ended_on="2026-11-01")
    client = client_for(teacher)
    assert f"/cycles/{closed.pk}/goal/" not in client.get(f"/cycles/{closed.pk}/").text
    response = client.get(f"/cycles/{closed.pk}/goal/", follow=True)
    assert "This cycle is closed" in response.text
    assert propose(client, closed).status_code == 200
    assert not Goal.objects.exists()


def test_a_goal_without_a_baseline_yet_says_what_the_chart_waits_for(
    client_for, coach, teacher, new_cycle
):
    propose(client_for(teacher), new_cycle)
    page = client_for(coach).get(f"/cycles/{new_cycle.pk}/").text
    assert "the chart needs a baseline, a target and a date" in page
    assert "Exit tickets (%)" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"statement": "x" * 10_000}, "Ensure this value has at most 1000 characters"),
        ({"learning_targets": "y" * 10_000}, "Ensure this value has at most 2000 characters"),
        ({"target_date": "1900-01-01"}, "The target date cannot be before the cycle started."),
    ],
)
def test_a_proposal_out_of_bounds_is_refused_with_the_form_kept(
    client_for, teacher, new_cycle, changes, message
):
    response = propose(client_for(teacher), new_cycle, **changes)
    assert message in response.text
    assert 'value="Exit tickets"' in response.text  # the rest of what was typed is kept
    assert not Goal.objects.exists()


def test_the_coach_home_says_a_goal_waits_for_them(client_for, coach, teacher, new_cycle):
    assert client_for(coach).get("/coach/").status_code == 200
    assert "accept or change it" not in client_for(coach).get("/coach/").text
    propose(client_for(teacher), new_cycle)
    home = client_for(coach).get("/coach/").text
    assert "Goal proposed by Daniel Reyes: accept or change it" in home
    accept(client_for(coach), new_cycle)
    assert "accept or change it" not in client_for(coach).get("/coach/").text
