"""A lead coach supports a coach who accepted them; the coach's growth records are theirs and
their lead's. The lead never reads a teacher's records, and a person who administers a
school where the coach coaches is never their lead."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import Membership
from growth import selectors, services
from growth.models import GrowthReflection, LeadSupport
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for():
    """A client of its own for each person: a lead and a coach take turns here."""
    return lambda user: factories.sign_in(Client(), user)


@pytest.fixture
def lead(district):
    return factories.lead_of_district(district, user__full_name="Rosa Lindgren")


@pytest.fixture
def support(lead, coach):
    return factories.lead_support(lead, coach)


def test_a_lead_offers_and_the_coach_decides(client_for, lead, coach):
    lead_client, coach_client = client_for(lead), client_for(coach)
    assert lead_client.get("/").url == "/coaches/"
    page = lead_client.get("/coaches/offer/").content.decode()
    assert coach.full_name in page
    lead_client.post("/coaches/offer/", {"coach": coach.pk})
    offer = LeadSupport.objects.get()
    assert offer.status == "offered"
    # Until the coach accepts, the lead reads nothing of theirs.
    assert lead_client.get(f"/coaches/{offer.pk}/").status_code == 404
    mine = coach_client.get("/growth/").content.decode()
    assert "Rosa Lindgren offers to support you" in mine
    coach_client.post(f"/growth/offers/{offer.pk}/accept/")
    mine = coach_client.get("/growth/").content.decode()
    assert "Your lead coach" in mine
    assert "Rosa Lindgren" in mine
    assert lead_client.get(f"/coaches/{offer.pk}/").status_code == 200


def test_a_declined_or_ended_support_reads_nothing(client_for, lead, coach):
    offer = services.support_offer(actor=lead, coach=coach)
    services.support_decline(actor=coach, support=offer)
    assert client_for(lead).get(f"/coaches/{offer.pk}/").status_code == 404
    support = factories.lead_support(lead, coach)
    factories.growth_cycle(coach)
    assert client_for(lead).get(f"/coaches/{support.pk}/").status_code == 200
    client_for(coach).post(f"/growth/supports/{support.pk}/end/")
    assert client_for(lead).get(f"/coaches/{support.pk}/").status_code == 404
    cycle = coach.growth_cycles.get()
    assert client_for(lead).get(f"/growth/cycles/{cycle.pk}/goal/").status_code == 404


def test_an_administrator_of_the_coachs_school_is_never_their_lead(client_for, lead, coach, school):
    support = factories.lead_support(lead, coach)
    factories.growth_cycle(coach)
    assert client_for(lead).get(f"/coaches/{support.pk}/").status_code == 200
    # The lead becomes the school's administrator: from that moment, nothing.
    factories.MembershipFactory(user=lead, role=Membership.Role.SCHOOL_ADMIN, school=school)
    assert client_for(lead).get(f"/coaches/{support.pk}/").status_code == 404
    assert selectors.lead_of(coach) is None
    with pytest.raises(ValidationError, match="not a coach you can support"):
        services.support_offer(actor=lead, coach=coach)


def test_a_district_administrator_cannot_lead_the_districts_coaches(district, coach):
    admin = factories.district_admin_of(district)
    factories.MembershipFactory(
        user=admin, role=Membership.Role.LEAD_COACH, district=district, school=None
    )
    assert not selectors.coaches_within_reach(admin).exists()


def test_a_school_lead_supports_that_schools_coaches_only(school, other_school, coach):
    lead = factories.lead_at(school)
    elsewhere = factories.coach_at(other_school)
    assert list(selectors.coaches_within_reach(lead)) == [coach]
    with pytest.raises(ValidationError):
        services.support_offer(actor=lead, coach=elsewhere)


def test_private_reflections_stay_the_coachs(client_for, lead, coach, support):
    cycle = factories.growth_cycle(coach)
    kept = GrowthReflection.objects.create(cycle=cycle, text="Kept to myself")
    shared = GrowthReflection.objects.create(cycle=cycle, text="Shared with Rosa", shared=True)
    page = client_for(lead).get(f"/coaches/{support.pk}/").content.decode()
    assert "Shared with Rosa" in page
    assert "Kept to myself" not in page
    assert client_for(lead).get(f"/growth/reflections/{kept.pk}/answer/").status_code == 404
    client_for(lead).post(
        f"/growth/reflections/{shared.pk}/answer/", {"answer": "What did you try?"}
    )
    mine = client_for(coach).get("/growth/").content.decode()
    assert "What did you try?" in mine
    assert "Rosa Lindgren answered" in mine
    # Taken back: the lead no longer reads it, nor its answer.
    client_for(coach).post(f"/growth/reflections/{shared.pk}/share/", {"shared": "0"})
    page = client_for(lead).get(f"/coaches/{support.pk}/").content.decode()
    assert "Shared with Rosa" not in page
    assert "What did you try?" not in page


def test_the_lead_plans_with_the_coach(client_for, lead, coach, support, district):
    lead_client = client_for(lead)
    listening = district.competencies.get(name="Listening")
    lead_client.post(
        f"/coaches/{support.pk}/goal/",
        {"competency": listening.pk, "goal": "Pause three seconds before I answer"},
    )
    cycle = coach.growth_cycles.get()
    assert cycle.competency == listening
    lead_client.post(
        f"/growth/cycles/{cycle.pk}/conversations/new/",
        {"kind": "planning", "held_on": "2026-11-20", "notes": "We planned the pause."},
    )
    lead_client.post(f"/growth/cycles/{cycle.pk}/steps/new/", {"text": "Record one debrief"})
    mine = client_for(coach).get("/growth/").content.decode()
    assert "Pause three seconds" in mine
    assert "We planned the pause." in mine
    assert "Record one debrief" in mine
    assert "Listening" in mine
    # The lead neither reflects for the coach nor closes their cycle.
    assert lead_client.get(f"/growth/cycles/{cycle.pk}/reflect/").status_code == 403
    assert lead_client.post(f"/growth/cycles/{cycle.pk}/close/").status_code == 403


def test_a_second_growth_cycle_waits_for_the_first_to_close(coach):
    services.growth_cycle_start(actor=coach, coach=coach, competency=None, goal="One")
    with pytest.raises(ValidationError, match="already under way"):
        services.growth_cycle_start(actor=coach, coach=coach, competency=None, goal="Two")


def test_the_lead_sees_figures_never_teachers(client_for, lead, coach, support, world, teacher):
    factories.ActivityEntryFactory(coach=coach, school=world.partnership.school, minutes=90)
    page = client_for(lead).get(f"/coaches/{support.pk}/").content.decode()
    assert "Time by kind" in page
    # One teacher's cycle: too few to show by phase or outcome.
    assert "Shown once they concern at least 5 different teachers" in page
    for secret in (teacher.full_name, teacher.email, world.cycle.title, world.goal.statement):
        assert secret not in page
    # Nor any teacher's record, by its own address.
    for url in (
        f"/cycles/{world.cycle.pk}/",
        f"/partnerships/{world.partnership.pk}/",
        f"/observations/{world.shared.pk}/",
    ):
        assert client_for(lead).get(url).status_code == 404


def test_cycles_by_phase_show_over_enough_teachers(client_for, lead, coach, support, school):
    for _ in range(5):
        teacher = factories.teacher_at(school)
        factories.CycleFactory(
            partnership=factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher])
        )
    page = client_for(lead).get(f"/coaches/{support.pk}/").content.decode()
    assert "Identify: 5" in page


def test_a_district_lead_writes_in_the_coachs_school_time(client_for, lead, coach, support, school):
    """Sunday night at the school is already Monday in UTC, the district role's own zone."""
    cycle = factories.growth_cycle(coach)
    form = client_for(lead).get(f"/growth/cycles/{cycle.pk}/conversations/new/").content.decode()
    assert f'value="{school.today():%Y-%m-%d}"' in form
    services.growth_cycle_close(actor=coach, cycle=cycle)
    cycle.refresh_from_db()
    assert cycle.closed_on == school.today()
