"""A coach captures a lesson on a phone-sized screen, loses the connection mid-lesson, keeps
typing, and every note arrives exactly once when the connection returns.

Nothing typed is lost whatever else goes wrong: the session ends, the CSRF token changes,
the page is reloaded with no network, the server fails or refuses. Signing out leaves
nothing of the observation on the device."""

import collections
import json

import pytest
from django.db.models import Sum
from django.utils import timezone

from observations import services
from observations.models import AccessEvent, ObservationNote, Tally
from tests import factories
from tests.browser import browser_test, phone_page, playwright

pytestmark = browser_test


@pytest.fixture
def browser_page(monkeypatch):
    yield from phone_page(monkeypatch)


@pytest.fixture
def observation(transactional_db):
    school = factories.SchoolFactory()
    coach = factories.coach_at(school, user__email="coach@example.org")
    partnership = factories.PartnershipFactory(school=school, coach=coach)
    cycle = factories.GoalFactory(cycle__partnership=partnership).cycle
    return services.observation_start(actor=coach, cycle=cycle, subject="Maths")


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    fill_in_sign_in(page, live_server)


def fill_in_sign_in(page, live_server):
    page.fill("input[name=username]", "coach@example.org")
    page.fill("input[name=password]", "a-good-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/coach/")


def type_note(page, text):
    page.fill("#note-text", text)
    page.click("#note-form button[type=submit]")


def wait_until_saved(page):
    # Locator assertions rather than wait_for_function: the page's CSP forbids eval.
    # Within two of the page's 5-second retries.
    playwright.expect(page.locator("#sync-status")).to_have_text(
        "Everything is saved.", timeout=12_000
    )


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
    notes = ObservationNote.objects.filter(observation=observation)
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


# Nothing typed is ever lost
# ------------------------------------------------------------------------------


def open_capture(page, live_server, observation):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/observations/{observation.pk}/capture/")


def queue_of(page, observation):
    return page.evaluate(
        f"JSON.parse(localStorage.getItem('tandem:observation:{observation.pk}:queue') || '[]')"
    )


def stored_notes(observation):
    """How many times the server holds each text: every note must be there exactly once."""
    texts = ObservationNote.objects.filter(observation=observation).values_list("text", flat=True)
    return collections.Counter(texts)


def once(*texts):
    return collections.Counter(texts)


def test_notes_typed_after_the_session_ended_wait_until_the_coach_signs_in_again(
    live_server, browser_page, observation
):
    page = browser_page
    open_capture(page, live_server, observation)
    type_note(page, "T opens with a question on the board.")
    wait_until_saved(page)

    # The session ends mid-lesson: the server answers 401, not a redirect to sign in.
    page.context.clear_cookies(name="sessionid")
    type_note(page, "12 of 24 students write an answer.")
    type_note(page, "Pairs talk; most on task.")
    status = page.locator("#sync-status")
    playwright.expect(status).to_contain_text("Signed out — sign in")
    playwright.expect(status).to_contain_text("to send 2 notes")
    assert len(queue_of(page, observation)) == 2
    assert page.locator(".note-pending").count() == 2
    assert stored_notes(observation) == once("T opens with a question on the board.")

    # The link opens the sign-in page in a new tab, leaving the lesson's page as it is.
    link = status.get_by_role("link", name="sign in")
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("rel") == "noopener"
    with page.context.expect_page() as opened:
        link.click()
    fill_in_sign_in(opened.value, live_server)

    page.bring_to_front()  # the coach goes back to the lesson
    wait_until_saved(page)
    assert stored_notes(observation) == once(
        "T opens with a question on the board.",
        "12 of 24 students write an answer.",
        "Pairs talk; most on task.",
    )
    assert queue_of(page, observation) == []


def test_notes_arrive_once_after_a_second_sign_in_changes_the_csrf_token(
    live_server, browser_page, observation
):
    page = browser_page
    open_capture(page, live_server, observation)
    type_note(page, "T opens with a question on the board.")
    wait_until_saved(page)

    # The coach signs in again in another tab: the new session brings a new CSRF token, and
    # the one printed in the capture page is stale.
    def csrf_cookie():
        return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")

    printed = csrf_cookie()
    page.context.clear_cookies(name="sessionid")
    other = page.context.new_page()
    sign_in(other, live_server)
    assert csrf_cookie() != printed
    type_note(page, "12 of 24 students write an answer.")
    type_note(page, "Pairs talk; most on task.")
    wait_until_saved(page)
    assert stored_notes(observation) == once(
        "T opens with a question on the board.",
        "12 of 24 students write an answer.",
        "Pairs talk; most on task.",
    )

    # With no CSRF cookie at all the server refuses (JSON 403): the note waits, and goes
    # once a page of Tandem has given this browser a token again.
    page.context.clear_cookies(name="csrftoken")
    type_note(page, "T circulates.")
    playwright.expect(page.locator("#sync-status")).to_contain_text("Signed out — sign in")
    assert len(queue_of(page, observation)) == 1
    assert "T circulates." not in stored_notes(observation)
    other.reload()
    page.bring_to_front()
    wait_until_saved(page)
    assert stored_notes(observation)["T circulates."] == 1


