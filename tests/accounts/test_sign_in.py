import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/sign-in/"


def sign_in(client, email, password="a-good-password"):
    return client.post(SIGN_IN, {"username": email, "password": password})


def test_it_shows_a_form_asking_for_an_email_address(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    assert b'type="email"' in response.content
    assert b"E-mail address" in response.content


def test_a_coach_signs_in_by_email_and_lands_on_the_coach_home(client, coach):
    response = sign_in(client, "maya@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == "/coach/"


def test_the_email_address_is_not_case_sensitive(client, coach):
    assert sign_in(client, "Maya@Example.ORG").status_code == 302
    assert client.get("/coach/").status_code == 200


def test_a_wrong_password_re_renders_the_form_with_a_message(client, coach):
    response = sign_in(client, "maya@example.org", "wrong")
    assert response.status_code == 200
    assert b"Please enter a correct e-mail address and password" in response.content
    assert "_auth_user_id" not in client.session


def test_a_deactivated_account_cannot_sign_in(client):
    UserFactory(email="gone@example.org", is_active=False)
    assert sign_in(client, "gone@example.org").status_code == 200
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_out_from_that_address(client, coach, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "maya@example.org", "wrong")
    response = sign_in(client, "maya@example.org")
    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_a_signed_in_person_visiting_sign_in_goes_home(client_for, coach):
    assert client_for(coach).get(SIGN_IN)["Location"] == "/"


def test_signing_out_ends_the_session(client_for, coach):
    client = client_for(coach)
    assert client.get("/accounts/sign-out/").status_code == 405  # never by a mere link
    response = client.post("/accounts/sign-out/")
    assert response["Location"] == SIGN_IN
    assert client.get("/coach/")["Location"].startswith(SIGN_IN)
