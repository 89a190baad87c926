"""At 390 px, a figure of the lesson joins the goal's chart only in the goal's own unit, and
only after the coach saw the chart before and after. Seen: one tap beside "Seats that spoke
15%" put 15% on a goal measured by exit tickets, and the chart fell from 61% to 15%."""

import pytest

from cycles.models import ProgressPoint
from observations.rules import observation_feed_goal_refusal
from tests import factories
from tests.support.browser import browser_test, no_serious_violations, playwright

pytestmark = browser_test


@pytest.fixture
def lesson(transactional_db):
    """Chloe's shared lesson: 3 of 20 seats spoke (15%), on a goal at 61% of exit tickets."""
    school = factories.SchoolFactory()
    coach = factories.coach_at(school, user__email="coach@example.org")
    teacher = factories.teacher_at(school, user__email="teacher@example.org")
    partnership = factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher])
    goal = factories.GoalFactory(
        cycle__partnership=partnership,
        measure="Share of students meeting the target on exit tickets",
        unit="%",
    )
    factories.ProgressPointFactory(goal=goal, value=61)
    observation = factories.ObservationFactory(cycle=goal.cycle, status="shared")
    factories.seat_map_for(observation, taps=[(0, 0), (1, 1), (2, 2)])
    return observation


def _set_unit(goal, unit):
    goal.unit = unit
    goal.save(update_fields=["unit"])


def _points(goal):
    return sorted(int(p.value) for p in ProgressPoint.objects.filter(goal=goal))


def test_a_figure_in_another_unit_is_refused_and_one_in_the_goals_unit_confirmed(
    capture_page, lesson
):
    page = capture_page.page
    goal = lesson.cycle.goal
    capture_page.sign_in()
    assert page.viewport_size["width"] == 390
    heat = page.locator("section[aria-labelledby=heat-heading]")

    # Not offered: the share of seats that spoke is not the goal's share of exit tickets.
    capture_page.goto(f"/observations/{lesson.pk}/")
    playwright.expect(heat).to_contain_text("Seats that spoke: 15%")
    playwright.expect(heat.get_by_role("button")).to_have_count(0)

    # Refused: a page opened while the goal counted seats, tapped after it changed to %.
    _set_unit(goal, "% of seats")
    page.reload()
    _set_unit(goal, "%")
    heat.get_by_role("button", name="Add to the goal's progress").click()
    playwright.expect(page.locator(".alert")).to_contain_text(
        observation_feed_goal_refusal(lesson, "% of seats")
    )
    assert _points(goal) == [61]
    no_serious_violations(page, "figures-for-the-goal/refused")

    # Accepted: in the goal's unit, after the chart before and after.
    _set_unit(goal, "times")
    page.reload()
    playwright.expect(heat.get_by_role("button")).to_have_count(1)
    heat.get_by_role("button", name="Add to the goal's progress").click()
    playwright.expect(page.locator("#chart-change")).to_have_text(
        "Latest value: 61 times → 3 times"
    )
    playwright.expect(page.get_by_role("img", name="Progress toward the goal")).to_have_count(2)
    assert _points(goal) == [61]
    no_serious_violations(page, "figures-for-the-goal/confirm")
    page.get_by_role("button", name="Add it to the chart").click()
    playwright.expect(page.locator(".alert")).to_contain_text("Recorded as progress")
    assert _points(goal) == [3, 61]
