import pytest
from django.core import mail

from coaching.models import Partnership
from tests.factories import teacher_at

pytestmark = pytest.mark.django_db


def invite(client, *teachers, **extra):
    data = {"teachers": [t.pk for t in teachers], "title": "", "agreement": "Norms.", **extra}
    return client.post("/partnerships/new/", data)


def test_the_form_offers_only_teachers_of_the_coachs_school(
    client_for, coach, teacher, colleague, other_school
):
    elsewhere = teacher_at(other_school, user__full_name="Far Away")
    page = client_for(coach).get("/partnerships/new/").text
    assert "Daniel Reyes" in page
    assert "Amara Bello" in page
    assert elsewhere.full_name not in page


def test_a_coach_invites_a_teacher_who_is_emailed_once(
    client_for, coach, teacher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = invite(client_for(coach), teacher)
    partnership = Partnership.objects.get()
    assert response.url == f"/partnerships/{partnership.pk}/"
    assert partnership.status == "invited"
    assert len(mail.outbox) == 1
    # Running the task again (a retry, a duplicate delivery) sends nothing more.
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_a_team_partnership_invites_several_teachers(client_for, coach, teacher, colleague):
    invite(client_for(coach), teacher, colleague, title="Grade 3 team")
    partnership = Partnership.objects.get()
    assert partnership.title == "Grade 3 team"
    assert {m.teacher for m in partnership.members.all()} == {teacher, colleague}


def test_choosing_nobody_re_renders_with_a_message(client_for, coach, teacher):
    response = invite(client_for(coach))
    assert response.status_code == 200
    assert "Choose at least one teacher to invite." in response.text
    assert not Partnership.objects.exists()


def test_a_teacher_from_another_school_is_refused(client_for, coach, teacher, other_school):
    outsider = teacher_at(other_school)
    response = invite(client_for(coach), outsider)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Partnership.objects.exists()


def test_a_school_with_no_teachers_says_so(client_for, coach):
    assert "no teachers to invite" in client_for(coach).get("/partnerships/new/").text


def test_deactivated_teachers_are_not_offered(client_for, coach, teacher):
    teacher.is_active = False
    teacher.save()
    assert "Daniel Reyes" not in client_for(coach).get("/partnerships/new/").text
