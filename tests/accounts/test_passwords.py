import re

import pytest
from django.core import mail

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_forgotten_password_is_reset_through_an_emailed_link(client, teacher):
    response = client.post("/accounts/password/reset/", {"email": "daniel@example.org"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["daniel@example.org"]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-secret", "new_password2": "a-new-long-secret"},
    )
    assert response["Location"] == "/accounts/password/reset/complete/"
    teacher.refresh_from_db()
    assert teacher.check_password("a-new-long-secret")


def test_an_unknown_address_gets_the_same_answer_and_no_email(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_a_used_reset_link_says_it_no_longer_works(client):
    response = client.get("/accounts/password/reset/MQ/set-password/")
    assert b"This link no longer works" in response.content


def test_a_signed_in_person_changes_their_password(client_for, coach):
    client = client_for(coach)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "a-good-password",
            "new_password1": "another-long-secret",
            "new_password2": "another-long-secret",
        },
    )
    assert response["Location"] == "/accounts/password/done/"
    coach.refresh_from_db()
    assert coach.check_password("another-long-secret")


def test_a_wrong_old_password_changes_nothing(client_for, coach):
    response = client_for(coach).post(
        "/accounts/password/",
        {
            "old_password": "wrong",
            "new_password1": "x-long-secret",
            "new_password2": "x-long-secret",
        },
    )
    assert response.status_code == 200
    assert b"Your old password was entered incorrectly" in response.content
    coach.refresh_from_db()
    assert coach.check_password("a-good-password")


def test_someone_invited_who_never_chose_a_password_can_ask_for_a_link(client, school):
    invited = factories.teacher_at(school, user__email="new@example.org")
    invited.set_unusable_password()
    invited.save()
    client.post("/accounts/password/reset/", {"email": "New@example.org"})
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-secret", "new_password2": "a-new-long-secret"},
    )
    invited.refresh_from_db()
    assert invited.check_password("a-new-long-secret")


def test_a_deactivated_account_gets_no_reset_link(client, school):
    factories.teacher_at(school, user__email="gone@example.org", user__is_active=False)
    client.post("/accounts/password/reset/", {"email": "gone@example.org"})
    assert mail.outbox == []


def test_the_reset_link_points_at_the_sites_address_not_the_requests(client, teacher, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example.org"]
    client.post(
        "/accounts/password/reset/", {"email": "daniel@example.org"}, HTTP_HOST="other.example.org"
    )
    assert f"{settings.SITE_URL}/accounts/password/reset/" in mail.outbox[0].body
    assert "other.example.org" not in mail.outbox[0].body
