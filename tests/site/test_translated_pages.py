"""Every page every persona can open, in Spanish: no English message id shows through.

The crawl is the permission matrix's: each URL a persona may read (200), asked for by that
persona reading Spanish, then sent back empty where it is a form, so that the page's
validation messages are read too. Another language is checked the same way by adding it
to settings.LANGUAGES.
"""

import re

import pytest
from django.conf import settings

from tests.site import test_permission_matrix as matrix
from tests.site.test_permission_matrix import MATRIX, PERSONAS, ROUTES, url_of
from tests.support.translation import english_left

# The matrix's world and personas, built once for this module too.
world = matrix.world
coach, teacher, colleague, other_coach, school_admin, district_admin, lead = map(
    matrix._persona, PERSONAS
)
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# Pages outside the matrix's apps, with the persona who reads each.
HOMES = [
    ("coach", "/coach/"),
    ("teacher", "/teacher/"),
    ("colleague", "/teacher/"),
    ("school_admin", "/accounts/password/"),
    ("lead", "/coaches/"),
    ("coach", "/nothing-here/"),
]
# What the world's people wrote that is also an English message id: their words, shown as
# they wrote them (a coach's growth reflection called "Shared").
DATA = {"Shared"}
SELF_POSTING_FORM = re.compile(r'<form(?![^>]*\baction=)[^>]*method="post"[^>]*>', re.I)
READABLE = sorted(
    (persona, name)
    for name, (method, statuses) in MATRIX.items()
    for persona in PERSONAS
    if method == "get" and statuses.get(persona) == 200
)


def _read_in(request, client_for, persona, lang):
    person = request.getfixturevalue(persona)
    person.language = lang
    person.save(update_fields=["language"])
    return client_for(person)


def _assert_translated(response, lang, where):
    if response.streaming or "text/html" not in response.get("Content-Type", ""):
        return
    assert f'<html lang="{lang}">' in response.text or "<html" not in response.text, where
    assert [t for t in english_left(response.text, lang) if t not in DATA] == [], where


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("persona", "name"), READABLE)
def test_every_page_a_persona_reads_is_in_their_language(
    request,
    client_for,
    world,
    lang,
    persona,
    name,
):
    client = _read_in(request, client_for, persona, lang)
    url = url_of(ROUTES[name], world)
    response = client.get(url)
    assert response.status_code == 200
    _assert_translated(response, lang, url)
    if not response.streaming and SELF_POSTING_FORM.search(response.text):
        # A form that posts to itself: sent empty, it answers with its messages.
        _assert_translated(client.post(url, {}), lang, f"{url} sent empty")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("persona", "url"), HOMES)
def test_homes_and_the_pages_beside_the_matrix_are_in_their_language(
    request,
    client_for,
    world,
    lang,
    persona,
    url,
):
    response = _read_in(request, client_for, persona, lang).get(url)
    _assert_translated(response, lang, url)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "url", ["/accounts/sign-in/", "/accounts/password/reset/", "/accounts/password/reset/done/"]
)
def test_the_pages_before_sign_in_follow_the_browser(db, client, lang, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    _assert_translated(response, lang, url)
    if url == "/accounts/sign-in/":
        wrong = client.post(
            url, {"username": "x@example.org", "password": "no"}, HTTP_ACCEPT_LANGUAGE=lang
        )
        _assert_translated(wrong, lang, "a refused sign-in")


def test_the_crawl_sees_english_where_it_is_left(client):
    response = client.get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="en")
    assert english_left(response.text, "es") != []
