"""The words of Tandem's scripts (static/js/) come from Django's JavaScript catalogue, one
address per language and version (core/jsi18n.py): every page loads it before its own
scripts, anyone may fetch it, and no cache can give a page one language's words for
another's."""

import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from core.jsi18n import FOREVER, catalogue
from tests.accounts.test_sign_in import sign_in

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _ in settings.LANGUAGES]
CATALOGUE = re.compile(r'<script src="(/jsi18n/[^"]+)" data-catalogue defer></script>')


def catalogue_of_page(language: str) -> str:
    """The address of the catalogue a page made in `language` loads."""
    with translation.override(language):
        return Template("{% load jsi18n %}{% javascript_catalog %}").render(Context())


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_a_catalogue_of_its_own(client, language, django_assert_num_queries):
    url = catalogue_of_page(language)
    assert url == f"/jsi18n/{language}/?v={catalogue(language)[1]}"
    # Fetched without signing in (the sign-in page runs scripts too), from no database.
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    script = response.content.decode()
    assert "django.gettext = function" in script
    assert "globals.interpolate = django.interpolate" in script
    # Cached as static files with hashed names are: its address changes with its words.
    assert response["Cache-Control"] == f"public, max-age={FOREVER}, immutable"


def test_the_spanish_catalogue_holds_the_scripts_words_in_spanish(client):
    spanish = client.get(catalogue_of_page("es")).content.decode()
    english = client.get(catalogue_of_page("en")).content.decode()
    assert '"Everything is saved.": "Todo est\\u00e1 guardado."' in spanish
    assert "Todo est" not in english
    # Tandem's words only: not the calendar of the operators' site (Django's admin).
    assert "Midnight" not in spanish
    # Counts with Spanish plurals.
    assert '"%(n)s note": [\n      "%(n)s nota",\n      "%(n)s notas"' in spanish


def test_no_two_languages_share_an_address():
    urls = {catalogue_of_page(language) for language in LANGUAGES}
    assert len(urls) == len(LANGUAGES)


def test_a_page_in_a_language_tandem_lacks_loads_the_default_language():
    assert catalogue_of_page("fr").startswith(f"/jsi18n/{settings.LANGUAGE_CODE}/?v=")


def test_another_version_gets_todays_words_for_a_minute_only(client):
    # A page made before a deploy asks for the words it was made with.
    response = client.get("/jsi18n/es/?v=0123456789ab")
    assert response.status_code == 200
    assert response.content == catalogue("es")[0]
    assert response["Cache-Control"] == "public, max-age=60"


def test_a_language_tandem_lacks_has_no_catalogue(client):
    assert client.get("/jsi18n/fr/").status_code == 404
    assert client.post(catalogue_of_page("es")).status_code == 405


def test_every_page_loads_the_catalogue_before_its_scripts(client_for, coach, world):
    page = client_for(coach).get(f"/observations/{world.draft.pk}/capture/").text
    scripts = re.findall(r"<script [^>]*>", page)
    (loaded,) = CATALOGUE.findall(page)
    assert loaded == catalogue_of_page(settings.LANGUAGE_CODE)
    assert scripts[0] == f'<script src="{loaded}" data-catalogue defer>'


def test_the_sign_in_page_loads_the_catalogue(client):
    assert CATALOGUE.findall(client.get("/accounts/sign-in/").text) == [
        catalogue_of_page(settings.LANGUAGE_CODE)
    ]


def test_a_departed_teacher_gets_the_words_of_their_records_page(client, teacher, cycle):
    teacher.is_active = False
    teacher.save()
    sign_in(client, teacher.email)
    (url,) = CATALOGUE.findall(client.get("/my-records/").text)
    assert client.get(url).status_code == 200
