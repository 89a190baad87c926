import datetime
from decimal import Decimal

import pytest

from cycles.charts import HEIGHT, progress_chart
from tests.factories import GoalFactory, ProgressPointFactory

pytestmark = pytest.mark.django_db


def test_points_above_the_baseline_are_drawn_higher(cycle):
    goal = cycle.goal  # baseline 30, target 80
    low = ProgressPointFactory(goal=goal, value=Decimal(35))
    high = ProgressPointFactory(
        goal=goal, value=Decimal(70), recorded_on=low.recorded_on + datetime.timedelta(days=1)
    )
    chart = progress_chart(goal, [low, high])
    assert chart.target_y < chart.points[1].y < chart.points[0].y < chart.baseline_y <= HEIGHT
    assert chart.points[0].x < chart.points[1].x


def test_a_falling_goal_draws_its_target_below_the_baseline():
    goal = GoalFactory(baseline=Decimal(12), target=Decimal(3), unit="referrals")
    chart = progress_chart(goal, [])
    assert chart.target_y > chart.baseline_y
    assert "no progress points yet" in chart.description


def test_the_description_is_a_text_alternative(cycle):
    chart = progress_chart(cycle.goal, [ProgressPointFactory(goal=cycle.goal, value=Decimal(44))])
    assert chart.description.startswith("Baseline 30 %, target 80 %")
    assert "1 progress point, latest 44 %" in chart.description
