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
from tests.support.browser import browser_test, playwright

pytestmark = browser_test


@pytest.fixture
def observation(transactional_db):
    school = factories.SchoolFactory()
    coach = factories.coach_at(school, user__email="coach@example.org")
    partnership = factories.PartnershipFactory(school=school, coach=coach)
    cycle = factories.GoalFactory(cycle__partnership=partnership).cycle
    return services.observation_start(actor=coach, cycle=cycle, subject="Maths")


def test_notes_typed_offline_arrive_exactly_once_when_back_online(capture_page, observation):
    page = capture_page.page
    capture_page.sign_in()
    capture_page.open(observation)
    assert page.viewport_size["width"] == 390

    capture_page.type_note("T opens with a question on the board.")
    capture_page.add_tally("Open questions")
    capture_page.wait_until_saved()
    assert ObservationNote.objects.filter(observation=observation).count() == 1

    # The classroom Wi-Fi drops. The coach keeps typing and tapping.
    capture_page.go_offline()
    capture_page.type_note("12 of 24 students write an answer.")
    capture_page.type_note("Pairs talk; most on task.")
    page.click(".tally-button")
    page.click(".tally-button")
    playwright.expect(page.locator("#sync-status")).to_contain_text("Offline")
    assert len(capture_page.queue(observation)) == 3  # two notes and one (coalesced) tally total
    assert ObservationNote.objects.filter(observation=observation).count() == 1
    assert page.locator(".note-pending").count() == 2

    # Back online: everything waiting is sent, once.
    capture_page.go_online()
    capture_page.wait_until_saved()
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


def test_the_capture_page_works_without_javascript(capture_page, observation):
    page = capture_page.page
    capture_page.sign_in()
    context = page.context.browser.new_context(java_script_enabled=False)
    context.add_cookies(page.context.cookies())
    plain = context.new_page()
    plain.goto(capture_page.url(f"/observations/{observation.pk}/capture/"))
    plain.fill("#note-text", "Written with scripts off.")
    plain.click("#note-form button[type=submit]")
    assert plain.locator("#notes .note").count() == 1
    assert ObservationNote.objects.get(observation=observation).text == "Written with scripts off."


# Nothing typed is ever lost
# ------------------------------------------------------------------------------


def stored_notes(observation):
    """How many times the server holds each text: every note must be there exactly once."""
    texts = ObservationNote.objects.filter(observation=observation).values_list("text", flat=True)
    return collections.Counter(texts)


def once(*texts):
    return collections.Counter(texts)


def test_notes_typed_after_the_session_ended_wait_until_the_coach_signs_in_again(
    capture_page, observation
):
    page = capture_page.page
    capture_page.sign_in()
    capture_page.open(observation)
    capture_page.type_note("T opens with a question on the board.")
    capture_page.wait_until_saved()

    # The session ends mid-lesson: the server answers 401, not a redirect to sign in.
    page.context.clear_cookies(name="sessionid")
    capture_page.type_note("12 of 24 students write an answer.")
    capture_page.type_note("Pairs talk; most on task.")
    status = page.locator("#sync-status")
    playwright.expect(status).to_contain_text("Signed out — sign in")
    playwright.expect(status).to_contain_text("to send 2 notes")
    assert len(capture_page.queue(observation)) == 2
    assert page.locator(".note-pending").count() == 2
    assert stored_notes(observation) == once("T opens with a question on the board.")

    # The link opens the sign-in page in a new tab, leaving the lesson's page as it is.
    link = status.get_by_role("link", name="sign in")
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("rel") == "noopener"
    with page.context.expect_page() as opened:
        link.click()
    capture_page.tab(opened.value).fill_in_sign_in()

    page.bring_to_front()  # the coach goes back to the lesson
    capture_page.wait_until_saved()
    assert stored_notes(observation) == once(
        "T opens with a question on the board.",
        "12 of 24 students write an answer.",
        "Pairs talk; most on task.",
    )
    assert capture_page.queue(observation) == []


