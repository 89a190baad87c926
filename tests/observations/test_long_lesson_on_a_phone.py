"""A long lesson on a phone (390 × 844). Seen: after 25 notes the seat map was 2.7 screens
below the note box; on the feedback page the feedback boxes were 2.5 screens down, with the
red "Delete this draft" link right above them."""

import pytest

from observations import services
from observations.models import ObservationNote
from tests import factories
from tests.support.browser import browser_test, no_serious_violations, playwright
from tests.support.workers import wait_for

pytestmark = browser_test
SCREEN = 844
NOTES = [
    f"{minute} min: the pair at table {minute % 6 + 1} compares bar models aloud and asks "
    "how the other knew."
    for minute in range(1, 26)
]


@pytest.fixture
def lesson(transactional_db):
    """A draft lesson with three look-fors to tag, a tally, and a room of 5 × 6 seats."""
    school = factories.SchoolFactory()
    coach = factories.coach_at(school, user__email="coach@example.org")
    teacher = factories.teacher_at(school, user__email="teacher@example.org")
    partnership = factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher])
    cycle = factories.GoalFactory(cycle__partnership=partnership).cycle
    observation = services.observation_start(actor=coach, cycle=cycle, subject="Maths")
    for description in (
        "Students explain their reasoning",
        "Students ask each other questions",
        "Students use the word wall",
    ):
        factories.ChosenLookForFactory(observation=observation, description=description)
    observation.tallies.create(label="Open questions", count=4)
    factories.seat_map_for(observation, rows=5, columns=6)
    return observation


def _top(page, selector):
    return page.locator(selector).bounding_box()["y"]


def test_after_25_notes_the_seat_map_is_within_a_screen_of_the_note_box(capture_page, lesson):
    page = capture_page.page
    capture_page.sign_in()
    capture_page.open(lesson)
    assert page.viewport_size == {"width": 390, "height": SCREEN}
    for text in NOTES:
        capture_page.type_note(text)
    capture_page.wait_until_saved()
    # "Everything is saved" may still be the status of the note before the last one.
    notes = ObservationNote.objects.filter(observation=lesson)
    assert wait_for(lambda: notes.count() == 25, 12)

    assert abs(_top(page, "#seat-map") - _top(page, "#note-text")) < SCREEN
    playwright.expect(page.locator("#notes .note:visible")).to_have_count(3)
    playwright.expect(page.locator("#notes .note").first).to_contain_text(NOTES[-1])
    no_serious_violations(page, "long-lesson/capture-folded")

    # All of them, from the keyboard, and back.
    page.get_by_role("button", name="Show all 25 notes").focus()
    page.keyboard.press("Enter")
    playwright.expect(page.locator("#notes .note:visible")).to_have_count(25)
    fold = page.get_by_role("button", name="Show only the latest 3")
    playwright.expect(fold).to_have_attribute("aria-expanded", "true")
    fold.press("Enter")
    playwright.expect(page.locator("#notes .note:visible")).to_have_count(3)

    # Reloaded, the list is folded again and the seat map still in reach.
    page.reload()
    playwright.expect(page.locator("#notes .note:visible")).to_have_count(3)
    assert abs(_top(page, "#seat-map") - _top(page, "#note-text")) < SCREEN


def test_a_note_waiting_to_send_is_never_folded_away(capture_page, lesson):
    page = capture_page.page
    capture_page.sign_in()
    capture_page.open(lesson)
    capture_page.go_offline()
    for text in NOTES[:5]:
        capture_page.type_note(text)
    # Each still waits to be sent: none is hidden by the fold.
    playwright.expect(page.locator("#notes .note-pending:visible")).to_have_count(5)
    capture_page.go_online()
    capture_page.wait_until_saved()
    playwright.expect(page.locator("#notes .note:visible")).to_have_count(3)
    playwright.expect(page.get_by_role("button", name="Show all 5 notes")).to_be_visible()


def test_on_a_phone_the_feedback_form_comes_first_and_deleting_the_draft_last(capture_page, lesson):
    for text in NOTES:
        factories.ObservationNoteFactory(observation=lesson, text=text)
    page = capture_page.page
    capture_page.sign_in()
    capture_page.goto(f"/observations/{lesson.pk}/feedback/")
    first_box = page.locator("main form textarea").first
    assert first_box.bounding_box()["y"] < SCREEN
    save = page.get_by_role("button", name="Save feedback").bounding_box()
    delete = page.get_by_role("link", name="Delete this draft").bounding_box()
    assert delete["y"] > save["y"] + save["height"]
    no_serious_violations(page, "long-lesson/feedback")
