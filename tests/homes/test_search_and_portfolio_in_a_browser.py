"""On a phone (390 px): a coach finds a note from the navigation's search box and opens its
lesson; a teacher reads their portfolio, with no page wider than the screen. Both pass axe
(no serious or critical violation); screenshots go to build/search."""

import pytest

from tests import factories
from tests.support.browser import browser_test, no_serious_violations

pytestmark = browser_test


@pytest.fixture
def lesson(transactional_db):
    """A shared lesson of a teacher in a cycle with a goal, its notes and their answer."""
    school = factories.SchoolFactory()
    coach = factories.coach_at(school, user__email="coach@example.org")
    teacher = factories.teacher_at(school, user__email="teacher@example.org")
    partnership = factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher])
    goal = factories.GoalFactory(cycle__partnership=partnership)
    factories.ProgressPointFactory(goal=goal)
    observation = factories.ObservationFactory(
        cycle=goal.cycle,
        status="shared",
        strengths="Every group used the sentence stems to explain a strategy.",
        wonderings="What would happen if the stems stayed on the board all week?",
    )
    for n in range(8):
        factories.ObservationNoteFactory(
            observation=observation, text=f"Group {n} compared two strategies for 12 × 15."
        )
    factories.ObservationNoteFactory(
        observation=observation, text="Amira asked her partner why the estimate was too high."
    )
    observation.responses.create(teacher=teacher, text="The stems helped my quieter students.")
    factories.MeetingFactory(partnership=partnership, agenda="Look at the exit tickets.")
    factories.ReflectionFactory(cycle=goal.cycle, author=teacher, text="Stems worked.")
    return observation


def fits_the_screen(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px screen"


def test_a_coach_finds_a_note_from_the_navigation_and_opens_its_lesson(capture_page, lesson):
    capture_page.sign_in()
    page = capture_page.page
    page.click(".navbar-toggler")
    box = page.get_by_role("searchbox", name="Search my records")
    box.fill("estimate")
    box.press("Enter")
    page.wait_for_url("**/search/?q=estimate")
    results = page.locator(".search-results li")
    assert results.count() == 1
    assert "1 of your records matches" in page.locator("main").inner_text()
    assert results.first.locator("mark").inner_text() == "estimate"
    fits_the_screen(page)
    no_serious_violations(page, "search/search")
    results.first.get_by_role("link").click()
    page.wait_for_url(f"**/observations/{lesson.pk}/")

    # An empty search says what to do; one that finds nothing says so, and no count.
    capture_page.goto("/search/?q=")
    assert "Type a word or two" in page.locator("main").inner_text()
    capture_page.goto("/search/?q=zeppelin")
    assert "None of your records holds" in page.locator("main").inner_text()
    no_serious_violations(page, "search/search-nothing")


def test_a_teacher_reads_their_portfolio_on_a_phone(capture_page, lesson):
    capture_page.sign_in("teacher@example.org", home="/teacher/")
    page = capture_page.page
    page.get_by_role("link", name="My coaching portfolio").click()
    page.wait_for_url("**/my-records/portfolio/")
    text = page.locator("main").inner_text()
    assert lesson.cycle.title in text
    assert "Every group used the sentence stems" in text
    assert "The stems helped my quieter students." in text
    assert "Look at the exit tickets." in text
    chart = page.locator(f"#cycle-{lesson.cycle.pk} svg").first
    assert chart.is_visible()
    assert page.get_by_role("button", name="Print or save as PDF").is_visible()
    assert page.get_by_role("link", name="Download all my records (ZIP)").is_visible()
    fits_the_screen(page)
    no_serious_violations(page, "search/portfolio")
    # Printed: the navigation and buttons stay off the paper, the records on it.
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert not page.get_by_role("button", name="Print or save as PDF").is_visible()
    assert page.locator(f"#cycle-{lesson.cycle.pk}").is_visible()
