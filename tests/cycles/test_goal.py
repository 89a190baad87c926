import datetime

import pytest
from django.utils import timezone

from cycles.models import Goal
from tests.factories import CycleFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def goal_data(**changes):
    data = {
        "statement": "80% of students will cite evidence.",
        "powerful": "on",
        "measure": "Share citing evidence",
        "unit": "%",
        "baseline": "30",
        "target": "80",
        "target_date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
    }
    return {**data, **changes}


@pytest.fixture
def new_cycle(partnership):
    return CycleFactory(partnership=partnership)


def test_the_coach_sets_a_peers_goal_with_a_strategy(client_for, coach, new_cycle, district):
    strategy = StrategyFactory(district=district, title="Exit tickets")
    client_for(coach).post(f"/cycles/{new_cycle.pk}/goal/", goal_data(strategy=strategy.pk))
    goal = Goal.objects.get()
    assert goal.strategy == strategy
    assert goal.peers_checked == ["Powerful"]


def test_a_target_equal_to_the_baseline_is_refused(client_for, coach, new_cycle):
    response = client_for(coach).post(
        f"/cycles/{new_cycle.pk}/goal/", goal_data(baseline="50", target="50")
    )
    assert response.status_code == 200
    assert "The target must differ from the baseline" in response.text
    assert not Goal.objects.exists()


def test_a_target_date_before_the_cycle_is_refused(client_for, coach, new_cycle):
    early = new_cycle.started_on - datetime.timedelta(days=1)
    response = client_for(coach).post(
        f"/cycles/{new_cycle.pk}/goal/", goal_data(target_date=early.isoformat())
    )
    assert "cannot be before the cycle started" in response.text
    assert not Goal.objects.exists()


def test_editing_changes_the_same_goal(client_for, coach, cycle):
    client_for(coach).post(f"/cycles/{cycle.pk}/goal/", goal_data(statement="Sharper wording."))
    assert Goal.objects.get().statement == "Sharper wording."


def test_another_districts_strategy_is_not_offered(client_for, coach, new_cycle):
    foreign = StrategyFactory()
    response = client_for(coach).post(
        f"/cycles/{new_cycle.pk}/goal/", goal_data(strategy=foreign.pk)
    )
    assert "Select a valid choice" in response.text
    assert not Goal.objects.exists()
