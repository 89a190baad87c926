import pytest

from tests.factories import MeetingFactory, PartnershipFactory, ProgressPointFactory

pytestmark = pytest.mark.django_db


def test_it_shows_the_current_cycle_goal_and_chart(client_for, teacher, cycle):
    ProgressPointFactory(goal=cycle.goal)
    page = client_for(teacher).get("/teacher/").text
    assert cycle.title in page
    assert cycle.goal.statement in page
    assert "<svg" in page
    assert "Progress toward the goal" in page


def test_it_offers_the_reflection_prompt_of_the_phase(client_for, teacher, cycle):
    assert "what would you like to see modelled?" in client_for(teacher).get("/teacher/").text


def test_it_shows_pending_invitations(client_for, teacher, school, coach):
    PartnershipFactory(school=school, coach=coach, teachers=[teacher], status="invited")
    assert "Maya Okafor invites you" in client_for(teacher).get("/teacher/").text


def test_it_shows_the_next_meeting(client_for, teacher, partnership):
    MeetingFactory(partnership=partnership, kind="debrief")
    assert "Debrief" in client_for(teacher).get("/teacher/").text


def test_a_colleagues_cycle_never_shows(client_for, colleague, cycle):
    page = client_for(colleague).get("/teacher/").text
    assert cycle.title not in page
    assert "no coaching cycle under way" in page


def test_a_partnership_without_a_cycle_says_where_it_stands(client_for, teacher, partnership):
    page = client_for(teacher).get("/teacher/").text
    assert "no coaching cycle under way" in page
    assert "Maya Okafor starts one with you when you are both ready." in page
    assert "When a coach invites you" not in page
    partnership.status = "paused"
    partnership.save()
    page = client_for(teacher).get("/teacher/").text
    assert "Your coaching partnership with Maya Okafor is paused." in page
    assert "When a coach invites you" not in page
