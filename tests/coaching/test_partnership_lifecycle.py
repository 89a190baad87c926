import pytest

from coaching.models import Meeting, Partnership
from tests import factories
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(coach, teacher, school):
    return PartnershipFactory(school=school, coach=coach, teachers=[teacher], status="invited")


def test_an_invited_teacher_sees_the_agreement_and_nothing_else(client_for, teacher, invitation):
    invitation.agreement = "Our norms: nothing leaves this room."
    invitation.save()
    page = client_for(teacher).get(f"/partnerships/{invitation.pk}/").text
    assert "Our norms: nothing leaves this room." in page
    assert "Accept the invitation" in page
    assert "Cycles" not in page


def test_accepting_starts_the_partnership(client_for, teacher, invitation):
    client = client_for(teacher)
    client.post(f"/partnerships/{invitation.pk}/accept/")
    invitation.refresh_from_db()
    assert invitation.status == "active"
    assert invitation.started_on is not None
    assert invitation.members.get().status == "accepted"


def test_declining_ends_the_invitation_and_the_teachers_access(client_for, teacher, invitation):
    client = client_for(teacher)
    response = client.post(f"/partnerships/{invitation.pk}/decline/")
    assert response.url == "/"
    invitation.refresh_from_db()
    assert invitation.status == "closed"
    assert client.get(f"/partnerships/{invitation.pk}/").status_code == 404


def test_one_teacher_declining_a_team_leaves_the_others_invited(
    client_for, coach, teacher, colleague, school
):
    team = PartnershipFactory(
        school=school, coach=coach, teachers=[teacher, colleague], status="invited"
    )
    client_for(colleague).post(f"/partnerships/{team.pk}/decline/")
    team.refresh_from_db()
    assert team.status == "invited"
    client_for(teacher).post(f"/partnerships/{team.pk}/accept/")
    team.refresh_from_db()
    assert team.status == "active"


def test_answering_twice_is_refused_with_a_message(client_for, teacher, invitation):
    client = client_for(teacher)
    client.post(f"/partnerships/{invitation.pk}/accept/")
    response = client.post(f"/partnerships/{invitation.pk}/accept/", follow=True)
    assert response.status_code == 403  # an accepted teacher has no invitation to answer


def test_the_coach_pauses_resumes_and_closes(client_for, coach, partnership):
    client = client_for(coach)
    client.post(f"/partnerships/{partnership.pk}/pause/")
    partnership.refresh_from_db()
    assert partnership.status == "paused"
    client.post(f"/partnerships/{partnership.pk}/resume/")
    partnership.refresh_from_db()
    assert partnership.status == "active"
    client.post(f"/partnerships/{partnership.pk}/close/")
    partnership.refresh_from_db()
    assert partnership.status == "closed"
    assert partnership.ended_on is not None


def test_closing_with_an_open_cycle_asks_to_close_the_cycle_first(
    client_for, coach, cycle, partnership
):
    response = client_for(coach).post(f"/partnerships/{partnership.pk}/close/", follow=True)
    assert "Close the open cycle first" in response.text
    partnership.refresh_from_db()
    assert partnership.status == "active"


def test_no_close_button_while_a_cycle_is_open_and_the_page_says_why(
    client_for, coach, cycle, partnership
):
    page = client_for(coach).get(f"/partnerships/{partnership.pk}/").text
    assert "Close partnership" not in page
    assert "Close the open cycle first" in page


def test_resuming_an_active_partnership_says_why_not(client_for, coach, partnership):
    response = client_for(coach).post(f"/partnerships/{partnership.pk}/resume/", follow=True)
    assert "Only a paused partnership can be resumed." in response.text


@pytest.mark.parametrize("status", ["closed", "paused"])
def test_scheduling_in_a_stopped_partnership_re_renders_with_a_message(
    client_for, coach, partnership, status
):
    Partnership.objects.filter(pk=partnership.pk).update(status=status)
    response = client_for(coach).post(
        f"/partnerships/{partnership.pk}/meetings/new/",
        {"kind": "planning", "starts_at": "2026-12-01T08:00", "duration_minutes": "30"},
    )
    assert response.status_code == 200
    assert "This partnership is" in response.text
    assert not Meeting.objects.exists()


def test_a_closed_partnership_stays_readable_by_its_teacher(client_for, teacher, partnership):
    Partnership.objects.filter(pk=partnership.pk).update(status="closed")
    assert client_for(teacher).get(f"/partnerships/{partnership.pk}/").status_code == 200


def test_the_list_shows_each_persons_own_partnerships(
    client_for, coach, teacher, colleague, partnership
):
    assert "Daniel Reyes" in client_for(coach).get("/partnerships/").text
    assert "With Maya Okafor" in client_for(teacher).get("/partnerships/").text
    page = client_for(colleague).get("/partnerships/").text
    assert "not in a coaching partnership yet" in page


def test_the_list_paginates(client_for, coach, school):
    for _ in range(25):
        PartnershipFactory(school=school, coach=coach)
    client = client_for(coach)
    assert "Page 1 of 2" in client.get("/partnerships/").text
    assert len(client.get("/partnerships/?page=2").context["page"].object_list) == 5


