"""No button the state refuses: on every page of the coach's and the teacher's journeys,
each one-tap action goes through when tapped, and each link to a form opens that form,
instead of answering with an error once the person has trusted it.

Every action is tried inside a transaction that is rolled back, so each starts from the
same records: an open cycle with its goal, a meeting still to come and one that started an
hour ago, a lesson shared and one in draft."""

import datetime
import html
import re

import pytest
from django.db import transaction
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
ATTR = re.compile(r'([\w-]+)="([^"]*)"')
# Links that are not actions: leaving, downloading, or another site.
NOT_ACTIONS = re.compile(r"^/(accounts/sign-out|static/|media/)|\.(csv|zip|ics|json)$|/export")


def attrs(tag):
    return {k: html.unescape(v) for k, v in ATTR.findall(tag)}


def forms_of(page):
    """(action, data) for each form posted by a button: what a tap sends, as it stands."""
    for head, body in FORM.findall(page):
        form = attrs(head)
        posted = form.get("method", "get").lower() == "post"
        if not posted or NOT_ACTIONS.search(form.get("action", "")):
            continue
        data = {}
        for tag in re.findall(r"<input\b[^>]*>", body):
            field = attrs(tag)
            kind = field.get("type", "text")
            if "name" not in field or kind in ("submit", "button", "file"):
                continue
            if kind in ("checkbox", "radio") and "checked" not in tag:
                continue
            data[field["name"]] = field.get("value", "")
        for head_, text in re.findall(r"<textarea\b([^>]*)>(.*?)</textarea>", body, re.S):
            data[attrs(head_)["name"]] = html.unescape(text)
        yield form.get("action") or "", data


def links_of(page):
    for href in re.findall(r'<a\b[^>]*href="(/[^"#?]*)[^"]*"', page):
        if not NOT_ACTIONS.search(href):
            yield html.unescape(href)


def refusals(response):
    """What the person is told went wrong: error messages and a form's own non-field errors.
    A field left empty is the person's to fill, not the state refusing: not counted."""
    text = response.content.decode()
    said = re.findall(r'class="alert alert-danger[^"]*"[^>]*>\s*(.*?)\s*<', text, re.S) + (
        re.findall(r'class="[^"]*alert-block alert-danger[^"]*">.*?<li>(.*?)</li>', text, re.S)
    )
    return [s for s in said if "This field is required" not in s]


def try_each(client, path):
    """Every form posted from `path` and every link from it, each in a rolled-back world."""
    response = client.get(path)
    assert response.status_code == 200, path  # still signed in, on the page itself
    page = response.content.decode()
    refused = []
    for action, data in forms_of(page):
        with transaction.atomic():
            response = client.post(action or path, data, follow=True)
            said = refusals(response)
            if response.status_code >= 400 or said:
                refused.append((path, "post", action, response.status_code, said))
            transaction.set_rollback(True)
    for link in set(links_of(page)):
        response = client.get(link, follow=True)
        said = refusals(response)
        if response.status_code >= 400 or said:
            refused.append((path, "get", link, response.status_code, said))
    return refused


@pytest.fixture(params=["agreed goal", "goal proposed by the teacher"])
def journey(request, world, partnership, teacher):
    if request.param != "agreed goal":
        # The Accept button is the coach's; the teacher who proposed it is offered none.
        world.goal.agreed_at, world.goal.proposed_by = None, teacher
        world.goal.save()
    started = factories.MeetingFactory(
        partnership=partnership,
        kind="debrief",
        starts_at=timezone.now() - datetime.timedelta(hours=1),
    )
    return world, started


def pages_of(world, started):
    return [
        f"/partnerships/{world.partnership.pk}/",
        f"/cycles/{world.cycle.pk}/",
        f"/meetings/{world.meeting.pk}/",
        f"/meetings/{started.pk}/",
        f"/observations/{world.shared.pk}/",
    ]


def test_no_page_of_the_coachs_journey_offers_a_refused_button(client_for, coach, journey):
    world, started = journey
    client = client_for(coach)
    paths = ["/coach/", *pages_of(world, started), f"/observations/{world.draft.pk}/feedback/"]
    refused = [r for path in paths for r in try_each(client, path)]
    assert refused == []


def test_no_page_of_the_teachers_journey_offers_a_refused_button(client_for, teacher, journey):
    world, started = journey
    client = client_for(teacher)
    paths = ["/teacher/", *pages_of(world, started), "/my-records/feedback/"]
    refused = [r for path in paths for r in try_each(client, path)]
    assert refused == []
