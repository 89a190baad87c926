"""A coach on a phone tags notes with the look-fors the teacher chose and taps seats as
students speak, with the classroom Wi-Fi gone and the page reloaded: every note, tag and
tap arrives exactly once when the connection returns, and the heat map shows them.

The library, capture, feedback and choice pages pass axe (no serious or critical
violation) at 390 px; screenshots go to build/look-fors, and to docs/screenshots."""

import collections

import pytest

from observations import services
from observations.library import look_for_template_save
from observations.models import LookForTemplate, ObservationNote, SeatTap, Tally
from observations.selectors import look_for_options
from tests import factories
from tests.support.browser import SHOTS, browser_test, no_serious_violations, playwright

pytestmark = browser_test


@pytest.fixture
def lesson(transactional_db):
    """A lesson whose teacher chose two look-fors (one counted), with the room laid out."""
    school = factories.SchoolFactory()
    coach = factories.coach_at(school, user__email="coach@example.org")
    teacher = factories.teacher_at(school, user__email="teacher@example.org")
    partnership = factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher])
    cycle = factories.GoalFactory(cycle__partnership=partnership).cycle
    look_for_template_save(
        actor=coach,
        template=LookForTemplate(district=school.district),
        name="Student discourse",
        description="",
        rows=[
            {"section": "Talk", "description": "Students explain their reasoning"},
            {
                "section": "Talk",
                "description": "Students ask each other questions",
                "counted": True,
            },
        ],
    )
    options = look_for_options(cycle)
    services.look_fors_choose(
        actor=teacher,
        cycle=cycle,
        options=options,
        picks=[k for k in options if k.startswith("library:")],
    )
    observation = services.observation_start(actor=coach, cycle=cycle, subject="Maths")
    layout = services.seat_layout_save(
        actor=coach,
        partnership=partnership,
        layout=None,
        name="Period 2",
        rows=3,
        columns=4,
        gaps=["0-2"],
    )
    services.observation_use_seats(actor=coach, observation=observation, layout=layout)
    return observation


def test_tags_and_seat_taps_made_offline_arrive_once_and_show_on_the_heat_map(capture_page, lesson):
    page = capture_page.page
    capture_page.sign_in()
    capture_page.open(lesson)
    playwright.expect(page.locator("#capture")).to_have_attribute("data-offline-ready", "true")
    no_serious_violations(page, "look-fors/capture")

    capture_page.go_offline()
    # Tagged before typing, and after.
    capture_page.tag("Students explain their reasoning")
    capture_page.type_note("Pair at the window compares bar models aloud.")
    page.fill("#note-text", "Student asks a neighbour how they knew.")
    capture_page.tag("Students ask each other questions")
    page.click("#note-form button[type=submit]")
    capture_page.type_note("Untagged: the bell rings early.")
    capture_page.tap_seat(0, 0)
    capture_page.tap_seat(0, 0)
    page.click("label:has-text('Question')")
    capture_page.tap_seat(1, 1)
    page.click(".tally-button:has-text('Students ask each other questions')")
    # A mis-tap, taken back before it was ever sent.
    capture_page.tap_seat(2, 3)
    page.click("#untap")
    playwright.expect(capture_page.seat(0, 0)).to_contain_text("2")
    playwright.expect(page.locator("#seat-summary")).to_have_text(
        "2 of 11 seats spoke, 3 times in all; 1 seat had 67% of the talk."
    )
    playwright.expect(page.locator("#sync-status")).to_contain_text("Offline")

    # The page is reloaded with no network: the queue and the heat are still there.
    page.reload()
    playwright.expect(page.locator("#notes .note")).to_have_count(3)
    playwright.expect(page.locator("#notes .note-tag")).to_have_count(2)
    playwright.expect(capture_page.seat(0, 0)).to_contain_text("2")
    capture_page.tap_seat(0, 1)
    assert ObservationNote.objects.filter(observation=lesson).count() == 0
    assert SeatTap.objects.filter(observation=lesson).count() == 0

    capture_page.go_online()
    capture_page.wait_until_saved()
    notes = {n.text: n.look_for for n in ObservationNote.objects.filter(observation=lesson)}
    assert len(notes) == 3
    assert notes["Pair at the window compares bar models aloud."].description == (
        "Students explain their reasoning"
    )
    assert notes["Student asks a neighbour how they knew."].description == (
        "Students ask each other questions"
    )
    assert notes["Untagged: the bell rings early."] is None
    taps = collections.Counter(
        SeatTap.objects.filter(observation=lesson).values_list("row", "column", "kind")
    )
    assert taps == {(0, 0, ""): 2, (1, 1, "question"): 1, (0, 1, ""): 1}
    assert Tally.objects.get(observation=lesson, look_for__isnull=False).count == 1

    # The server's page counts the same, and so does the heat map beside the feedback.
    page.reload()
    playwright.expect(capture_page.seat(0, 0)).to_contain_text("2")
    summary = "3 of 11 seats spoke, 4 times in all; 1 seat had 50% of the talk."
    playwright.expect(page.locator("#seat-summary")).to_have_text(summary)
    capture_page.goto(f"/observations/{lesson.pk}/feedback/")
    playwright.expect(page.locator("#heat-summary")).to_have_text(summary)
    playwright.expect(page.locator("#look-fors-heading")).to_be_visible()
    no_serious_violations(page, "look-fors/feedback")
    page.locator("#look-fors-heading").locator("xpath=../..").screenshot(
        path=SHOTS / "look-fors/feedback-look-fors.png"
    )


def test_a_tap_sent_and_then_undone_is_gone_once(capture_page, lesson):
    page = capture_page.page
    capture_page.sign_in()
    capture_page.open(lesson)
    capture_page.tap_seat(1, 0)
    capture_page.wait_until_saved()
    assert SeatTap.objects.filter(observation=lesson).count() == 1
    page.click("#untap")
    capture_page.wait_until_saved()
    assert SeatTap.objects.filter(observation=lesson).count() == 0
    page.reload()
    playwright.expect(capture_page.seat(1, 0)).to_contain_text("0")
    # A tap can still be taken back after the page was reloaded.
    capture_page.tap_seat(2, 1)
    capture_page.wait_until_saved()
    page.reload()
    page.click("#untap")
    capture_page.wait_until_saved()
    assert SeatTap.objects.filter(observation=lesson).count() == 0
    playwright.expect(page.locator("#untap")).to_be_disabled()


def test_seats_are_tapped_with_the_keyboard_alone(capture_page, lesson):
    page = capture_page.page
    capture_page.sign_in()
    capture_page.goto(f"/observations/{lesson.pk}/seats/")
    no_serious_violations(page, "look-fors/seats")
    capture_page.open(lesson)
    capture_page.seat(0, 0).focus()
    # Right skips the place with no seat (0, 2); down moves to the next row.
    for key in ("ArrowRight", "ArrowRight", "Enter", "ArrowDown", " "):
        page.keyboard.press(key)
    capture_page.wait_until_saved()
    assert sorted(SeatTap.objects.values_list("row", "column")) == [(0, 3), (1, 3)]


def test_the_library_and_the_teachers_choice_pass_axe_on_a_phone(capture_page, lesson):
    page = capture_page.page
    capture_page.sign_in("teacher@example.org", home="/teacher/")
    capture_page.goto("/look-fors/")
    no_serious_violations(page, "look-fors/library")
    page.click("text=Student discourse")
    no_serious_violations(page, "look-fors/template")
    capture_page.goto(f"/cycles/{lesson.cycle_id}/look-fors/")
    no_serious_violations(page, "look-fors/choice")
