"""Canary strings in every confidential field, searched for in everything administrators,
a colleague teacher and a coach of another school can reach.

Each of those people crawls the site from every page that takes no parameter, following
every link (list pages to detail pages to exports), and no canary, and no observed
teacher's name or e-mail address, may appear in any answer. Then each confidential record's
own URL is requested directly: every one answers 404.
"""

import datetime
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

from tests import factories
from tests.support.urlwalk import all_routes, url_for

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
    # The coach's comment bank: their own phrases, for nobody else's eyes.
    fill(world.phrase, "text")
    fill(world.partnership.seat_layouts.create(name="x", rows=2, columns=2), "name")
    # Lesson video: the one shared with the coach, and one the teacher keeps to themselves,
    # each with a comment and a question tagged with the look-for the teacher chose.
    for video in (world.video, factories.VideoFactory(cycle=world.cycle, owner=teacher)):
        fill(video, "title")
        fill(factories.VideoCommentFactory(video=video), "text")
        question = factories.VideoCommentFactory(
            video=video, kind="question", look_for=world.look_for
        )
        fill(question, "text")
    fill(world.video_comment, "text")
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


def _search_finds_nothing(client, canaries, who):
    """Each canary, and the word they all share, searched for: no result, no count."""
    for query in ["CANARY", *canaries]:
        response = client.get("/search/", {"q": query})
        # What was typed is shown back (the title, the box); anything else is a leak.
        body = response.content.decode(errors="replace").replace(query, "")
        assert not CANARY.search(body), f"{who} found {CANARY.search(body)[0]} by searching"
        if response.status_code == 200:
            assert "None of your records holds" in body, f"{who} had results for {query}"
        else:
            assert response.status_code in (302, 404), f"{who}: search said {response}"


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_searching_for_every_canary_finds_nothing_outside_the_partnership(
    request, client_for, canaries, persona
):
    _search_finds_nothing(client_for(request.getfixturevalue(persona)), canaries, persona)


@pytest.mark.parametrize("way", ["role at the school removed", "account deactivated"])
def test_searching_for_every_canary_finds_nothing_for_a_teacher_who_left(
    client_for, canaries, world, coach, teacher, way
):
    WAYS_OF_LEAVING[way](coach, teacher, world.partnership)
    teacher.refresh_from_db()
    _search_finds_nothing(client_for(teacher), canaries, f"the teacher who left ({way})")


def test_the_teacher_and_coach_do_find_what_is_theirs(client_for, canaries, world, coach, teacher):
    """The canary search above is not empty by accident: those inside find their own."""
    page = client_for(coach).get("/search/", {"q": "CANARY"}).content.decode()
    assert "of your records match" in page
    page = client_for(teacher).get("/search/", {"q": world.shared.strengths}).content.decode()
    assert "1 of your records matches" in page


CONFIDENTIAL = (
    "partnership",
    "meeting",
    "next_step",
    "cycle",
    "reflection",
    "observation",
    "phrase",
    "video",
    "comment",
)


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
        "phrase": world.phrase.pk,
        "video": world.video.pk,
        "comment": world.video_comment.pk,
    }
    checked = set()
    for name, route in all_routes():
        if not any(f":{kind}>" in route for kind in CONFIDENTIAL):
            continue
        for reflection in (world.teacher_private, world.teacher_shared, world.coach_private):
            for observation in (world.shared, world.draft):
                url = url_for(
                    route, reflection=reflection.pk, observation=observation.pk, **records
                )
                if url in checked:
                    continue  # a route of no reflection or observation: asked already
                checked.add(url)
                # GET for pages, POST for actions: a method the URL does not take may say
                # 405, which reveals nothing; the other must say 404.
                statuses = {client.get(url).status_code, client.post(url).status_code}
                assert 404 in statuses, f"{persona}: {name} {url} answered {statuses}"
                assert statuses <= {404, 405}, f"{persona}: {name} {url} answered {statuses}"
    assert len(checked) > 30


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


# A teacher who left a team ------------------------------------------------------------


def _leave_by_removal(coach, leaver, partnership):
    from coaching.services import partnership_remove_teacher

    partnership_remove_teacher(actor=coach, member=partnership.members.get(teacher=leaver))


def _leave_by_losing_the_role(coach, leaver, partnership):
    leaver.memberships.filter(school=partnership.school).delete()


