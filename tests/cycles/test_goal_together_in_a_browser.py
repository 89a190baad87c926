"""On phones (390 px): the coach starts a cycle, the teacher proposes its goal with only what
is asked first, and the coach accepts it. Setting the goal together costs the coach at most
twelve interactions (taps, choices and fields filled), and the goal form, the proposal, the
agreed goal and the meeting page that prepares with it pass axe at 390 and 1280 px."""

import re

import pytest

from coaching.models import Partnership
from cycles.models import Cycle, FocusArea
from tests import factories
from tests.acceptance.test_journeys_in_a_browser import Journey
from tests.support.browser import browser_test, playwright

pytestmark = browser_test


class Person(Journey):
    def fill(self, locator, text):
        """A field filled counts as one interaction, as a tap does."""
        self.taps += 1
        locator.fill(text)


@pytest.fixture
def partnership(transactional_db):
    school = factories.SchoolFactory(name="Riverside Elementary")
    coach = factories.coach_at(school, user__full_name="Maya Okafor", user__email="maya@x.org")
    teacher = factories.teacher_at(
        school, user__full_name="Chloe Dubois", user__email="chloe@x.org"
    )
    return factories.PartnershipFactory(
        school=school, coach=coach, teachers=[teacher], status=Partnership.Status.ACTIVE
    )


def test_the_teacher_proposes_the_goal_and_the_coach_accepts_it(browser, live_server, partnership):
    coach = Person(browser, live_server, "goal-together-coach")
    teacher = Person(browser, live_server, "goal-together-teacher")
    c, t = coach.page, teacher.page

    coach.sign_in("maya@x.org")
    coach.go(f"/partnerships/{partnership.pk}/")
    coach.taps = 0
    coach.tap(c.get_by_role("link", name="Start a cycle"))
    coach.fill(c.locator("[name=title]"), "Every voice in maths talk")
    area = FocusArea.objects.get(district=partnership.school.district, name="Instruction")
    coach.choose(c.locator("[name=focus_area]"), str(area.pk))
    coach.tap(c.get_by_role("button", name="Start the cycle"))
    c.wait_for_url(re.compile(r"/goal/$"))
    coach.check("goal form, asking first for the statement and the measure")
    cycle = Cycle.objects.get()
    # "Start a cycle" is gone from the partnership while this one is open.
    coach.go(f"/partnerships/{partnership.pk}/")
    playwright.expect(c.get_by_role("link", name="Start a cycle")).to_have_count(0)

    teacher.sign_in("chloe@x.org")
    teacher.tap(t.get_by_role("link", name="Propose a goal"))
    teacher.fill(t.locator("[name=statement]"), "Most students explain how they solved it.")
    teacher.fill(t.locator("[name=measure]"), "Exit tickets showing the method")
    teacher.fill(t.locator("[name=unit]"), "%")
    teacher.tap(t.get_by_role("button", name="Propose the goal"))
    playwright.expect(t.get_by_text("Proposed by you")).to_be_visible()
    teacher.check("the teacher's proposal")

    coach.tap(c.get_by_role("link", name="Every voice in maths talk"))
    playwright.expect(c.get_by_text("Proposed by Chloe Dubois")).to_be_visible()
    coach.check("the coach reads the proposal")
    coach.tap(c.get_by_role("button", name="Accept the goal"))
    playwright.expect(c.get_by_role("alert")).to_contain_text("Goal agreed")
    assert coach.taps <= 12, f"setting the goal together took the coach {coach.taps}"
    cycle.goal.refresh_from_db()
    assert cycle.goal.is_agreed
    assert cycle.goal.proposed_by.full_name == "Chloe Dubois"
    coach.check("the agreed goal")

    teacher.go("/teacher/")
    playwright.expect(t.get_by_text("Most students explain how they solved it.")).to_be_visible()
    playwright.expect(t.get_by_text("Agreed", exact=True)).to_be_visible()

    # The meeting page prepares the next conversation with it.
    meeting = factories.MeetingFactory(partnership=partnership, kind="planning")
    coach.go(f"/meetings/{meeting.pk}/")
    playwright.expect(c.get_by_text("Most students explain how they solved it.")).to_be_visible()
    playwright.expect(c.get_by_role("link", name=re.compile("Open the cycle"))).to_be_visible()
    coach.check("the meeting page")
