"""A coach captures a lesson on a phone-sized screen, loses the connection mid-lesson, keeps
typing, and every note arrives exactly once when the connection returns."""

import shutil

import pytest
from django.utils import timezone

from observations import services
from observations.models import ObservationNote, Tally
from tests import factories

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no Chromium found: install Debian's `chromium` package (.ci/run does)",
    ),
]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # alongside it are ordinary synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()


@pytest.fixture
def observation(transactional_db):
    school = factories.SchoolFactory()
    coach = factories.coach_at(school, user__email="coach@example.org")
    partnership = factories.PartnershipFactory(school=school, coach=coach)
    cycle = factories.GoalFactory(cycle__partnership=partnership).cycle
    return services.observation_start(actor=coach, cycle=cycle, subject="Maths")


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.fill("input[name=username]", "coach@example.org")
    page.fill("input[name=password]", "a-good-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/coach/")


def type_note(page, text):
    page.fill("#note-text", text)
    page.click("#note-form button[type=submit]")


def wait_until_saved(page):
    # Locator assertions rather than wait_for_function: the page's CSP forbids eval.
    playwright.expect(page.locator("#sync-status")).to_have_text("All notes are saved.")


def test_notes_typed_offline_arrive_exactly_once_when_back_online(
    live_server, browser_page, observation
):
    page = browser_page
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/observations/{observation.pk}/capture/")
    assert page.viewport_size["width"] == 390

    type_note(page, "T opens with a question on the board.")
    page.fill("#tally-form input[name=label]", "Open questions")
    page.click("#tally-form button[type=submit]")
    wait_until_saved(page)
    assert ObservationNote.objects.filter(observation=observation).count() == 1

    # The classroom Wi-Fi drops. The coach keeps typing and tapping.
    page.context.set_offline(True)
    type_note(page, "12 of 24 students write an answer.")
    type_note(page, "Pairs talk; most on task.")
    page.click(".tally-button")
    page.click(".tally-button")
    playwright.expect(page.locator("#sync-status")).to_contain_text("Offline")
    queued = page.evaluate(
        f"JSON.parse(localStorage.getItem('tandem:observation:{observation.pk}:queue')).length"
    )
    assert queued == 3  # two notes and one (coalesced) tally total
    assert ObservationNote.objects.filter(observation=observation).count() == 1
    assert page.locator(".note-pending").count() == 2

    # Back online: everything waiting is sent, once.
    page.context.set_offline(False)
    wait_until_saved(page)
    notes = ObservationNote.objects.filter(observation=observation).order_by("noted_at")
    assert [n.text for n in notes] == [
        "T opens with a question on the board.",
        "12 of 24 students write an answer.",
        "Pairs talk; most on task.",
    ]
    assert Tally.objects.get(observation=observation).count == 2
    assert page.locator(".note-pending").count() == 0

    # A reload shows what the server holds: nothing lost, nothing doubled.
    page.reload()
    assert page.locator("#notes .note").count() == 3
    observation.refresh_from_db()
    assert observation.note_count == 3
    assert observation.observed_at <= timezone.now()


def test_the_capture_page_works_without_javascript(live_server, observation, browser_page):
    page = browser_page
    sign_in(page, live_server)
    context = page.context.browser.new_context(java_script_enabled=False)
    context.add_cookies(page.context.cookies())
    plain = context.new_page()
    plain.goto(f"{live_server.url}/observations/{observation.pk}/capture/")
    plain.fill("#note-text", "Written with scripts off.")
    plain.click("#note-form button[type=submit]")
    assert plain.locator("#notes .note").count() == 1
    assert ObservationNote.objects.get(observation=observation).text == "Written with scripts off."
