"""At 390 px, a coach takes back the last note and the last tally tap, offline and online,
and corrects a note the teacher already reads: each change arrives once, and the teacher
sees "edited"."""

import uuid

import pytest

from observations import services
from observations.models import AccessEvent, Observation, ObservationNote, Tally
from tests import factories
from tests.support.browser import browser_test, no_serious_violations, playwright

pytestmark = browser_test


@pytest.fixture
def observation(transactional_db):
    school = factories.SchoolFactory()
    coach = factories.coach_at(school, user__email="coach@example.org")
    teacher = factories.teacher_at(school, user__email="teacher@example.org")
    partnership = factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher])
    cycle = factories.GoalFactory(cycle__partnership=partnership).cycle
    return services.observation_start(actor=coach, cycle=cycle, subject="Maths")


def test_undo_takes_back_the_last_note_and_tap_offline_and_online_once(capture_page, observation):
    page = capture_page.page
    capture_page.sign_in()
    capture_page.open(observation)
    assert page.viewport_size["width"] == 390
    capture_page.add_tally("Open questions")
    capture_page.type_note("T opens with a question.")
    capture_page.type_note("Wrong lesson: typed by mistake.")
    capture_page.wait_until_saved()
    page.click(".tally-button")
    page.click(".tally-button")
    capture_page.wait_until_saved()
    assert Tally.objects.get(observation=observation).count == 2

    # Online: the last note, already sent, is taken back by a change sent once.
    page.click("#undo-note")
    playwright.expect(page.locator("#notes .note")).to_have_count(1)
    page.click("#undo-tally")
    capture_page.wait_until_saved()
    assert [n.text for n in ObservationNote.objects.filter(observation=observation)] == [
        "T opens with a question."
    ]
    assert Tally.objects.get(observation=observation).count == 1

    # Offline: a note and a tap never sent are just taken out of the queue; a note sent
    # before is taken back once the connection returns.
    capture_page.go_offline()
    capture_page.type_note("Never meant to be sent.")
    page.click(".tally-button")
    assert len(capture_page.queue(observation)) == 2
    page.click("#undo-note")
    page.click("#undo-tally")
    assert capture_page.queue(observation) == []
    page.click("#undo-note")  # "T opens with a question.", sent while online
    assert [op["type"] for op in capture_page.queue(observation)] == ["unnote"]
    playwright.expect(page.locator("#sync-status")).to_contain_text("1 undone note")
    capture_page.go_online()
    capture_page.wait_until_saved()
    assert not ObservationNote.objects.filter(observation=observation).exists()
    assert Tally.objects.get(observation=observation).count == 1
    page.reload()
    assert page.locator("#notes .note").count() == 0
    assert page.locator(".tally-count").inner_text() == "1"


def test_a_note_corrected_after_sharing_shows_edited_to_the_teacher(capture_page, observation):
    note, _ = services.observation_add_note(
        actor=observation.observer,
        observation=observation,
        client_id=uuid.uuid4(),
        text="12 of 24 students write an answer.",
    )
    services.observation_write_feedback(
        actor=observation.observer,
        observation=observation,
        strengths="Every student wrote.",
        wonderings="",
        next_steps="",
    )
    services.observation_share(actor=observation.observer, observation=observation)
    page = capture_page.page
    capture_page.sign_in()
    capture_page.goto(f"/observations/{observation.pk}/feedback/")
    page.click("a.note-edit")
    no_serious_violations(page, "corrections/note-edit")
    page.fill("textarea[name=text]", "14 of 24 students write an answer.")
    page.click("text=Save the correction")
    page.wait_for_url(capture_page.url(f"/observations/{observation.pk}/feedback/"))
    assert ObservationNote.objects.get(pk=note.pk).text == "14 of 24 students write an answer."
    assert AccessEvent.objects.filter(record_id=observation.pk, action="edited").count() == 1

    capture_page.click_sign_out()
    capture_page.sign_in("teacher@example.org", home="/teacher/")
    capture_page.goto(f"/observations/{observation.pk}/")
    item = page.locator("li", has_text="14 of 24 students write an answer.")
    playwright.expect(item.locator(".note-edited")).to_have_text("edited")
    assert "12 of 24" not in page.content()
    capture_page.goto("/my-records/access/")
    playwright.expect(page.locator("table")).to_contain_text("edited after sharing")
    assert Observation.objects.get(pk=observation.pk).is_shared


def test_the_coach_deletes_a_wrong_progress_point_after_seeing_the_chart(capture_page, observation):
    from cycles.models import ProgressPoint

    goal = observation.cycle.goal
    coach = observation.observer
    factories.ProgressPointFactory(goal=goal, value=61, added_by=coach)
    wrong = factories.ProgressPointFactory(
        goal=goal, value=15, added_by=coach, recorded_on=goal.cycle.partnership.school.today()
    )
    page = capture_page.page
    capture_page.sign_in()
    capture_page.goto(f"/cycles/{goal.cycle_id}/")
    page.click("text=All 2 progress points")
    page.get_by_role(
        "link", name=f"Delete the point of {wrong.recorded_on:%b} {wrong.recorded_on.day}"
    ).click()
    playwright.expect(page.locator("#chart-change")).to_contain_text("15 % → 61 %")
    no_serious_violations(page, "corrections/progress-delete")
    page.click("text=Delete the point")
    page.wait_for_url(capture_page.url(f"/cycles/{goal.cycle_id}/"))
    assert list(ProgressPoint.objects.filter(goal=goal).values_list("value", flat=True)) == [61]
