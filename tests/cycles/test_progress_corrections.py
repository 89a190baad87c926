"""Whoever added a progress point corrects or deletes it, after seeing the chart change;
nobody else does, and a closed cycle's chart stays as it was."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cycles import services
from cycles.models import ProgressPoint
from tests import factories

pytestmark = pytest.mark.django_db


def _point(world, value="61", by=None):
    return factories.ProgressPointFactory(
        goal=world.goal, value=Decimal(value), added_by=by or world.partnership.coach
    )


def test_the_adder_corrects_a_point_after_seeing_the_chart_change(client_for, coach, world):
    ProgressPoint.objects.all().delete()
    point = _point(world)
    client = client_for(coach)
    card = client.get(f"/cycles/{world.cycle.pk}/").text
    url = f"/cycles/{world.cycle.pk}/progress/{point.pk}/edit/"
    assert url in card
    data = {"recorded_on": point.recorded_on.isoformat(), "value": "64", "source": "assessment"}
    preview = client.post(url, data)
    assert preview.status_code == 200
    assert "Latest value: <strong>61 %</strong> &rarr; <strong>64 %</strong>" in preview.text
    assert "Before" in preview.text
    assert "After" in preview.text
    point.refresh_from_db()
    assert point.value == 61  # seeing the change changes nothing
    response = client.post(url, {**data, "confirmed": "1"})
    assert response["Location"] == f"/cycles/{world.cycle.pk}/"
    point.refresh_from_db()
    assert point.value == 64


def test_the_adder_deletes_a_point_after_seeing_the_chart_without_it(client_for, coach, world):
    ProgressPoint.objects.all().delete()
    _point(world, "45")
    point = _point(world, "15")
    client = client_for(coach)
    url = f"/cycles/{world.cycle.pk}/progress/{point.pk}/delete/"
    page = client.get(url).text
    assert "Latest value: <strong>15 %</strong> &rarr; <strong>45 %</strong>" in page
    client.post(url)
    assert not ProgressPoint.objects.filter(pk=point.pk).exists()


def test_nobody_else_changes_a_point(client_for, teacher, coach, other_coach, world):
    point = _point(world)
    for person in (teacher, other_coach):
        client = client_for(person)
        base = f"/cycles/{world.cycle.pk}/progress/{point.pk}"
        assert client.get(f"{base}/edit/").status_code in (403, 404)
        assert client.post(f"{base}/delete/").status_code in (403, 404)
    assert (
        "/progress/" + str(point.pk) + "/edit/"
        not in client_for(teacher).get(f"/cycles/{world.cycle.pk}/").text
    )
    with pytest.raises(ValidationError, match="Only the person who added"):
        services.progress_delete(actor=teacher, point=point)
    assert ProgressPoint.objects.filter(pk=point.pk).exists()


def test_a_closed_cycles_points_stay_as_they_were(client_for, coach, world):
    point = _point(world)
    world.cycle.phase, world.cycle.ended_on = "closed", world.partnership.school.today()
    world.cycle.outcome = "met"
    world.cycle.save()
    client = client_for(coach)
    assert "Edit<span" not in client.get(f"/cycles/{world.cycle.pk}/").text
    page = client.get(f"/cycles/{world.cycle.pk}/progress/{point.pk}/delete/").text
    assert "This cycle is closed" in page
    client.post(f"/cycles/{world.cycle.pk}/progress/{point.pk}/delete/")
    assert ProgressPoint.objects.filter(pk=point.pk).exists()


def test_a_bad_correction_changes_nothing_and_says_why(client_for, coach, world):
    point = _point(world)
    url = f"/cycles/{world.cycle.pk}/progress/{point.pk}/edit/"
    page = client_for(coach).post(
        url, {"recorded_on": "2026-11-20", "value": "140", "source": "assessment", "confirmed": "1"}
    )
    assert page.status_code == 200
    assert "A percentage is at most 100" in page.text
    point.refresh_from_db()
    assert point.value == 61


def test_the_progress_form_names_what_the_value_measures_and_its_unit(client_for, teacher, world):
    page = client_for(teacher).get(f"/cycles/{world.cycle.pk}/").text
    assert "Value, in %" in page
    assert "What it measures: Share of students explaining." in page


def test_a_goal_still_without_its_lines_is_corrected_without_a_chart(client_for, coach, world):
    """A goal set together may wait for its baseline, target and date: the change is still
    shown, in numbers, with no chart drawn against lines that do not exist yet."""
    world.goal.baseline = world.goal.target = world.goal.target_date = None
    world.goal.save()
    ProgressPoint.objects.all().delete()
    point = _point(world)
    client = client_for(coach)
    url = f"/cycles/{world.cycle.pk}/progress/{point.pk}/delete/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Latest value: <strong>61 %</strong> &rarr; <strong>none</strong>" in page.text
    assert "progress-chart" not in page.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("value", "-5", "A value below 0 cannot be measured"),
        ("recorded_on", "2030-01-01", "The date must fall within the cycle"),
    ],
)
def test_a_correction_the_save_would_refuse_is_refused_before_its_preview(
    client_for, coach, world, field, value, message
):
    ProgressPoint.objects.all().delete()
    point = _point(world)
    url = f"/cycles/{world.cycle.pk}/progress/{point.pk}/edit/"
    data = {"recorded_on": point.recorded_on.isoformat(), "value": "64", "source": "assessment"}
    page = client_for(coach).post(url, {**data, field: value})
    assert page.status_code == 200
    assert message in page.text
    assert "Save the correction" not in page.text
    assert value in page.text  # what was typed is kept, to correct
