import pytest

from coaching.models import Meeting, Partnership
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