def test_notes_arrive_once_after_a_second_sign_in_changes_the_csrf_token(capture_page, observation):
    page = capture_page.page
    capture_page.sign_in()
    capture_page.open(observation)
    capture_page.type_note("T opens with a question on the board.")
    capture_page.wait_until_saved()

    # The coach signs in again in another tab: the new session brings a new CSRF token, and
    # the one printed in the capture page is stale.
    def csrf_cookie():
        return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")

    printed = csrf_cookie()
    page.context.clear_cookies(name="sessionid")
    other = capture_page.new_tab()
    other.sign_in()
    assert csrf_cookie() != printed
    capture_page.type_note("12 of 24 students write an answer.")
    capture_page.type_note("Pairs talk; most on task.")
    capture_page.wait_until_saved()
    assert stored_notes(observation) == once(
        "T opens with a question on the board.",
        "12 of 24 students write an answer.",
        "Pairs talk; most on task.",
    )

    # With no CSRF cookie at all the server refuses (JSON 403): the note waits, and goes
    # once a page of Tandem has given this browser a token again.
    page.context.clear_cookies(name="csrftoken")
    capture_page.type_note("T circulates.")
    playwright.expect(page.locator("#sync-status")).to_contain_text("Signed out — sign in")
    assert len(capture_page.queue(observation)) == 1
    assert "T circulates." not in stored_notes(observation)
    other.page.reload()
    page.bring_to_front()
    capture_page.wait_until_saved()
    assert stored_notes(observation)["T circulates."] == 1


def test_the_capture_page_reloads_offline_and_what_is_typed_there_arrives_once(
    capture_page, observation
):
    page = capture_page.page
    capture_page.sign_in()
    capture_page.open(observation)
    capture_page.type_note("T opens with a question on the board.")
    capture_page.add_tally("Open questions")
    page.click(".tally-button")
    capture_page.wait_until_saved()
    playwright.expect(page.locator("#capture")).to_have_attribute("data-offline-ready", "true")
    # Another observation page, under the worker's path but not one it may keep.
    other = page.context.new_page()
    other.goto(capture_page.url(f"/observations/{observation.pk}/"))
    reads = AccessEvent.objects.aggregate(n=Sum("repeats"))["n"]

    capture_page.go_offline()
    page.reload()
    # The page came from the device: the server saw no read.
    assert AccessEvent.objects.aggregate(n=Sum("repeats"))["n"] == reads
    # The kept page is older than what was confirmed since; it still shows it, and counts on
    # from the confirmed total.
    playwright.expect(page.locator("#notes .note")).to_have_count(1)
    playwright.expect(page.locator(".tally-count")).to_have_text("1")
    capture_page.type_note("12 of 24 students write an answer.")
    capture_page.type_note("Pairs talk; most on task.")
    page.click(".tally-button")
    playwright.expect(page.locator("#sync-status")).to_contain_text("Offline")
    assert len(capture_page.queue(observation)) == 3
    with pytest.raises(playwright.Error):
        other.reload()

    capture_page.go_online()
    capture_page.wait_until_saved()
    assert stored_notes(observation) == once(
        "T opens with a question on the board.",
        "12 of 24 students write an answer.",
        "Pairs talk; most on task.",
    )
    assert Tally.objects.get(observation=observation).count == 2


def test_notes_wait_while_the_server_fails_and_then_arrive_once(capture_page, observation):
    page = capture_page.page
    capture_page.sign_in()
    capture_page.open(observation)
    status = page.locator("#sync-status")

    # A Wi-Fi portal (or a proxy) answering 200 with a page of its own is no receipt.
    with capture_page.server_answers(200, "<h1>Welcome to SchoolNet</h1>", "text/html"):
        capture_page.type_note("T opens with a question on the board.")
        capture_page.type_note("12 of 24 students write an answer.")
        playwright.expect(status).to_contain_text("Not sent yet: 2 notes kept on this device")

    # Then the server itself fails for a while.
    with capture_page.server_answers(500, "Server Error") as failing:
        failing.wait_for_request()
        playwright.expect(status).to_contain_text("Not sent yet: 2 notes kept on this device")
        assert len(capture_page.queue(observation)) == 2
        assert page.locator(".note-pending").count() == 2
        assert stored_notes(observation) == once()

    capture_page.wait_until_saved()
    assert stored_notes(observation) == once(
        "T opens with a question on the board.",
        "12 of 24 students write an answer.",
    )


