"""Sessions end when they should: after a school day idle, on request everywhere else, and
everywhere else when the password changes."""

import datetime

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

HOURS = datetime.timedelta(hours=1)


def signed_in(person):
    return factories.sign_in(Client(), person)


def is_signed_in(client):
    return client.get("/coach/").status_code == 200


def test_a_session_left_idle_for_a_school_day_is_signed_out(coach, clock):
    client = signed_in(coach)
    clock.shift(9 * HOURS + datetime.timedelta(minutes=1))
    assert client.get("/coach/")["Location"].startswith("/accounts/sign-in/")


def test_a_session_in_use_stays_signed_in_past_a_school_day(coach, clock):
    client = signed_in(coach)
    for _ in range(3):
        clock.shift(6 * HOURS)
        assert is_signed_in(client)


def test_signing_out_of_other_devices_keeps_this_one(coach):
    phone, laptop = signed_in(coach), signed_in(coach)
    response = laptop.post("/accounts/sign-out-others/", follow=True)
    assert "You are signed out of every other device." in response.text
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)


def test_a_new_password_ends_every_other_session(coach):
    phone, laptop = signed_in(coach), signed_in(coach)
    laptop.post(
        "/accounts/password/",
        {
            "old_password": "a-good-password",
            "new_password1": "a-better-password-2026",
            "new_password2": "a-better-password-2026",
        },
    )
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)


def test_the_password_page_offers_to_sign_out_elsewhere(coach):
    page = signed_in(coach).get("/accounts/password/").text
    assert "Sign out of all other devices" in page


def test_a_short_idle_limit_is_renewed_by_use_too(coach, clock, settings):
    settings.SESSION_COOKIE_AGE = 60
    client = signed_in(coach)
    for _ in range(10):
        clock.shift(20)
        assert is_signed_in(client)
    clock.shift(61)
    assert not is_signed_in(client)
