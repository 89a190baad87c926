"""Canary strings in every confidential field, searched for in everything administrators,
a colleague teacher and a coach of another school can reach.

Each of those people crawls the site from every page that takes no parameter, following
every link (list pages to detail pages to exports), and no canary, and no observed
teacher's name or e-mail address, may appear in any answer. Then each confidential record's
own URL is requested directly: every one answers 404.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

from tests import factories
from tests.urlwalk import all_routes, url_for

pytestmark = pytest.mark.django_db

OUTSIDERS = ["school_admin", "district_admin", "colleague", "other_coach"]
CANARY = re.compile(r"CANARY-[A-Z-]+-\d+")
NEVER_FOLLOW = ("/static/", "/accounts/sign-out/", "/operators/")
# The staff directory of people and roles names every teacher, by design (DESIGN §3): there
# a name says only that someone works at the school. Canaries are searched for there too.
DIRECTORY = "/people/"
MAX_PAGES = 400


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.found.append(href)


def internal_links(html, current):
    parser = Links()
    parser.feed(html)
    for href in parser.found:
        href = urldefrag(href)[0]
        if not href or href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        parts = urlsplit(href)
        if parts.netloc and parts.netloc not in {"testserver"}:
            continue
        path = parts.path if parts.path.startswith("/") else current.rsplit("/", 1)[0] + "/"
        yield path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def canaries(world, teacher, colleague):
    """Fill every confidential field of every coaching record with its own canary."""
    counter = iter(range(1, 10_000))
    planted = []

    def canary(label):
        value = f"CANARY-{label}-{next(counter)}"
        planted.append(value)
        return value

    def fill(obj, *fields):
        for field in fields:
            setattr(obj, field, canary(field.upper().replace("_", "-")))
        obj.save()

    fill(world.partnership, "title", "agreement")
    fill(world.cycle, "title", "summary")
    fill(world.goal, "statement", "measure", "learning_targets")
    fill(world.point, "note")
    fill(world.meeting, "agenda", "notes")
    fill(world.teacher_step, "text")
    fill(world.coach_step, "text")
    fill(world.note, "text")
    for reflection in (world.teacher_private, world.teacher_shared, world.coach_private):
        fill(reflection, "prompt", "text")
    for observation in (world.shared, world.draft):
        fill(observation, "subject", "grade", "period", "strengths", "wonderings", "next_steps")
        fill(factories.ObservationNoteFactory(observation=observation), "text")
        tally = observation.tallies.create(label="x", count=3)
        fill(tally, "label")
        response = observation.responses.create(teacher=teacher, text="")
        fill(response, "text")
        # Look-for evidence: a look-for in the coach's words, its counter, a note tagged with
        # it, and the seat map of who spoke.
        look_for = factories.ChosenLookForFactory(observation=observation, counted=True)
        fill(look_for, "description", "prompt", "section")
        fill(observation.tallies.create(look_for=look_for, count=4), "label")
        fill(factories.ObservationNoteFactory(observation=observation, look_for=look_for), "text")
        factories.seat_map_for(observation, taps=[(0, 0), (1, 2)])
        fill(observation.seat_map, "name")
    fill(world.look_for, "description", "prompt", "section")
    fill(world.partnership.seat_layouts.create(name="x", rows=2, columns=2), "name")
    return planted


def crawl(client, start):
    seen, queue, pages = set(start), deque(start), {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url, follow=True)
        pages[url] = response
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in internal_links(response.content.decode(), response.request["PATH_INFO"]):
            if link not in seen and not link.startswith(NEVER_FOLLOW):
                seen.add(link)
                queue.append(link)
    return pages


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_no_confidential_word_reaches_anyone_outside_the_partnership(
    request, client_for, canaries, teacher, persona
):
    client = client_for(request.getfixturevalue(persona))
    start = ["/"] + [url_for(route) for name, route in all_routes() if "<" not in route]
    pages = crawl(client, start)
    assert len(pages) > 5  # the crawl really went somewhere
    for url, response in pages.items():
        body = response.content.decode(errors="replace")
        assert not CANARY.search(body), f"{persona} read {CANARY.search(body)[0]} at {url}"
        if url.startswith(DIRECTORY) and persona in ("school_admin", "district_admin"):
            continue
        assert teacher.full_name not in body, f"{persona} saw the teacher's name at {url}"
        assert teacher.email not in body, f"{persona} saw the teacher's e-mail at {url}"


CONFIDENTIAL = ("partnership", "meeting", "next_step", "cycle", "reflection", "observation")


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_every_confidential_record_answers_404_to_them(
    request, client_for, canaries, world, persona
):
    client = client_for(request.getfixturevalue(persona))
    records = {
        "partnership": world.partnership.pk,
        "meeting": world.meeting.pk,
        "next_step": world.teacher_step.pk,
        "cycle": world.cycle.pk,
        "entry": world.entry.pk,
        "strategy": world.strategy.pk,
    }
    checked = 0
    for name, route in all_routes():
        if not any(f":{kind}>" in route for kind in CONFIDENTIAL):
            continue
        for reflection in (world.teacher_private, world.teacher_shared, world.coach_private):
            for observation in (world.shared, world.draft):
                url = url_for(
                    route, reflection=reflection.pk, observation=observation.pk, **records
                )
                # GET for pages, POST for actions: a method the URL does not take may say
                # 405, which reveals nothing; the other must say 404.
                statuses = {client.get(url).status_code, client.post(url).status_code}
                assert 404 in statuses, f"{persona}: {name} {url} answered {statuses}"
                assert statuses <= {404, 405}, f"{persona}: {name} {url} answered {statuses}"
                checked += 1
    assert checked > 30


def admin_pages():
    """Every page of the operators' site for every record there is: lists (with a search
    and each filter), change pages, delete confirmations and history."""
    from django.contrib import admin

    yield "/operators/"
    for model in admin.site._registry:
        base = f"/operators/{model._meta.app_label}/{model._meta.model_name}/"
        yield f"/operators/{model._meta.app_label}/"
        yield base
        yield base + "?q=CANARY"
        yield base + "add/"
        for obj in model._default_manager.all():
            for page in ("change/", "delete/", "history/"):
                yield f"{base}{obj.pk}/{page}"


def test_no_confidential_word_reaches_the_operators(client_for, canaries, world):
    operator = factories.UserFactory(is_staff=True, is_superuser=True)
    client = client_for(operator)
    pages = list(admin_pages())
    assert len(pages) > 100
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 403), url
        body = response.content.decode(errors="replace")
        assert not CANARY.search(body), f"the operator read {CANARY.search(body)[0]} at {url}"


def test_operators_cannot_filter_lists_by_what_the_page_does_not_offer(client_for, world):
    # Counting the matches of text__startswith=... would spell out any text letter by letter.
    from django.contrib import admin

    client = client_for(factories.UserFactory(is_staff=True, is_superuser=True))
    tried = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("accounts", "coaching", "cycles", "observations"):
            continue  # Django's own groups hold no coaching record
        offered = {f if isinstance(f, str) else f[0] for f in model_admin.list_filter}
        base = f"/operators/{model._meta.app_label}/{model._meta.model_name}/"
        for field in model._meta.concrete_fields:
            if field.name in offered or field.get_internal_type() not in ("CharField", "TextField"):
                continue
            response = client.get(f"{base}?{field.name}__startswith=A")
            assert response.status_code == 400, f"{base} filters by {field.name}"
            tried += 1
    assert tried > 20
