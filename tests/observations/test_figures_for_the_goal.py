"""A figure of the lesson joins the goal's chart only in the goal's own measure and unit,
and only after the chart before and after was shown. Seen: one tap beside "Seats that
spoke 15%" put 15% on a goal measured by exit tickets; the chart fell from 61% to 15%."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from cycles.models import ProgressPoint
from observations import services
from observations.rules import observation_feed_goal_refusal
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def exit_tickets(world):
    """Chloe's goal, measured by exit tickets in %, at 61% before the lesson."""
    goal = world.goal
    goal.measure, goal.unit = "Share of students meeting the target on exit tickets", "%"
    goal.save()
    goal.progress.all().delete()
    factories.ProgressPointFactory(goal=goal, value=61)
    # 3 of 20 seats spoke: 15%.
    factories.seat_map_for(world.shared, taps=[(0, 0), (1, 1), (2, 2)])
    return goal


def _points(goal):
    return sorted(int(p.value) for p in goal.progress.all())


def test_a_share_of_seats_is_not_in_a_goal_measured_in_percent_of_exit_tickets(world, exit_tickets):
    refusal = observation_feed_goal_refusal(world.shared, "% of seats")
    assert refusal is not None
    assert "exit tickets" in refusal
    assert "% of seats" in refusal
    assert observation_feed_goal_refusal(world.shared, "%") is None
    assert observation_feed_goal_refusal(world.shared, " % ") is None


def test_the_service_asks_the_same_refusal_and_changes_nothing(coach, world, exit_tickets):
    with pytest.raises(ValidationError) as refused:
        services.observation_feed_goal(
            actor=coach, observation=world.shared, value=15, unit="% of seats", what="Seats"
        )
    assert refused.value.messages == [observation_feed_goal_refusal(world.shared, "% of seats")]
    assert _points(exit_tickets) == [61]


def test_seats_that_spoke_are_not_offered_to_an_exit_ticket_goal(
    client_for, coach, world, exit_tickets
):
    page = client_for(coach).get(f"/observations/{world.shared.pk}/").text
    assert "Seats that spoke: <strong>15%</strong>" in page
    assert "Add to the goal's progress<span" not in page.replace("&#x27;", "'")
    assert 'value="% of seats"' not in page


def test_seats_that_spoke_posted_anyway_are_refused_with_the_reason(
    client_for, coach, world, exit_tickets
):
    response = client_for(coach).post(
        f"/observations/{world.shared.pk}/to-goal/",
        {
            "value": "15",
            "unit": "% of seats",
            "what": "Seats that spoke (%), Room",
            "confirmed": "1",
        },
    )
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == [observation_feed_goal_refusal(world.shared, "% of seats")]
    assert _points(exit_tickets) == [61]


def test_a_figure_without_its_unit_adds_nothing(client_for, coach, world, exit_tickets):
    # The tap of an older page, or a hand-made post: what it measures is unknown.
    response = client_for(coach).post(
        f"/observations/{world.shared.pk}/to-goal/", {"value": "15", "what": "Seats"}
    )
    assert response.status_code == 302
    assert _points(exit_tickets) == [61]


def test_a_figure_in_the_goals_unit_is_added_after_the_chart_before_and_after(
    client_for, coach, world, exit_tickets
):
    exit_tickets.measure, exit_tickets.unit = "Students joining discussion unprompted", "students"
    exit_tickets.save()
    client = client_for(coach)
    page = client.get(f"/observations/{world.shared.pk}/").text
    assert 'name="unit" value="students"' in page
    data = {"value": "3", "unit": "students", "what": "Students who spoke, Room"}
    shown = client.post(f"/observations/{world.shared.pk}/to-goal/", data).text
    assert "Latest value: <strong>61 students</strong> &rarr; <strong>3 students</strong>" in shown
    assert 'id="chart-title-before"' in shown
    assert 'id="chart-title-after"' in shown
    assert _points(exit_tickets) == [61]  # nothing until confirmed
    client.post(f"/observations/{world.shared.pk}/to-goal/", {**data, "confirmed": "1"})
    assert _points(exit_tickets) == [3, 61]
    added = exit_tickets.progress.get(value=3)
    assert (added.source, added.note) == (ProgressPoint.Source.OBSERVATION, data["what"])
