"""No input answers 500, and a refused post changes nothing.

Every page each persona may open is fetched, every POST form on it is read from the HTML
(so a new form is covered the day it is added), and hypothesis fills its fields with
hostile values: NUL and control characters, huge and negative numbers, far dates, 1 MB
strings, several values where one is expected, or nothing at all.

A few examples per form in `make test`; TANDEM_FUZZ_EXAMPLES asks for more (.ci/run: 10).
"""

import os
from html.parser import HTMLParser

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.site.test_permission_matrix import MATRIX, ROUTES, url_of

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "Ann\x00Lee",
            "\x07\x1b[31m",
            "Ann\nLee",
            "\r\n",
            "-1",
            "0",
            "-2147483649",
            "2147483648",
            "9" * 40,
            "1e309",
            "NaN",
            "Infinity",
            "0.001",
            "9999-12-31",
            "9999-12-31T23:59",
            "0001-01-01",
            "0001-01-01T00:00",
            "2026-02-30",
            "00000000-0000-0000-0000-000000000000",
            "<script>alert(1)</script>",
            "x" * 1_000_000,
            "é" * 300,
        ]
    ),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)

# Models whose rows a refused post must leave exactly as they were. The access log is left
# out: re-showing a refused form of an observation is itself a read, and logged as one.
WATCHED = [
    model
    for model in apps.get_models()
    if model._meta.app_label in ("accounts", "coaching", "cycles", "observations")
    and model.__name__ != "AccessEvent"
]
NOT_FUZZED = {
    "/accounts/sign-out/",  # signing out is not input; it would end the rest of the run
}


class PostForms(HTMLParser):
    """The POST forms of a page: their action and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms, self.current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = {"action": attrs.get("action") or "", "fields": []}
            self.forms.append(self.current)
        elif self.current is not None and tag in ("input", "textarea", "select"):
            name = attrs.get("name")
            if name and name != "csrfmiddlewaretoken" and name not in self.current["fields"]:
                self.current["fields"].append(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def post_forms(client, url):
    response = client.get(url)
    if response.streaming:
        return  # a file (a lesson video), not a page: no form in it
    parser = PostForms()
    parser.feed(response.content.decode())
    for form in parser.forms:
        yield form["action"] or url, tuple(form["fields"])


def fingerprint():
    return {model: list(model.objects.order_by("pk").values_list()) for model in WATCHED}


@pytest.mark.parametrize(
    "persona", ["coach", "teacher", "school_admin", "district_admin", "other_coach"]
)
def test_no_hostile_post_answers_500_or_changes_anything_when_refused(
    request, client_for, world, persona
):
    client = client_for(request.getfixturevalue(persona))
    pages = [
        url_of(ROUTES[name], world)
        for name, (method, statuses) in sorted(MATRIX.items())
        if method == "get" and statuses.get(persona) == 200
    ]
    pages += [f"/{home}/" for home in ("coach", "teacher", "school", "district")]
    forms = {}
    for page in pages:
        if client.get(page).status_code == 200:
            for action, fields in post_forms(client, page):
                forms.setdefault((action, fields), page)
    assert len(forms) >= 3, f"{persona} has only {sorted(forms)} to try"

    for action, fields in sorted(forms):
        if action not in NOT_FUZZED:
            fuzz(client, action, fields)


def fuzz(client, action, fields):
    @settings(
        max_examples=int(os.environ.get("TANDEM_FUZZ_EXAMPLES", 3)),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({f: st.lists(HOSTILE, max_size=2) for f in fields}))
    def post_hostile(data):
        before = fingerprint()
        response = client.post(action, data)
        assert response.status_code < 500, (action, data)
        if response.status_code != 302:
            # Re-shown with its errors (or refused outright): nothing may have changed.
            assert fingerprint() == before, (action, data)

    post_hostile()
