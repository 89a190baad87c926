"""Administrators and operators sign in with two steps: a password, then a code from an
authenticator app (TOTP). Coaches and teachers may turn it on; recovery codes work once."""

import base64
import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, email):
    return client.post("/accounts/sign-in/", {"username": email, "password": "a-good-password"})


def code_for(secret_base32: str) -> str:
    return f"{totp(base64.b32decode(secret_base32)):06d}"


def set_up(client) -> tuple[str, list[str]]:
    """Scan (read the key off the page), confirm with a code; returns key and recovery codes."""
    page = client.get("/accounts/two-step/").text
    secret = re.search(r'id="two-step-secret">([A-Z2-7=]+)<', page).group(1)
    done = client.post("/accounts/two-step/", {"code": code_for(secret)}).text
    return secret, re.findall(r"<li>([a-z0-9]{8})</li>", done)


def test_an_administrator_must_set_up_two_step_before_any_page(school_admin, clock):
    client = Client()
    sign_in(client, "grace@example.org")
    assert client.get("/school/")["Location"] == "/accounts/two-step/?next=/school/"
    assert client.get("/people/")["Location"].startswith("/accounts/two-step/")
    secret, codes = set_up(client)
    assert len(codes) == 10
    assert client.get("/school/").status_code == 200

    # Next time: password, then the app's code.
    client.post("/accounts/sign-out/")
    sign_in(client, "grace@example.org")
    assert client.get("/school/")["Location"].startswith("/accounts/two-step/")
    page = client.get("/accounts/two-step/").text
    assert "Enter the 6-digit code" in page
    clock.shift(60)  # a code is good once: the next 30-second window brings a fresh one
    response = client.post("/accounts/two-step/?next=/people/", {"code": code_for(secret)})
    assert response["Location"] == "/people/"
    assert client.get("/people/").status_code == 200


def test_a_wrong_code_lets_nobody_in(school_admin):
    client = Client()
    sign_in(client, "grace@example.org")
    set_up(client)
    client.post("/accounts/sign-out/")
    sign_in(client, "grace@example.org")
    response = client.post("/accounts/two-step/", {"code": "000000"})
    assert "That code is not right" in response.text
    assert client.get("/school/").status_code == 302


def test_a_recovery_code_works_once(school_admin):
    client = Client()
    sign_in(client, "grace@example.org")
    _, codes = set_up(client)
    for attempt in range(2):
        client.post("/accounts/sign-out/")
        sign_in(client, "grace@example.org")
        client.post("/accounts/two-step/", {"code": codes[0]})
        expected = 200 if attempt == 0 else 302
        assert client.get("/school/").status_code == expected
    assert StaticToken.objects.count() == 9


def test_operators_take_the_second_step_for_the_admin_site():
    UserFactory(email="ops@example.org", is_staff=True, is_superuser=True)
    client = Client()
    sign_in(client, "ops@example.org")
    assert client.get("/operators/")["Location"].startswith("/accounts/two-step/")
    set_up(client)
    assert client.get("/operators/").status_code == 200


def test_coaches_need_no_second_step_but_may_turn_it_on(coach, clock):
    client = Client()
    sign_in(client, "maya@example.org")
    assert client.get("/coach/").status_code == 200
    assert "Set up two-step sign-in" in client.get("/accounts/password/").text
    secret, _ = set_up(client)
    client.post("/accounts/sign-out/")
    sign_in(client, "maya@example.org")
    assert client.get("/coach/")["Location"].startswith("/accounts/two-step/")
    clock.shift(60)
    client.post("/accounts/two-step/", {"code": code_for(secret)})
    assert client.get("/coach/").status_code == 200


def test_a_script_gets_json_until_the_second_step(school_admin):
    client = Client()
    sign_in(client, "grace@example.org")
    response = client.get("/school/", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.json()["reason"] == "two_step"
