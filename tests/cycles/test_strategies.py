import pytest

from tests.factories import DistrictFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def test_the_library_lists_the_districts_strategies_only(client_for, coach, district):
    StrategyFactory(district=district, title="Exit tickets")
    StrategyFactory(district=DistrictFactory(), title="Elsewhere only")
    page = client_for(coach).get("/strategies/").text
    assert "Exit tickets" in page
    assert "Elsewhere only" not in page


def test_a_strategy_shows_its_checklist(client_for, teacher, district):
    strategy = StrategyFactory(district=district, checklist="Wait time\nCold call")
    page = client_for(teacher).get(f"/strategies/{strategy.pk}/").text
    assert "<li>Wait time</li>" in page


def test_another_districts_strategy_answers_404(client_for, coach):
    assert client_for(coach).get(f"/strategies/{StrategyFactory().pk}/").status_code == 404


def test_an_empty_library_says_who_fills_it(client_for, coach):
    assert "District administrators add strategies" in client_for(coach).get("/strategies/").text
