"""On a phone (390 px) the teacher's feedback page reads as a conversation: no
"Acknowledge", a reply or a plain "Mark as read", a look-for nobody noted is "not noted in
this lesson"; the coach then reads "Read by", not "acknowledged". And a meeting still to
come offers no "Mark as held", only when it can be. Each page passes axe."""

import datetime
import re

import pytest
from django.utils import timezone

from coaching.models import Partnership
from tests import factories
from tests.acceptance.test_journeys_in_a_browser import Journey
from tests.support.browser import browser_test, playwright

pytestmark = browser_test


@pytest.fixture
def lesson(transactional_db):
    school = factories.SchoolFactory(name="Riverside Elementary")
    coach = factories.coach_at(school, user__full_name="Maya Okafor", user__email="maya@x.org")
    teacher = factories.teacher_at(
        school, user__full_name="Daniel Reyes", user__email="daniel@x.org"
    )
    partnership = factories.PartnershipFactory(
        school=school, coach=coach, teachers=[teacher], status=Partnership.Status.ACTIVE
    )
    cycle = factories.GoalFactory(cycle__partnership=partnership).cycle
    observation = factories.ObservationFactory(cycle=cycle, status="shared")
    factories.ChosenLookForFactory(observation=observation, description="Students lead")
    return observation


def test_the_teacher_marks_feedback_read_and_the_coach_reads_so(browser, live_server, lesson):
    teacher = Journey(browser, live_server, "reply-teacher")
    t = teacher.page
    teacher.sign_in("daniel@x.org")
    t.get_by_role("link", name="Read the feedback").first.click()
    playwright.expect(t.get_by_text("Not noted in this lesson.")).to_be_visible()
    playwright.expect(t.get_by_role("button", name="Send my reply")).to_be_visible()
    assert t.get_by_text(re.compile("acknowledg", re.I)).count() == 0
    teacher.check("the feedback, to reply to")
    t.get_by_role("button", name="Mark as read").click()
    playwright.expect(t.get_by_role("alert")).to_contain_text("Marked as read")
    playwright.expect(t.get_by_role("button", name="Mark as read")).to_have_count(0)
    teacher.check("feedback marked read")

    coach = Journey(browser, live_server, "reply-coach")
    c = coach.page
    coach.sign_in("maya@x.org")
    coach.go(f"/observations/{lesson.pk}/")
    playwright.expect(c.get_by_text(re.compile("Read by Daniel Reyes on"))).to_be_visible()
    coach.check("the coach reads that it was read")


def test_mark_as_held_only_once_the_meeting_has_started(browser, live_server, lesson):
    partnership = lesson.cycle.partnership
    coming = factories.MeetingFactory(partnership=partnership)
    started = factories.MeetingFactory(
        partnership=partnership, starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    coach = Journey(browser, live_server, "hold-coach")
    c = coach.page
    coach.sign_in("maya@x.org")
    coach.go(f"/meetings/{coming.pk}/")
    playwright.expect(c.get_by_role("button", name="Mark as held")).to_have_count(0)
    playwright.expect(c.get_by_text(re.compile("once it has taken place"))).to_be_visible()
    coach.check("a meeting still to come")
    coach.go(f"/meetings/{started.pk}/")
    c.get_by_role("button", name="Mark as held").click()
    playwright.expect(c.get_by_role("alert")).to_contain_text("Marked as held")