@pytest.fixture
def team(coach, teacher, colleague, school):
    return PartnershipFactory(school=school, coach=coach, teachers=[teacher, colleague])


def test_the_coach_takes_a_teacher_off_a_team_after_asking(client_for, coach, colleague, team):
    client = client_for(coach)
    member = team.members.get(teacher=colleague)
    page = client.get(f"/partnerships/{team.pk}/").text
    assert f"/partnerships/{team.pk}/teachers/{member.pk}/remove/" in page
    asked = client.get(f"/partnerships/{team.pk}/teachers/{member.pk}/remove/").text
    assert "Remove Amara Bello?" in asked
    response = client.post(f"/partnerships/{team.pk}/teachers/{member.pk}/remove/", follow=True)
    assert "Amara Bello is no longer in this partnership." in response.text
    member.refresh_from_db()
    assert member.status == "left"
    assert member.left_at is not None
    # Asked again (a second tab, a double tap): the same answer as a late click, nothing more.
    again = client.post(f"/partnerships/{team.pk}/teachers/{member.pk}/remove/", follow=True)
    assert "Amara Bello is no longer in this partnership." in again.text
    assert client_for(colleague).get(f"/partnerships/{team.pk}/").status_code == 404


def test_a_teacher_leaves_a_team_and_the_last_one_closes_it_instead(
    client_for, teacher, colleague, team
):
    client = client_for(colleague)
    member = team.members.get(teacher=colleague)
    assert "Leave the partnership" in client.get(f"/partnerships/{team.pk}/").text
    response = client.post(f"/partnerships/{team.pk}/teachers/{member.pk}/remove/", follow=True)
    assert "You left the partnership." in response.text
    last = team.members.get(teacher=teacher)
    client = client_for(teacher)
    assert "Leave the partnership" not in client.get(f"/partnerships/{team.pk}/").text
    response = client.post(f"/partnerships/{team.pk}/teachers/{last.pk}/remove/", follow=True)
    assert "You are the only teacher in this partnership, so leaving it would end it" in (
        response.text
    )
    assert response.redirect_chain[-1][0] == f"/partnerships/{team.pk}/"
    last.refresh_from_db()
    assert last.status == "accepted"


def test_a_teacher_cannot_take_a_colleague_off_the_team(client_for, teacher, colleague, team):
    member = team.members.get(teacher=colleague)
    response = client_for(teacher).post(f"/partnerships/{team.pk}/teachers/{member.pk}/remove/")
    assert response.status_code == 403


def test_a_teacher_whose_role_was_removed_shows_as_left_and_cannot_be_observed(
    client_for, coach, teacher, colleague, team
):
    colleague.memberships.filter(school=team.school).delete()
    page = client_for(coach).get(f"/partnerships/{team.pk}/").text
    assert 'Amara Bello <span class="text-body-secondary">· left</span>' in page
    assert "Remove<span" not in page  # one teacher is left: nobody to take off a team
    assert "Daniel Reyes (left)" not in page


def test_a_partnership_whose_teachers_all_left_says_so_and_observes_nobody(
    client_for, coach, teacher, cycle
):
    from accounts.services import person_set_active
    from tests import factories

    admin = factories.school_admin_at(cycle.partnership.school)
    person_set_active(actor=admin, user=teacher, active=False)
    client = client_for(coach)
    assert "Daniel Reyes (left)" in client.get("/coach/").text
    response = client.post(
        f"/cycles/{cycle.pk}/observations/new/", {"subject": "Maths"}, follow=True
    )
    assert "Nobody in this partnership teaches at the school any more" in response.text
    assert not cycle.observations.exists()


def test_the_other_side_hears_who_left_and_nothing_of_the_partnership(
    client_for, coach, teacher, colleague, school, django_capture_on_commit_callbacks
):
    from django.core import mail

    team = PartnershipFactory(
        school=school, coach=coach, teachers=[teacher, colleague], title="CANARY-TITLE"
    )
    third = factories.teacher_at(school, user__full_name="Ana Lima", user__email="ana@example.org")
    team.members.create(teacher=third, status="accepted")
    removed = team.members.get(teacher=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(coach).post(f"/partnerships/{team.pk}/teachers/{removed.pk}/remove/")
        leaving = team.members.get(teacher=third)
        client_for(third).post(f"/partnerships/{team.pk}/teachers/{leaving.pk}/remove/")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([colleague.email], "Maya Okafor took you off a coaching partnership"),
        ([coach.email], "Ana Lima left your coaching partnership"),
    ]
    assert not any("CANARY" in m.body for m in mail.outbox)


def test_nothing_new_is_planned_with_a_partnership_nobody_is_left_in(
    client_for, coach, teacher, partnership
):
    teacher.memberships.filter(school=partnership.school).delete()
    client = client_for(coach)
    page = client.get(f"/partnerships/{partnership.pk}/").text
    assert "Start a cycle" not in page
    response = client.post(
        f"/partnerships/{partnership.pk}/meetings/new/",
        {"kind": "planning", "starts_at": "2026-11-30T09:00", "duration_minutes": "30"},
    )
    assert "Nobody in this partnership teaches at the school any more" in response.text
    assert not partnership.meetings.exists()
