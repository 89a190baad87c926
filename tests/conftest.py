"""The people every test can call on, one fixture each.

The coach and teacher work at `school`; the colleague teaches there too; the other coach
works at `other_school`, in the same district; the school administrator runs `school`; the
district administrator oversees both schools; the lead coach of the district supports the
coach (not the other coach).
"""

import datetime
import io
import os
import sys
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from tests import factories

# Every test runs at this instant, whatever the wall clock says. It is chosen to be awkward:
# Sunday 23:30 in Chicago (the factories' school zone) is already Monday 05:30 in UTC, so
# a page or a test that takes "today" or "this week" from UTC instead of the school's zone
# fails on every run, not only at night. TANDEM_TEST_NOW (ISO 8601) moves it, to show the
# suite passes at any other instant too.
FROZEN_AT = datetime.datetime.fromisoformat(
    os.environ.get("TANDEM_TEST_NOW") or "2026-11-23T05:30:00+00:00"
)


@pytest.fixture(autouse=True)
def clock():
    """The frozen clock: `clock.move_to(instant)` or `clock.shift(timedelta)` to cross a
    boundary on purpose."""
    with time_machine.travel(FROZEN_AT, tick=False) as traveller:
        yield traveller


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests run last in each process (after pytest-django's own order), so that the
    run's one Chromium, and the event loop Playwright keeps beside it, start only once every
    other test has run (tests/support/browser.py)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: sign-in failure counts live there."""
    cache.clear()


# Who works where, by the fixture of their place; each persona is a fixture of that name.
PEOPLE = {
    "coach": ("school", factories.coach_at, "Maya Okafor", "maya@example.org"),
    "teacher": ("school", factories.teacher_at, "Daniel Reyes", "daniel@example.org"),
    "colleague": ("school", factories.teacher_at, "Amara Bello", "amara@example.org"),
    "other_coach": ("other_school", factories.coach_at, "Lena Novak", "lena@example.org"),
    "school_admin": ("school", factories.school_admin_at, "Grace Whitfield", "grace@example.org"),
    "district_admin": (
        "district",
        factories.district_admin_of,
        "Henry Lindqvist",
        "henry@example.org",
    ),
    "lead": ("district", factories.lead_of_district, "Rosa Lindgren", "rosa@example.org"),
}


def make_person(name, place):
    _, make, full_name, email = PEOPLE[name]
    return make(place, user__full_name=full_name, user__email=email)


def make_district():
    return factories.DistrictFactory(name="Riverside Unified")


def make_school(district):
    return factories.SchoolFactory(district=district, name="Riverside Elementary")


def make_other_school(district):
    return factories.SchoolFactory(district=district, name="Hillcrest Middle School")


def make_partnership(coach, teacher, school):
    return factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher])


def make_cycle(partnership):
    return factories.GoalFactory(cycle__partnership=partnership).cycle


def make_world(partnership, cycle, coach, teacher, district):
    meeting = factories.MeetingFactory(partnership=partnership)
    world = SimpleNamespace(
        partnership=partnership,
        cycle=cycle,
        goal=cycle.goal,
        meeting=meeting,
        teacher_step=factories.NextStepFactory(partnership=partnership, meeting=meeting),
        coach_step=factories.NextStepFactory(partnership=partnership, owner="coach"),
        note=factories.CoachNoteFactory(partnership=partnership, coach=coach),
        point=factories.ProgressPointFactory(goal=cycle.goal),
        teacher_private=factories.ReflectionFactory(
            cycle=cycle, author=teacher, visibility="private", text="Teacher's private thought"
        ),
        teacher_shared=factories.ReflectionFactory(
            cycle=cycle, author=teacher, visibility="shared", text="Teacher's shared thought"
        ),
        coach_private=factories.ReflectionFactory(
            cycle=cycle, author=coach, visibility="private", text="Coach's private thought"
        ),
        entry=factories.ActivityEntryFactory(coach=coach, school=partnership.school),
        strategy=factories.StrategyFactory(district=district),
        teacher=teacher,
        shared=factories.ObservationFactory(cycle=cycle, status="shared"),
        draft=factories.ObservationFactory(cycle=cycle),
        template=factories.LookForTemplateFactory(district=district),
        # Asked for by the teacher for the cycle's next lesson.
        look_for=factories.ChosenLookForFactory(cycle=cycle, observation=None),
        phrase=factories.CommentBankPhraseFactory(coach=coach),
        # The teacher's, shared with their coach, who commented on it.
        video=factories.VideoFactory(cycle=cycle, owner=teacher, share_with_coach=True),
    )
    world.video_comment = factories.VideoCommentFactory(video=world.video, author=coach)
    # The coach's own growth: a goal, a reflection kept and one shared, a conversation and a
    # next step (their lead, when there is one, is the `lead` persona's support).
    world.growth = factories.growth_cycle(coach)
    world.growth_private = world.growth.reflections.create(text="Kept to myself")
    # Shared with the lead persona's support once there is one (`world_once`, `lead`).
    world.growth_shared = world.growth.reflections.create(text="Shared")
    world.growth_meeting = world.growth.meetings.create(
        kind="planning", held_on=world.growth.started_on, notes="Planned", written_by=coach
    )
    world.growth_step = world.growth.steps.create(text="Record a debrief")
    return world


@pytest.fixture
def district(db):
    return make_district()


@pytest.fixture
def school(district):
    return make_school(district)


@pytest.fixture
def today(school):
    """Today's date at `school`, which is what its pages call today."""
    return school.today()


@pytest.fixture
def other_school(district):
    return make_other_school(district)


@pytest.fixture
def coach(school):
    return make_person("coach", school)


@pytest.fixture
def teacher(school):
    return make_person("teacher", school)


@pytest.fixture
def colleague(school):
    return make_person("colleague", school)


@pytest.fixture
def other_coach(other_school):
    return make_person("other_coach", other_school)


@pytest.fixture
def school_admin(school):
    return make_person("school_admin", school)


@pytest.fixture
def district_admin(district):
    return make_person("district_admin", district)


@pytest.fixture
def lead(district, coach):
    """The district's lead coach, who supports the coach."""
    person = make_person("lead", district)
    factories.lead_support(person, coach)
    return person


@pytest.fixture
def client_for(client):
    """Sign the test client in as a person and return it: `client_for(coach).get(...)`."""

    def sign_in(user):
        return factories.sign_in(client, user)

    return sign_in


@pytest.fixture
def partnership(coach, teacher, school):
    """An active partnership of `coach` and `teacher`."""
    return make_partnership(coach, teacher, school)


@pytest.fixture
def cycle(partnership):
    """An open cycle in the learn phase, with its goal."""
    return make_cycle(partnership)


@pytest.fixture
def world(partnership, cycle, coach, teacher, district):
    """One of every coaching record of the partnership, for tests that walk every page."""
    return make_world(partnership, cycle, coach, teacher, district)


# Built once for a module ----------------------------------------------------------------


def built_once(django_db_blocker, build, at=FROZEN_AT):
    """For a module-scoped fixture to `yield from`: what `build()` makes at the instant `at`,
    in a transaction rolled back after the module. Each test of the module still runs in a
    transaction of its own inside it (and must ask for the database as usual), but an object
    a test changes in memory stays changed for the next: for data the tests only read."""
    module = transaction.atomic()
    with django_db_blocker.unblock():
        module.__enter__()
        try:
            with time_machine.travel(at, tick=False):
                built = build()
        except BaseException:
            module.__exit__(*sys.exc_info())
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module.__exit__(None, None, None)


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """`world`, its places and every persona, built once for a module whose tests only read
    them (tests/site/test_permission_matrix.py takes them in place of the fixtures above),
    with the instant they were built at (`at`)."""

    def build():
        places = SimpleNamespace(district=make_district())
        places.school = make_school(places.district)
        places.other_school = make_other_school(places.district)
        people = {name: make_person(name, getattr(places, PEOPLE[name][0])) for name in PEOPLE}
        partnership = make_partnership(people["coach"], people["teacher"], places.school)
        cycle = make_cycle(partnership)
        world = make_world(partnership, cycle, people["coach"], people["teacher"], places.district)
        world.support = factories.lead_support(people["lead"], people["coach"])
        world.growth_shared.shared_with = world.support
        world.growth_shared.save()
        world.growth_meeting.support = world.support
        world.growth_meeting.save()
        return SimpleNamespace(**vars(places), people=people, world=world, at=FROZEN_AT)

    yield from built_once(django_db_blocker, build)


DEMO_PASSWORD = "pw-for-tests"


@pytest.fixture(scope="module")
def demo_once(request, django_db_setup, django_db_blocker):
    """The demo (`manage.py seed_demo`, every password DEMO_PASSWORD) seeded once for a module,
    at the suite's instant or at the one a module parametrizes this fixture with. Returns
    the instant it was seeded at."""
    at = getattr(request, "param", None) or FROZEN_AT

    def build():
        call_command("seed_demo", password=DEMO_PASSWORD, stdout=io.StringIO())
        return at

    yield from built_once(django_db_blocker, build, at)


# Browsers ---------------------------------------------------------------------------------
# tests/support/browser.py is imported inside the fixtures: it skips what needs it where
# Playwright is not installed, which must not stop the rest of the suite.


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the whole run (one per pytest-xdist process)."""
    from tests.support.browser import running_chromium

    yield from running_chromium()


@pytest.fixture
def browser(chromium, live_server, transactional_db):
    """The run's Chromium, for a test to open contexts in: each is closed after the test, so
    no cookie, storage or service worker outlives it.

    Set up after the database and the live server, so torn down before them: a page still
    sending (a capture page's queue, a form) is closed before the database is emptied. On
    SQLite the live server shares the test's connection, and one request arriving during
    the emptying once broke every test after it."""
    yield chromium
    for context in chromium.contexts:
        context.close()


@pytest.fixture
def phone_page(browser):
    """A page the size of a phone (390 × 844) in a context of its own."""
    from tests.support.browser import phone_page

    return phone_page(browser)


@pytest.fixture
def capture_page(phone_page, live_server):
    """`phone_page` on the live server, with the steps of observing a lesson by name. The
    page reaches the server through a link the test can cut (`capture_page.go_offline()`)."""
    from urllib.parse import urlsplit

    from tests.support.capture_page import CapturePage
    from tests.support.network import NetworkLink

    server = urlsplit(live_server.url)
    link = NetworkLink((server.hostname, server.port))
    yield CapturePage(phone_page, link)
    link.close()


# Signing in with the district's accounts ------------------------------------------------


@pytest.fixture(scope="session")
def openid_provider(live_server):
    """A real OpenID provider on this machine, at the suite's frozen instant, with Tandem's
    live server registered as its client (tests/support/openid.py)."""
    import socket

    from tests.support.openid import OpenIDProvider, installed

    installed()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = OpenIDProvider(port, live_server.url, FROZEN_AT.isoformat())
    yield provider
    provider.stop()


@pytest.fixture
def district_sign_in(settings, openid_provider):
    """Tandem configured for the test provider as Google, Microsoft and "ClassLink"."""
    from tests.support.openid import tandem_apps

    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"APPS": tandem_apps(openid_provider.url), "OAUTH_PKCE_ENABLED": True}
    }
    return openid_provider
