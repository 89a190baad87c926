"""Each person reads Tandem in their own language: chosen at the foot of any page, kept
with them, and taken from their browser until they choose."""

import pytest
from django.test import Client

from tests.accounts.test_sign_in import sign_in as sign_in_with_password
from tests.factories import UserFactory, sign_in

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/sign-in/"
SWITCH = "/accounts/language/"


def test_a_new_person_reads_the_language_their_browser_asks_for(coach):
    coach.language = ""
    coach.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    client.post(SIGN_IN, {"username": coach.email, "password": "a-good-password"})
    coach.refresh_from_db()
    assert coach.language == "es"
    response = client.get("/coach/")
    assert '<html lang="es">' in response.text
    assert response["Content-Language"] == "es"


def test_a_persons_choice_outlasts_a_browser_in_another_language(coach):
    coach.language = "es"
    coach.save()
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en-US"), coach)
    assert '<html lang="es">' in client.get("/coach/").text
    client.post(SWITCH, {"language": "en", "next": "/coach/"})
    coach.refresh_from_db()
    assert coach.language == "en"
    assert (
        '<html lang="en">' in sign_in(Client(HTTP_ACCEPT_LANGUAGE="es"), coach).get("/coach/").text
    )


def test_the_switch_is_at_the_foot_of_every_page_and_at_sign_in(client_for, coach):
    for page in (client_for(coach).get("/coach/"), Client().get(SIGN_IN)):
        assert 'action="/accounts/language/"' in page.text
        assert '<button type="submit" name="language" value="es" lang="es"' in page.text
        assert ">Español</button>" in page.text


def test_switching_brings_the_reader_back_to_the_page_they_were_on(client_for, coach):
    response = client_for(coach).post(SWITCH, {"language": "es", "next": "/coach/?week=2"})
    assert response.status_code == 302
    assert response["Location"] == "/coach/?week=2"
    coach.refresh_from_db()
    assert coach.language == "es"


def test_someone_not_signed_in_keeps_their_choice_on_this_browser():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(SWITCH, {"language": "es", "next": SIGN_IN})
    assert response["Location"] == SIGN_IN
    assert '<html lang="es">' in client.get(SIGN_IN).text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", ""])
def test_the_switch_sends_no_one_to_another_site(target):
    response = Client().post(SWITCH, {"language": "es", "next": target})
    assert response["Location"] == "/"


@pytest.mark.parametrize("code", ["xx", "", "es<script>", "de"])
def test_a_language_tandem_does_not_speak_changes_nothing(client_for, coach, code):
    coach.language = "en"
    coach.save()
    response = client_for(coach).post(SWITCH, {"language": code, "next": "/coach/"})
    assert response.status_code == 302
    coach.refresh_from_db()
    assert coach.language == "en"
    assert "django_language" not in response.cookies


def test_the_switch_answers_only_a_form(client):
    assert client.get(SWITCH).status_code == 405


def test_a_teacher_who_has_left_may_still_change_language(client, teacher, cycle):
    teacher.is_active = False
    teacher.save()
    sign_in_with_password(client, teacher.email)
    response = client.post(SWITCH, {"language": "es", "next": "/records/"})
    assert response["Location"] == "/records/"
    teacher.refresh_from_db()
    assert teacher.language == "es"


def test_the_language_does_not_bring_the_database_to_healthz(django_assert_num_queries):
    client = Client(HTTP_ACCEPT_LANGUAGE="es", HTTP_COOKIE="django_language=es")
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response["Content-Language"] == "es"


def test_a_person_made_by_an_import_has_no_language_until_they_sign_in():
    assert UserFactory().language == ""
