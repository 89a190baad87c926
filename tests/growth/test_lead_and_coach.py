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
    shared = GrowthReflection.objects.create(
        cycle=cycle, text="Shared with Rosa", shared_with=support
    )
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


def test_the_coach_hears_of_an_offer_by_e_mail(
    lead, coach, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.support_offer(actor=lead, coach=coach)
    [mail] = mailoutbox
    assert mail.to == [coach.email]
    assert "Rosa Lindgren offers to support you" in mail.subject
    assert "/growth/" in mail.body


# Found by trying it as a new lead, a lead at one school, and a coach correcting a slip.


def test_a_new_lead_reads_nothing_shared_with_the_one_before(client_for, lead, coach, district):
    first = factories.lead_support(lead, coach)
    cycle = factories.growth_cycle(coach)
    shared = GrowthReflection.objects.create(
        cycle=cycle, text="For Rosa only", shared_with=first, answer="Rosa's answer"
    )
    services.growth_meeting_record(
        actor=lead, cycle=cycle, kind="planning", held_on=cycle.started_on, notes="With Rosa"
    )
    services.support_end(actor=coach, support=first)
    later = factories.lead_of_district(district, user__full_name="Ivy Chen")
    second = factories.lead_support(later, coach)
    client = client_for(later)
    page = client.get(f"/coaches/{second.pk}/").content.decode()
    assert "For Rosa only" not in page
    assert "With Rosa" not in page
    assert client.get(f"/growth/reflections/{shared.pk}/answer/").status_code == 404
    client.post(f"/growth/reflections/{shared.pk}/answer/", {"answer": "Overwritten"})
    shared.refresh_from_db()
    assert shared.answer == "Rosa's answer"
    # What the coach shares from now on is the new lead's.
    services.growth_reflection_share(actor=coach, reflection=shared, shared=True)
    assert "For Rosa only" in client.get(f"/coaches/{second.pk}/").content.decode()


def test_a_new_lead_starts_from_the_cycle_under_way(client_for, lead, coach, school):
    old = factories.growth_cycle(coach, goal="Before Rosa")
    services.growth_cycle_close(actor=coach, cycle=old)
    support = factories.lead_support(lead, coach)
    factories.growth_cycle(coach, goal="With Rosa")
    page = client_for(lead).get(f"/coaches/{support.pk}/").content.decode()
    assert "With Rosa" in page
    assert "Before Rosa" not in page
    assert client_for(lead).get(f"/growth/cycles/{old.pk}/").status_code == 404
    # The coach finds it whole on its own page.
    mine = client_for(coach).get("/growth/").content.decode()
    assert f"/growth/cycles/{old.pk}/" in mine
    assert "Before Rosa" in client_for(coach).get(f"/growth/cycles/{old.pk}/").content.decode()


def test_a_school_lead_reads_that_schools_figures_and_answers_only(
    client_for, coach, school, other_school, settings
):
    settings.REPORT_MIN_GROUP = 3
    factories.MembershipFactory(user=coach, role=Membership.Role.COACH, school=other_school)
    lead = factories.lead_at(other_school)
    support = factories.lead_support(lead, coach)
    factories.ActivityEntryFactory(coach=coach, school=school, minutes=600)
    from tests.reports.scenarios import voice_group

    voice_group(school, [("yes", "yes", "yes")] * 3, closed_on=school.today(), coach=coach)
    page = client_for(lead).get(f"/coaches/{support.pk}/").content.decode()
    assert "CANARY-VOICE" not in page
    assert "Nothing to show yet" in page
    assert ">10<" not in page  # the ten hours logged at the other school
    assert "CANARY-VOICE-0" in client_for(coach).get("/growth/").content.decode()


def test_a_teacher_at_the_coachs_school_cannot_lead_them(coach, school, district):
    colleague = factories.teacher_at(school)
    factories.MembershipFactory(
        user=colleague, role=Membership.Role.LEAD_COACH, district=district, school=None
    )
    assert coach not in selectors.coaches_within_reach(colleague)


def test_the_offer_list_leaves_out_coaches_already_supported(client_for, lead, coach, school):
    other = factories.coach_at(school, user__full_name="Ana Free")
    factories.lead_support(factories.lead_at(school), coach)
    page = client_for(lead).get("/coaches/offer/").content.decode()
    assert "Ana Free" in page
    assert coach.full_name not in page
    assert "Offer support" in page
    assert other in selectors.coaches_to_offer(lead)


def test_marking_a_step_done_twice_leaves_it_done(client_for, coach, support):
    cycle = factories.growth_cycle(coach)
    step = cycle.steps.create(text="Record a debrief")
    client = client_for(coach)
    for _ in range(2):
        client.post(f"/growth/steps/{step.pk}/toggle/", {"done": "1"})
    step.refresh_from_db()
    assert step.done_at is not None
    services.growth_cycle_close(actor=coach, cycle=cycle)
    client.post(f"/growth/steps/{step.pk}/toggle/", {"done": "0"})
    step.refresh_from_db()
    assert step.done_at is not None  # a closed cycle stays as it was


def test_a_date_a_slip_of_the_year_away_is_refused(client_for, coach):
    cycle = factories.growth_cycle(coach)
    client = client_for(coach)
    for day in ("0001-01-01", "9999-12-31"):
        page = client.post(
            f"/growth/cycles/{cycle.pk}/conversations/new/",
            {"kind": "planning", "held_on": day, "notes": "x"},
        )
        assert "within a year of today" in page.content.decode()
        page = client.post(f"/growth/cycles/{cycle.pk}/steps/new/", {"text": "x", "due_on": day})
        assert "within a year of today" in page.content.decode()
    assert not cycle.meetings.exists()
    assert not cycle.steps.exists()


def test_what_was_written_can_be_taken_back_by_who_wrote_it(client_for, lead, coach, support):
    cycle = factories.growth_cycle(coach)
    mine = services.growth_meeting_record(
        actor=lead, cycle=cycle, kind="planning", held_on=cycle.started_on, notes="Lead's"
    )
    client_for(coach).post(f"/growth/conversations/{mine.pk}/delete/")
    assert cycle.meetings.filter(pk=mine.pk).exists()  # not the coach's to delete
    client_for(lead).post(f"/growth/conversations/{mine.pk}/delete/")
    assert not cycle.meetings.exists()
    reflection = services.growth_reflection_write(
        actor=coach, cycle=cycle, text="Oops", shared=False
    )
    assert client_for(lead).post(f"/growth/reflections/{reflection.pk}/delete/").status_code == 404
    client_for(coach).post(f"/growth/reflections/{reflection.pk}/delete/")
    assert not cycle.reflections.exists()
    step = services.growth_step_add(actor=coach, cycle=cycle, text="Typo", due_on=None)
    client_for(lead).post(f"/growth/steps/{step.pk}/delete/")
    assert not cycle.steps.exists()


def test_the_district_keeps_its_list_of_competencies(client_for, district, coach, other_school):
    admin = factories.district_admin_of(district)
    client = client_for(admin)
    assert "Listening" in client.get("/library/competencies/").content.decode()
    client.post("/library/competencies/new/", {"name": "Modelling", "position": 6})
    assert "Modelling" in client_for(coach).get("/growth/goal/").content.decode()
    again = client.post("/library/competencies/new/", {"name": "Modelling", "position": 7})
    assert again.status_code == 200
    assert district.competencies.filter(name="Modelling").count() == 1
    elsewhere = factories.DistrictFactory().competencies.first()
    assert client.get(f"/library/competencies/{elsewhere.pk}/edit/").status_code == 404
