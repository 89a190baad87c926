import datetime
import re

import pytest

from cycles.models import ProgressPoint
from tests.factories import CycleFactory

pytestmark = pytest.mark.django_db


def add(client, cycle, day, value="55", **headers):
    return client.post(
        f"/cycles/{cycle.pk}/progress/",
        {"recorded_on": day.isoformat(), "value": value, "source": "assessment", "note": ""},
        headers=headers,
    )


def test_a_teacher_adds_a_point_and_sees_it_charted(client_for, teacher, cycle, today):
    client = client_for(teacher)
    add(client, cycle, today, "62")
    point = ProgressPoint.objects.get()
    assert point.added_by == teacher
    home = client.get("/teacher/").text
    assert "latest 62 %" in home
    assert "<polyline" in home


def test_with_htmx_the_card_is_swapped_in_place(client_for, coach, cycle, today):
    response = add(client_for(coach), cycle, today, **{"HX-Request": "true"})
    assert 'id="progress-card"' in response.text
    assert "<html" not in response.text
    assert "1 progress point" in response.text


def test_a_date_outside_the_cycle_is_refused_with_a_message(client_for, teacher, cycle):
    before = cycle.started_on - datetime.timedelta(days=1)
    response = add(client_for(teacher), cycle, before)
    assert response.status_code == 200
    assert "The date must fall within the cycle" in response.text
    assert not ProgressPoint.objects.exists()


def test_a_date_in_the_future_is_refused(client_for, teacher, cycle, today):
    response = add(client_for(teacher), cycle, today + datetime.timedelta(days=1))
    assert "The date must fall within the cycle" in response.text
    assert not ProgressPoint.objects.exists()


def test_the_htmx_form_shows_its_errors_in_the_card(client_for, teacher, cycle):
    before = cycle.started_on - datetime.timedelta(days=1)
    response = add(client_for(teacher), cycle, before, **{"HX-Request": "true"})
    assert 'id="progress-card"' in response.text
    assert "The date must fall within the cycle" in response.text


def test_a_cycle_without_a_goal_has_nothing_to_record_against(
    client_for, coach, partnership, today
):
    bare = CycleFactory(partnership=partnership)
    response = add(client_for(coach), bare, today)
    assert "no goal yet" in response.text
    assert not ProgressPoint.objects.exists()


@pytest.mark.parametrize(("value", "refused"), [("-5", True), ("1000", True), ("55", False)])
def test_a_percentage_goal_takes_progress_between_0_and_100(
    client_for, teacher, cycle, value, refused
):
    goal = cycle.goal
    goal.unit = "%"
    goal.save(update_fields=["unit"])
    response = client_for(teacher).post(
        f"/cycles/{cycle.pk}/progress/",
        {"recorded_on": cycle.partnership.school.today(), "value": value, "source": "assessment"},
    )
    assert goal.progress.exists() is not refused
    if refused:
        assert response.status_code == 200
        assert re.search(r"below 0|at most 100", response.text)