def _leave_by_deactivation(coach, leaver, partnership):
    from accounts.services import person_set_active

    admin = factories.school_admin_at(partnership.school)
    person_set_active(actor=admin, user=leaver, active=False)


WAYS_OF_LEAVING = {
    "removed from the team": _leave_by_removal,
    "role at the school removed": _leave_by_losing_the_role,
    "account deactivated": _leave_by_deactivation,
}


@pytest.mark.parametrize("way", WAYS_OF_LEAVING)
def test_nothing_observed_after_a_teacher_left_the_team_reaches_them(
    client, clock, coach, teacher, colleague, school, way, django_capture_on_commit_callbacks
):
    """Everything the coach records after the teacher left (a lesson observed, its notes,
    feedback and the colleague's answer, a meeting, a next step, progress) is a canary;
    none reaches the one who left by page, e-mail or their records export. What they were
    part of before stays theirs."""
    from django.core import mail

    from observations.models import Observation
    from records.bundle import build

    team = factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher, colleague])
    goal = factories.GoalFactory(cycle__partnership=team)
    before = factories.ObservationFactory(
        cycle=goal.cycle, status="shared", teachers=[teacher, colleague], strengths="BEFORE-1"
    )
    # A lesson observed while both were in the team, shared after one left.
    draft = factories.ObservationFactory(
        cycle=goal.cycle, teachers=[teacher, colleague], strengths="CANARY-DRAFT-LATE-1"
    )
    clock.shift(datetime.timedelta(hours=1))
    WAYS_OF_LEAVING[way](coach, colleague, team)
    clock.shift(datetime.timedelta(hours=1))

    coaching = factories.sign_in(client, coach)
    with django_capture_on_commit_callbacks(execute=True):
        coaching.post(
            f"/cycles/{goal.cycle.pk}/observations/new/",
            {"subject": "CANARY-SUBJECT-1", "grade": "3", "period": "1"},
        )
        lesson = Observation.objects.exclude(pk__in=[before.pk, draft.pk]).get()
        coaching.post(f"/observations/{lesson.pk}/notes/", {"text": "CANARY-NOTE-1"})
        coaching.post(
            f"/observations/{lesson.pk}/feedback/",
            {"strengths": "CANARY-STRENGTHS-1", "wonderings": "", "next_steps": ""},
        )
        coaching.post(f"/observations/{lesson.pk}/share/")
        coaching.post(f"/observations/{draft.pk}/share/")
    assert list(lesson.teachers.all()) == [teacher]
    assert list(draft.teachers.all()) == [teacher]
    lesson.responses.create(teacher=teacher, text="CANARY-ANSWER-1")
    factories.MeetingFactory(partnership=team, agenda="CANARY-AGENDA-1")
    factories.NextStepFactory(partnership=team, text="CANARY-STEP-1")
    factories.ProgressPointFactory(goal=goal, note="CANARY-PROGRESS-1")

    # E-mail: the one who stayed hears of both lessons; the one who left of neither.
    assert [m.to for m in mail.outbox if "shared feedback" in m.subject] == [[teacher.email]] * 2
    to_them = [m for m in mail.outbox if colleague.email in m.to]
    assert not [m for m in to_them if "feedback" in m.subject or CANARY.search(m.body)]

    # Pages: whatever they may still open, nothing new; the new lesson's own page is 404.
    client.logout()
    colleague.refresh_from_db()
    leaving = factories.sign_in(client, colleague)
    for url in (f"/observations/{lesson.pk}/", f"/observations/{draft.pk}/"):
        assert leaving.get(url).status_code in (302, 404)
    start = ["/", "/my-records/", "/my-records/feedback/", "/my-records/access/"]
    for url, response in crawl(leaving, start).items():
        body = response.content.decode(errors="replace")
        assert not CANARY.search(body), (
            f"the teacher who left read {CANARY.search(body)[0]} at {url}"
        )

    # Their export: what they were part of before they left, and nothing after.
    archive = build(colleague, made_at=timezone_now())
    import zipfile

    with zipfile.ZipFile(archive) as zipped:
        everything = "".join(zipped.read(name).decode("utf-8-sig") for name in zipped.namelist())
    archive.unlink()
    assert "BEFORE-1" in everything
    assert not CANARY.search(everything), CANARY.search(everything)[0]


def timezone_now():
    from django.utils import timezone

    return timezone.now()