def test_the_capture_page_reloads_offline_and_what_is_typed_there_arrives_once(
    live_server, browser_page, observation
):
    page = browser_page
    open_capture(page, live_server, observation)
    type_note(page, "T opens with a question on the board.")
    page.fill("#tally-form input[name=label]", "Open questions")
    page.click("#tally-form button[type=submit]")
    page.click(".tally-button")
    wait_until_saved(page)
    playwright.expect(page.locator("#capture")).to_have_attribute("data-offline-ready", "true")
    # Another observation page, under the worker's path but not one it may keep.
    other = page.context.new_page()
    other.goto(f"{live_server.url}/observations/{observation.pk}/")
    reads = AccessEvent.objects.aggregate(n=Sum("repeats"))["n"]

    page.context.set_offline(True)
    page.reload()
    # The page came from the device: the server saw no read.
    assert AccessEvent.objects.aggregate(n=Sum("repeats"))["n"] == reads
    # The kept page is older than what was confirmed since; it still shows it, and counts on
    # from the confirmed total.
    playwright.expect(page.locator("#notes .note")).to_have_count(1)
    playwright.expect(page.locator(".tally-count")).to_have_text("1")
    type_note(page, "12 of 24 students write an answer.")
    type_note(page, "Pairs talk; most on task.")
    page.click(".tally-button")
    playwright.expect(page.locator("#sync-status")).to_contain_text("Offline")
    assert len(queue_of(page, observation)) == 3
    with pytest.raises(playwright.Error):
        other.reload()

    page.context.set_offline(False)
    wait_until_saved(page)
    assert stored_notes(observation) == once(
        "T opens with a question on the board.",
        "12 of 24 students write an answer.",
        "Pairs talk; most on task.",
    )
    assert Tally.objects.get(observation=observation).count == 2


def test_notes_wait_while_the_server_fails_and_then_arrive_once(
    live_server, browser_page, observation
):
    page = browser_page
    open_capture(page, live_server, observation)
    status = page.locator("#sync-status")

    # A Wi-Fi portal (or a proxy) answering 200 with a page of its own is no receipt.
    def portal(route):
        route.fulfill(status=200, content_type="text/html", body="<h1>Welcome to SchoolNet</h1>")

    # Routed on the context: requests that pass through the service worker are caught there.
    page.context.route("**/notes/", portal)
    type_note(page, "T opens with a question on the board.")
    type_note(page, "12 of 24 students write an answer.")
    playwright.expect(status).to_contain_text("Not sent yet: 2 notes kept on this device")
    page.context.unroute("**/notes/", portal)

    # Then the server itself fails for a while.
    def failing(route):
        route.fulfill(status=500, body="Server Error")

    page.context.route("**/notes/", failing)
    page.wait_for_event("requestfinished", lambda r: r.url.endswith("/notes/"))
    playwright.expect(status).to_contain_text("Not sent yet: 2 notes kept on this device")
    assert len(queue_of(page, observation)) == 2
    assert page.locator(".note-pending").count() == 2
    assert stored_notes(observation) == once()
    page.context.unroute("**/notes/", failing)

    wait_until_saved(page)
    assert stored_notes(observation) == once(
        "T opens with a question on the board.",
        "12 of 24 students write an answer.",
    )


