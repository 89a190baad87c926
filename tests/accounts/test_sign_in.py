import datetime

import pytest

from tests import factories
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


def test_other_capitals_of_the_address_share_one_count_of_failures(client, coach, settings):
    spellings = ["maya@example.org", "Maya@example.org", "MAYA@example.org", " maya@Example.org"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, spellings[attempt % len(spellings)], "wrong")
    assert sign_in(client, "Maya@Example.ORG").status_code == 429
    assert "_auth_user_id" not in client.session


def test_behind_a_proxy_the_lockout_is_for_the_real_client_only(client, coach, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    def attempt(client_address, password):
        return client.post(
            SIGN_IN,
            {"username": "maya@example.org", "password": password},
            REMOTE_ADDR="10.0.0.2",  # the proxy, the same for everyone
            HTTP_X_FORWARDED_FOR=client_address,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("198.51.100.7", "wrong")  # an attacker, from their own address
    assert attempt("198.51.100.7", "a-good-password").status_code == 429
    # Maya, in her classroom, is not locked out by someone else's guesses...
    assert attempt("203.0.113.20", "a-good-password").status_code == 302
    client.post("/accounts/sign-out/")
    # ...nor by an attacker who writes her address into the header themselves.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("203.0.113.20, 198.51.100.7", "wrong")
    assert attempt("203.0.113.20", "a-good-password").status_code == 302


THROTTLED = "Too many failed sign-ins from this network"


def spray_made_up_accounts(client, count=60):
    """A stranger behind the school's one public address tries names that do not exist."""
    for n in range(count):
        sign_in(client, f"guess{n}@example.org", "wrong")


def test_a_strangers_guesses_do_not_lock_out_the_people_behind_the_same_address(
    client, coach, teacher
):
    spray_made_up_accounts(client)
    # Maya and Daniel share the school's address with the stranger; they never typed a
    # wrong password, so the stranger's failures are no reason to refuse them.
    assert sign_in(client, "maya@example.org").status_code == 302
    client.post("/accounts/sign-out/")
    assert sign_in(client, "daniel@example.org").status_code == 302


def test_past_the_limit_an_account_gets_one_guess_from_that_address(client, coach, teacher, clock):
    spray_made_up_accounts(client)
    response = sign_in(client, "maya@example.org", "Spring2026!")
    assert THROTTLED in response.text
    # The right password does not help a guesser who already missed: it is not even tried...
    response = sign_in(client, "maya@example.org")
    assert THROTTLED in response.text
    assert "_auth_user_id" not in client.session
    # ...while Daniel, whom nobody guessed at, signs in as always...
    assert sign_in(client, "daniel@example.org").status_code == 302
    client.post("/accounts/sign-out/")
    # ...and Maya can again once the quarter of an hour has passed.
    clock.shift(datetime.timedelta(minutes=16))
    assert sign_in(client, "maya@example.org").status_code == 302


def test_a_spray_of_one_password_is_refused_account_after_account(client, school):
    sprayed = [factories.teacher_at(school).email for _ in range(3)]
    untouched = factories.teacher_at(school).email
    spray_made_up_accounts(client)
    for email in sprayed:
        assert THROTTLED in sign_in(client, email, "Spring2026!").text
    for email in sprayed:  # a second round finds each of them closed to this address
        assert THROTTLED in sign_in(client, email, "a-good-password").text
        assert "_auth_user_id" not in client.session
    assert sign_in(client, untouched).status_code == 302


def test_an_administrator_unlocks_a_locked_out_teacher(client, client_for, teacher, settings):
    school_admin = factories.school_admin_at(teacher.memberships.get().school)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "daniel@example.org", "wrong")
    assert sign_in(client, "daniel@example.org").status_code == 429
    admin = client_for(school_admin)
    page = admin.get(f"/people/{teacher.pk}/").text
    assert "Sign-in is locked" in page
    admin.post(f"/people/{teacher.pk}/unlock/")
    admin.post("/accounts/sign-out/")
    assert sign_in(client, "daniel@example.org").status_code == 302


def test_an_administrator_unlocks_a_teacher_held_back_on_a_busy_network(
    client, client_for, teacher
):
    school_admin = factories.school_admin_at(teacher.memberships.get().school)
    spray_made_up_accounts(client)
    sign_in(client, "daniel@example.org", "wrong")  # one slip, from the busy address
    assert THROTTLED in sign_in(client, "daniel@example.org").text
    admin = client_for(school_admin)
    assert "Sign-in is locked" in admin.get(f"/people/{teacher.pk}/").text
    admin.post(f"/people/{teacher.pk}/unlock/")
    admin.post("/accounts/sign-out/")
    assert sign_in(client, "daniel@example.org").status_code == 302
