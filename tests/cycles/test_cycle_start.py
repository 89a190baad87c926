import pytest

from cycles.models import Cycle, FocusArea
from tests.factories import CycleFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def start(client, partnership, area, title="Checking for understanding"):
    return client.post(
        f"/partnerships/{partnership.pk}/cycles/new/", {"title": title, "focus_area": area.pk}
    )


@pytest.fixture
def area(district):
    return FocusArea.objects.get(district=district, name="Instruction")


def test_every_district_starts_with_knights_big_four(district):
    assert list(FocusArea.objects.filter(district=district).values_list("name", flat=True)) == [
        "Content planning",
        "Formative assessment",
        "Instruction",
        "Community building",
    ]


def test_a_cycle_starts_in_identify_and_remembers_when(client_for, coach, partnership, area):
    start(client_for(coach), partnership, area)
    cycle = Cycle.objects.get()
    assert cycle.phase == "identify"
    assert cycle.phase_changes.get().phase == "identify"


def test_a_second_active_cycle_is_refused_with_a_message(client_for, coach, partnership, area):
    CycleFactory(partnership=partnership)
    response = start(client_for(coach), partnership, area, title="Another")
    assert response.status_code == 200
    assert "A cycle is under way" in response.text
    assert Cycle.objects.count() == 1


def test_no_start_button_while_a_cycle_is_open_and_the_page_says_why(
    client_for, coach, partnership, area
):
    CycleFactory(partnership=partnership)
    client = client_for(coach)
    page = client.get(f"/partnerships/{partnership.pk}/").text
    assert "Start a cycle" not in page
    assert f"/partnerships/{partnership.pk}/cycles/new/" not in page
    assert "A cycle is under way: close it" in page
    # Come by an old link, the start form is not offered only to be refused once filled.
    response = client.get(f"/partnerships/{partnership.pk}/cycles/new/", follow=True)
    assert response.redirect_chain[-1][0] == f"/partnerships/{partnership.pk}/"
    assert "A cycle is under way" in response.text
    assert 'name="title"' not in response.text


def test_a_teacher_busy_in_another_partnership_is_said_before_any_form(
    client_for, coach, teacher, school
):
    team = PartnershipFactory(school=school, coach=coach, teachers=[teacher])
    CycleFactory(partnership=PartnershipFactory(school=school, teachers=[teacher]))
    page = client_for(coach).get(f"/partnerships/{team.pk}/").text
    assert "Start a cycle" not in page
    assert "Daniel Reyes already has a cycle under way in another partnership" in page


def test_the_rule_holds_across_partnerships(client_for, coach, teacher, school, area):
    team = PartnershipFactory(school=school, coach=coach, teachers=[teacher])
    CycleFactory(partnership=PartnershipFactory(school=school, teachers=[teacher]))
    response = start(client_for(coach), team, area)
    assert "already has a cycle under way" in response.text
    assert Cycle.objects.count() == 1


def test_a_new_cycle_may_start_once_the_last_is_closed(client_for, coach, partnership, area):
    CycleFactory(partnership=partnership, phase="closed", ended_on="2026-10-01", outcome="met")
    start(client_for(coach), partnership, area)
    assert Cycle.objects.filter(phase="identify").count() == 1


def test_a_focus_area_of_another_district_is_not_offered(client_for, coach, partnership):
    from tests.factories import DistrictFactory

    foreign = FocusArea.objects.filter(district=DistrictFactory()).first()
    response = start(client_for(coach), partnership, foreign)
    assert "Select a valid choice" in response.text
    assert not Cycle.objects.exists()


def test_a_paused_partnership_cannot_start_a_cycle(client_for, coach, partnership, area):
    partnership.status = "paused"
    partnership.save()
    response = start(client_for(coach), partnership, area)
    assert "paused" in response.text
    assert not Cycle.objects.exists()
