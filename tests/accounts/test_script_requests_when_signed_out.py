"""A script's request whose session has ended is answered in JSON, never with a redirect:
the capture page must be able to tell "signed out" from "saved"."""

import uuid

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/sign-in/"


@pytest.fixture
def notes_url(world):
    return f"/observations/{world.draft.pk}/notes/"


def note():
    return {"client_id": str(uuid.uuid4()), "text": "T asks an open question."}


def test_a_fetch_without_a_session_gets_a_json_401(client, notes_url):
    response = client.post(notes_url, note(), headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert "Location" not in response
    assert response.json()["reason"] == "signed_out"
    assert response.json()["sign_in_url"] == SIGN_IN


def test_an_htmx_request_without_a_session_gets_a_json_401(client, world):
    response = client.post(f"/observations/{world.draft.pk}/share/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.json()["reason"] == "signed_out"


def test_a_page_request_without_a_session_still_goes_to_sign_in(client, world):
    for response in (
        client.get(f"/observations/{world.draft.pk}/capture/"),
        client.post(f"/observations/{world.draft.pk}/notes/", note()),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(f"{SIGN_IN}?next=")


def test_a_fetch_with_a_stale_csrf_token_gets_a_json_403(coach, notes_url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coach)
    client.get(f"{notes_url}../capture/")  # sets the CSRF cookie
    response = client.post(
        notes_url,
        note(),
        headers={"Accept": "application/json", "X-CSRFToken": "stale" * 8},
    )
    assert response.status_code == 403
    assert response.json()["reason"] == "csrf"


def test_a_form_with_a_stale_csrf_token_gets_tandems_page_saying_what_to_do(coach, notes_url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coach)
    response = client.post(notes_url, {**note(), "csrfmiddlewaretoken": "stale" * 8})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "<title>This form has expired" in response.text
    assert "reload the page and send it again" in response.text
    assert "CSRF verification failed" not in response.text
    assert "DEBUG" not in response.text


def test_signing_out_tells_the_browser_to_forget_cached_pages_and_queued_notes(client_for, coach):
    response = client_for(coach).post("/accounts/sign-out/")
    assert response["Location"] == SIGN_IN
    assert response["Clear-Site-Data"] == '"cache", "storage"'
