"""A teacher who has left the school still owns their records: deactivated, they may sign in
to download them, and do nothing else. Anyone else deactivated stays out."""

import re

import pytest
from django.core import mail

from tests.accounts.test_sign_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def departed(teacher, cycle):
    teacher.is_active = False
    teacher.save()
    return teacher


def test_a_departed_teacher_signs_in_to_their_records_only(client, departed, cycle, world):
    response = sign_in(client, departed.email)
    assert response.status_code == 302
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/my-records/"
    page = client.get("/my-records/")
    assert page.status_code == 200
    assert "Prepare my download" in page.text
    # The navigation offers nothing they cannot open.
    assert "/teacher/" not in page.text
    assert "/notifications/" not in page.text
    for url in (
        "/teacher/",
        f"/cycles/{cycle.pk}/",
        f"/observations/{world.shared.pk}/",
        "/my-records/access/",
        "/notifications/",
        "/accounts/password/",
        f"/partnerships/{cycle.partnership_id}/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/my-records/", url
    response = client.post(f"/cycles/{cycle.pk}/reflections/new/", {"text": "x"})
    assert response["Location"] == "/my-records/"


def test_a_departed_teacher_downloads_everything(
    client, departed, cycle, django_capture_on_commit_callbacks
):
    sign_in(client, departed.email)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/my-records/export/")
    page = client.get("/my-records/").text
    assert "Download my records (ZIP)" in page
    (link,) = re.findall(r'href="(/my-records/[0-9a-f-]+/tandem-records\.zip)"', page)
    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"


def test_a_departed_person_who_was_never_a_teacher_in_a_partnership_cannot_sign_in(
    client, coach, partnership
):
    coach.is_active = False
    coach.save()
    assert sign_in(client, coach.email).status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_departed_teachers_wrong_password_is_still_wrong(client, departed):
    response = sign_in(client, departed.email, "wrong")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_deactivating_a_teacher_who_is_signed_in_confines_them_at_once(client_for, teacher, cycle):
    client = client_for(teacher)
    assert client.get("/teacher/").status_code == 200
    teacher.is_active = False
    teacher.save()
    assert client.get("/teacher/")["Location"] == "/my-records/"
    assert client.get("/my-records/").status_code == 200


def test_a_teacher_removed_from_the_school_finds_their_records(client_for, teacher, cycle):
    teacher.memberships.all().delete()
    page = client_for(teacher).get("/").text
    assert 'href="/my-records/"' in page


def test_a_departed_teacher_who_forgot_their_password_resets_it_and_reaches_their_records(
    client, departed, coach, partnership
):
    coach.is_active = False  # left too, but has no records of their own to take
    coach.save()
    answers = [
        client.post("/accounts/password/reset/", {"email": email})
        for email in (departed.email, coach.email)
    ]
    # The page answers alike either way; only the teacher gets a link.
    assert [a["Location"] for a in answers] == ["/accounts/password/reset/sent/"] * 2
    assert [m.to for m in mail.outbox] == [[departed.email]]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-secret", "new_password2": "a-new-long-secret"},
    )
    assert response["Location"] == "/accounts/password/reset/complete/"
    assert sign_in(client, departed.email, "a-new-long-secret").status_code == 302
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/my-records/"
    assert client.get("/teacher/")["Location"] == "/my-records/"
