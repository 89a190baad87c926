"""On a phone (390 px), a coach keeps a phrase in their comment bank and, writing feedback,
puts it where the cursor is with one tap. Without JavaScript the phrase is shown to copy,
and no button that would do nothing. The bank's pages pass axe (no serious violation)."""

import pytest

from observations.models import Observation
from tests import factories
from tests.support.browser import PHONE, browser_test, no_serious_violations, playwright

pytestmark = browser_test
PHRASE = "I wonder what would happen if students explained it to a partner first."


@pytest.fixture
def draft(transactional_db):
    school = factories.SchoolFactory()
    coach = factories.coach_at(school, user__email="coach@example.org")
    teacher = factories.teacher_at(school, user__email="teacher@example.org")
    partnership = factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher])
    cycle = factories.GoalFactory(cycle__partnership=partnership).cycle
    return factories.ObservationFactory(cycle=cycle, observer=coach)


def test_a_phrase_kept_in_the_bank_goes_in_at_the_cursor_with_one_tap(capture_page, draft):
    page = capture_page.page
    capture_page.sign_in()
    feedback = f"/observations/{draft.pk}/feedback/"
    capture_page.goto(feedback)
    page.get_by_role("link", name="Start your comment bank").click()

    page.get_by_label("Use it for").select_option("wonderings")
    page.get_by_role("textbox", name="Phrase").fill(PHRASE)
    page.get_by_role("button", name="Keep this phrase").click()
    playwright.expect(page.locator("#kind-wonderings + ul")).to_contain_text(PHRASE)
    no_serious_violations(page, "comment-bank/comment-bank")
    page.get_by_role("link", name="Edit").click()
    no_serious_violations(page, "comment-bank/comment-bank-edit")
    page.go_back()
    page.get_by_role("link", name="Back to the feedback").click()
    page.wait_for_url(capture_page.url(feedback))

    no_serious_violations(page, "comment-bank/feedback-with-comment-bank")
    box = page.locator("#id_wonderings")
    box.fill("Lovely start. Then the pairs.")
    box.evaluate("box => box.setSelectionRange(13, 13)")  # after "Lovely start."
    page.get_by_role("button", name=f"Add to wonderings: {PHRASE}").click()
    playwright.expect(box).to_have_value(f"Lovely start. {PHRASE} Then the pairs.")
    page.get_by_role("button", name="Save feedback").click()
    page.wait_for_url(capture_page.url(f"/observations/{draft.pk}/"))
    assert (
        Observation.objects.get(pk=draft.pk).wonderings == f"Lovely start. {PHRASE} Then the pairs."
    )


def test_without_javascript_the_phrases_are_there_to_copy(browser, live_server, draft):
    factories.CommentBankPhraseFactory(coach=draft.observer, kind="strengths", text=PHRASE)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.fill("input[name=username]", "coach@example.org")
    page.fill("input[name=password]", "a-good-password")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/observations/{draft.pk}/feedback/")
    bank = page.locator("#comment-bank")
    playwright.expect(bank).to_contain_text(PHRASE)
    playwright.expect(bank.get_by_role("button")).to_have_count(0)