def test_a_note_the_server_refuses_stays_marked_not_saved_until_the_coach_decides(
    capture_page, observation
):
    page = capture_page.page
    capture_page.sign_in()
    capture_page.open(observation)

    not_saved = page.locator("#not-saved li")
    refusal = json.dumps({"error": "Too long."})
    with capture_page.server_answers(400, refusal, "application/json"):
        capture_page.type_note("First try.")
        capture_page.type_note("Second try.")
        playwright.expect(not_saved).to_have_count(2)
        playwright.expect(not_saved.first).to_contain_text(
            "Not saved: Note “First try.”. Too long."
        )
        playwright.expect(page.locator("#sync-status")).to_have_text("2 not saved: see below.")
        assert page.locator(".note-refused").count() == 2

    # Refused items are not sent again on their own; the coach chooses for each.
    capture_page.type_note("Third, accepted.")
    playwright.expect(page.locator("#sync-status")).to_have_text("2 not saved: see below.")
    not_saved.first.get_by_role("button", name="Try again").click()
    playwright.expect(not_saved).to_have_count(1)
    not_saved.first.get_by_role("button", name="Discard").click()
    capture_page.wait_until_saved()
    assert page.locator("#notes .note").count() == 2
    assert stored_notes(observation) == once("First try.", "Third, accepted.")
    assert capture_page.queue(observation) == []


def test_signing_out_deletes_queued_notes_and_the_kept_capture_page(capture_page, observation):
    page = capture_page.page
    capture_page.sign_in()
    capture_page.open(observation)
    playwright.expect(page.locator("#capture")).to_have_attribute("data-offline-ready", "true")
    kept = page.evaluate(
        """async () => {
            const cache = await caches.open("tandem-capture");
            return (await cache.keys()).map((request) => new URL(request.url).pathname);
        }"""
    )
    assert f"/observations/{observation.pk}/capture/" in kept
    # Besides the page, its files and the words of its scripts (core/jsi18n.py) only.
    assert all(
        path.startswith(("/static/", "/jsi18n/")) for path in kept if "/capture/" not in path
    )
    assert "/jsi18n/en/" in kept
    with capture_page.server_answers(503):
        capture_page.type_note("Not sent yet.")
        playwright.expect(page.locator("#sync-status")).to_contain_text("Not sent yet")

        # Unsent notes are named before they are deleted; the coach may stay.
        page.once("dialog", lambda dialog: dialog.dismiss())
        capture_page.click_sign_out(leaves=False)
        assert len(capture_page.queue(observation)) == 1
        page.once("dialog", lambda dialog: dialog.accept())
        capture_page.click_sign_out()
        page.wait_for_url(capture_page.url("/accounts/sign-in/"))
    storage = page.evaluate("Object.keys(localStorage)")
    assert [key for key in storage if key.startswith("tandem:observation:")] == []
    assert page.evaluate("caches.keys()") == []


def test_other_pages_say_notes_are_waiting_to_send(capture_page, observation):
    page = capture_page.page
    capture_page.sign_in()
    capture_page.open(observation)

    waiting = page.locator("#waiting-notes")
    link = waiting.get_by_role("link", name="Open the observation to send them")
    with capture_page.server_answers(500, "Server Error"):
        capture_page.type_note("T opens with a question on the board.")
        capture_page.type_note("12 of 24 students write an answer.")
        playwright.expect(page.locator("#sync-status")).to_contain_text("Not sent yet")

        capture_page.goto("/coach/")
        playwright.expect(waiting).to_contain_text("2 notes waiting to send")
        assert link.get_attribute("href") == f"/observations/{observation.pk}/capture/"

    link.click()
    capture_page.wait_until_saved()
    capture_page.goto("/coach/")
    playwright.expect(waiting).to_be_hidden()
    assert stored_notes(observation) == once(
        "T opens with a question on the board.",
        "12 of 24 students write an answer.",
    )


def test_taps_in_two_tabs_of_one_observation_all_count(capture_page, observation):
    page = capture_page.page
    capture_page.sign_in()
    capture_page.open(observation)
    capture_page.add_tally("Open questions")
    capture_page.wait_until_saved()
    other = capture_page.new_tab()
    other.open(observation)

    capture_page.go_offline()
    for _ in range(3):
        page.click(".tally-button")
    for _ in range(2):
        other.page.click(".tally-button")
    capture_page.go_online()
    capture_page.wait_until_saved()
    other.wait_until_saved()
    assert Tally.objects.get(observation=observation).count == 5
    playwright.expect(page.locator(".tally-count")).to_have_text("5")