def test_a_note_the_server_refuses_stays_marked_not_saved_until_the_coach_decides(
    live_server, browser_page, observation
):
    page = browser_page
    open_capture(page, live_server, observation)

    def refusing(route):
        route.fulfill(
            status=400, content_type="application/json", body=json.dumps({"error": "Too long."})
        )

    page.context.route("**/notes/", refusing)
    type_note(page, "First try.")
    type_note(page, "Second try.")
    not_saved = page.locator("#not-saved li")
    playwright.expect(not_saved).to_have_count(2)
    playwright.expect(not_saved.first).to_contain_text("Not saved: Note “First try.”. Too long.")
    playwright.expect(page.locator("#sync-status")).to_have_text("2 not saved: see below.")
    assert page.locator(".note-refused").count() == 2
    page.context.unroute("**/notes/", refusing)

    # Refused items are not sent again on their own; the coach chooses for each.
    type_note(page, "Third, accepted.")
    playwright.expect(page.locator("#sync-status")).to_have_text("2 not saved: see below.")
    not_saved.first.get_by_role("button", name="Try again").click()
    playwright.expect(not_saved).to_have_count(1)
    not_saved.first.get_by_role("button", name="Discard").click()
    wait_until_saved(page)
    assert page.locator("#notes .note").count() == 2
    assert stored_notes(observation) == once("First try.", "Third, accepted.")
    assert queue_of(page, observation) == []


def click_sign_out(page):
    sign_out = page.get_by_role("button", name="Sign out")
    if not page.locator("#main-nav").is_visible():
        page.click(".navbar-toggler")
    if not sign_out.is_visible():
        page.locator("#main-nav .dropdown-toggle").last.click()
    sign_out.click()


def test_signing_out_deletes_queued_notes_and_the_kept_capture_page(
    live_server, browser_page, observation
):
    page = browser_page
    open_capture(page, live_server, observation)
    playwright.expect(page.locator("#capture")).to_have_attribute("data-offline-ready", "true")
    kept = page.evaluate(
        """async () => {
            const cache = await caches.open("tandem-capture");
            return (await cache.keys()).map((request) => new URL(request.url).pathname);
        }"""
    )
    assert f"/observations/{observation.pk}/capture/" in kept
    assert all(path.startswith("/static/") for path in kept if "/capture/" not in path)
    page.context.route("**/notes/", lambda route: route.fulfill(status=503))
    type_note(page, "Not sent yet.")
    playwright.expect(page.locator("#sync-status")).to_contain_text("Not sent yet")

    # Unsent notes are named before they are deleted; the coach may stay.
    page.once("dialog", lambda dialog: dialog.dismiss())
    click_sign_out(page)
    assert len(queue_of(page, observation)) == 1
    page.once("dialog", lambda dialog: dialog.accept())
    click_sign_out(page)
    page.wait_for_url(f"{live_server.url}/accounts/sign-in/")
    storage = page.evaluate("Object.keys(localStorage)")
    assert [key for key in storage if key.startswith("tandem:observation:")] == []
    assert page.evaluate("caches.keys()") == []


def test_other_pages_say_notes_are_waiting_to_send(live_server, browser_page, observation):
    page = browser_page
    open_capture(page, live_server, observation)

    def failing(route):
        route.fulfill(status=500, body="Server Error")

    page.context.route("**/notes/", failing)
    type_note(page, "T opens with a question on the board.")
    type_note(page, "12 of 24 students write an answer.")
    playwright.expect(page.locator("#sync-status")).to_contain_text("Not sent yet")

    page.goto(f"{live_server.url}/coach/")
    waiting = page.locator("#waiting-notes")
    playwright.expect(waiting).to_contain_text("2 notes waiting to send")
    link = waiting.get_by_role("link", name="Open the observation to send them")
    assert link.get_attribute("href") == f"/observations/{observation.pk}/capture/"

    page.context.unroute("**/notes/", failing)
    link.click()
    wait_until_saved(page)
    page.goto(f"{live_server.url}/coach/")
    playwright.expect(waiting).to_be_hidden()
    assert stored_notes(observation) == once(
        "T opens with a question on the board.",
        "12 of 24 students write an answer.",
    )


def test_taps_in_two_tabs_of_one_observation_all_count(live_server, browser_page, observation):
    page = browser_page
    open_capture(page, live_server, observation)
    page.fill("#tally-form input[name=label]", "Open questions")
    page.click("#tally-form button[type=submit]")
    wait_until_saved(page)
    other = page.context.new_page()
    other.goto(f"{live_server.url}/observations/{observation.pk}/capture/")

    page.context.set_offline(True)
    for _ in range(3):
        page.click(".tally-button")
    for _ in range(2):
        other.click(".tally-button")
    page.context.set_offline(False)
    wait_until_saved(page)
    wait_until_saved(other)
    assert Tally.objects.get(observation=observation).count == 5
    playwright.expect(page.locator(".tally-count")).to_have_text("5")
