import pytest

pytestmark = pytest.mark.django_db


def test_the_coach_advances_identify_learn_improve(client_for, coach, cycle):
    client = client_for(coach)
    client.post(f"/cycles/{cycle.pk}/advance/")
    cycle.refresh_from_db()
    assert cycle.phase == "improve"  # the fixture's cycle was in learn


def test_advancing_with_htmx_returns_the_phase_card(client_for, coach, cycle):
    response = client_for(coach).post(
        f"/cycles/{cycle.pk}/advance/", headers={"HX-Request": "true"}
    )
    assert 'id="phase-card"' in response.text
    assert "<html" not in response.text
    assert "Improve" in response.text


def test_improve_ends_only_by_closing(client_for, coach, cycle):
    cycle.phase = "improve"
    cycle.save()
    response = client_for(coach).post(f"/cycles/{cycle.pk}/advance/", follow=True)
    assert "ends by closing the cycle" in response.text
    cycle.refresh_from_db()
    assert cycle.phase == "improve"


def test_closing_records_outcome_summary_and_end(client_for, coach, teacher, cycle):
    client_for(coach).post(
        f"/cycles/{cycle.pk}/close/", {"outcome": "partly_met", "summary": "Halfway there."}
    )
    cycle.refresh_from_db()
    assert (cycle.phase, cycle.outcome, cycle.summary) == ("closed", "partly_met", "Halfway there.")
    assert cycle.ended_on is not None
    assert "Goal partly met" in client_for(teacher).get(f"/cycles/{cycle.pk}/").text


def test_closing_without_an_outcome_re_renders(client_for, coach, cycle):
    response = client_for(coach).post(f"/cycles/{cycle.pk}/close/", {"summary": "x"})
    assert response.status_code == 200
    assert "This field is required." in response.text
    cycle.refresh_from_db()
    assert cycle.is_open


def test_a_closed_cycle_cannot_be_closed_again(client_for, coach, cycle):
    client = client_for(coach)
    client.post(f"/cycles/{cycle.pk}/close/", {"outcome": "met"})
    response = client.post(f"/cycles/{cycle.pk}/close/", {"outcome": "not_met"})
    assert "This cycle is closed" in response.text
    cycle.refresh_from_db()
    assert cycle.outcome == "met"