def test_signed_out_and_in_elsewhere_the_page_works_offline_or_never_claimed_it(
    capture_page, observation
):
    """Signing out (in another tab) clears the service worker and what it kept, as it
    should. The capture page still open must then not claim it is ready offline: it keeps
    itself again once its person is back, says so, and a reload with no network shows it."""
    page = capture_page.page
    capture_page.sign_in()
    capture_page.open(observation)
    status = page.locator("#offline-status")
    playwright.expect(status).to_have_text("Ready offline", timeout=10_000)

    other = capture_page.new_tab()
    other.page.set_viewport_size({"width": 1200, "height": 800})
    other.goto("/coach/")
    other.click_sign_out()
    other.page.wait_for_url(other.url("/accounts/sign-in/"))
    other.fill_in_sign_in()
    other.page.close()

    page.bring_to_front()
    capture_page.type_note("Back after signing in again.")
    capture_page.wait_until_saved()
    playwright.expect(status).to_have_text("Ready offline", timeout=15_000)
    capture_page.go_offline()
    page.reload()
    playwright.expect(page.locator("#capture")).to_be_visible()
    playwright.expect(page.locator("#notes .note")).to_have_count(1)


# In the coach's language
# ------------------------------------------------------------------------------
# Said by the page in every CSP violation, which Chromium writes to its console.
SAYS_CSP = """
document.addEventListener("securitypolicyviolation", (event) =>
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
);
"""


def speak(settings, person, language):
    """Pages in `language` for `person`: the language they chose where Tandem keeps one
    (User.language), and the site's own otherwise."""
    settings.LANGUAGE_CODE = language
    if hasattr(person, "language"):
        person.language = language
        person.save(update_fields=["language"])


def kept_catalogues(page) -> list:
    """The JavaScript catalogues the service worker keeps, by path: one per language."""
    return page.evaluate(
        """async () => {
            const cache = await caches.open("tandem-capture");
            const paths = (await cache.keys()).map((request) => new URL(request.url).pathname);
            return [...new Set(paths.filter((path) => path.startsWith("/jsi18n/")))].sort();
        }"""
    )


def test_the_capture_page_works_offline_in_the_coachs_language_before_and_after_a_change(
    capture_page, observation, settings
):
    """The scripts' words come in the language of the page they run in, online and offline:
    a page kept in Spanish says Spanish things, and once the coach has changed to English
    the page kept in English says English ones. No script fails or breaks the CSP."""
    page = capture_page.page
    page.context.add_init_script(SAYS_CSP)
    problems = []
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on(
        "console", lambda message: problems.append(message.text) if "CSP" in message.text else None
    )
    coach = observation.cycle.partnership.coach
    speak(settings, coach, "es")
    capture_page.sign_in()
    capture_page.open(observation)
    ready, status = page.locator("#offline-status"), page.locator("#sync-status")
    playwright.expect(ready).to_have_text("Disponible sin conexión", timeout=10_000)
    capture_page.type_note("T opens with a question on the board.")
    playwright.expect(status).to_have_text("Todo está guardado.", timeout=12_000)

    capture_page.go_offline()
    page.reload()
    capture_page.type_note("12 of 24 students write an answer.")
    playwright.expect(status).to_contain_text("Sin conexión: 1 nota en espera")
    assert kept_catalogues(page) == ["/jsi18n/es/"]
    capture_page.go_online()
    playwright.expect(status).to_have_text("Todo está guardado.", timeout=12_000)

    # The coach changes to English: the page comes in English, and is kept in English.
    speak(settings, coach, "en")
    page.reload()
    playwright.expect(ready).to_have_text("Ready offline", timeout=15_000)
    capture_page.go_offline()
    page.reload()
    capture_page.type_note("Pairs talk; most on task.")
    playwright.expect(status).to_contain_text("Offline: 1 note kept on this device")
    assert kept_catalogues(page) == ["/jsi18n/en/", "/jsi18n/es/"]
    capture_page.go_online()
    capture_page.wait_until_saved()
    assert stored_notes(observation) == once(
        "T opens with a question on the board.",
        "12 of 24 students write an answer.",
        "Pairs talk; most on task.",
    )
    assert problems == []
