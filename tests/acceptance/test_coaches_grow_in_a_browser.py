"""Coaching the coaches, in a real browser: the district's lead coach offers to support a
coach, who accepts; they plan the coach's growth goal; the coach reflects and shares it, the
lead answers. A teacher whose cycle closed answers the survey, and with that the coach sees
what their teachers said, once enough of them have answered. axe checks every page at
1280 px and 390 px."""

import re

import pytest

from cycles import services as cycles
from growth.models import GrowthCycle, LeadSupport
from tests import factories
from tests.acceptance.test_journeys_in_a_browser import Journey
from tests.support.browser import browser_test

pytestmark = browser_test
K = 3


@pytest.fixture
def people(transactional_db, settings):
    settings.REPORT_MIN_GROUP = K
    district = factories.DistrictFactory(name="Riverside Unified")
    school = factories.SchoolFactory(district=district, name="Riverside Elementary")
    coach = factories.coach_at(school, user__full_name="Maya Okafor", user__email="maya@x.org")
    factories.lead_of_district(district, user__full_name="Nora Castillo", user__email="nora@x.org")
    # Two teachers answered about their cycles with Maya already; a third has just closed.
    for n, comment in enumerate(["Patient and practical.", "Helpful questions."]):
        teacher = factories.teacher_at(school, user__full_name=f"Teacher {n}")
        cycle = factories.CycleFactory(
            partnership=factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher])
        )
        cycles.cycle_close(actor=coach, cycle=cycle, outcome="met", summary="")
        cycles.survey_answer(
            actor=teacher, cycle=cycle, useful="yes", safe="yes", again="yes", comment=comment
        )
    daniel = factories.teacher_at(school, user__full_name="Daniel Reyes", user__email="d@x.org")
    cycle = factories.CycleFactory(
        title="Exit tickets",
        partnership=factories.PartnershipFactory(school=school, coach=coach, teachers=[daniel]),
    )
    cycles.cycle_close(actor=coach, cycle=cycle, outcome="met", summary="")
    return coach


def test_a_lead_coaches_a_coach_and_teachers_say_how_coaching_went(browser, live_server, people):
    lead = Journey(browser, live_server, "6-lead", width="desktop")
    coach = Journey(browser, live_server, "6-coach", width="phone")
    teacher = Journey(browser, live_server, "6-teacher", width="phone")
    n, c, t = lead.page, coach.page, teacher.page

    # The lead offers support; the coach accepts it.
    lead.sign_in("nora@x.org")
    lead.check("coaches I support, none yet")
    n.get_by_role("link", name="Offer to support a coach").click()
    lead.check("offer support")
    n.get_by_label("Coach").select_option(label="Maya Okafor")
    n.get_by_role("button", name="Offer support").click()
    lead.check("offer sent")
    coach.sign_in("maya@x.org")
    coach.go("/growth/")
    coach.check("my growth with the offer")
    coach.tap(c.get_by_role("button", name="Accept"))
    coach.check("lead accepted")
    support = LeadSupport.objects.get()
    assert support.status == "active"

    # They plan the goal: the coach sets it, the lead records their planning conversation.
    coach.tap(c.get_by_role("link", name="Set a growth goal"))
    coach.check("set a growth goal")
    c.get_by_label("Competency").select_option(label="Questioning")
    c.get_by_label("Growth goal").fill("Ask three open questions before suggesting.")
    coach.tap(c.get_by_role("button", name="Start the growth cycle"))
    coach.check("growth goal set")
    n.get_by_role("link", name="Coaches").first.click()
    n.get_by_role("link", name="Maya Okafor").click()
    lead.check("the coach's page")
    assert "Ask three open questions" in n.content()
    n.get_by_role("link", name="Record a conversation").click()
    lead.check("record a conversation")
    n.get_by_label("Kind").select_option(label="Planning conversation")
    n.get_by_label("Notes").fill("Maya will count her questions in two debriefs.")
    n.get_by_role("button", name="Record it").click()
    lead.check("conversation recorded")

    # The coach reflects and shares it; the lead answers; the coach reads the answer.
    c.reload()
    assert "Maya will count her questions" in c.content()
    coach.tap(c.get_by_role("link", name="Reflect"))
    coach.check("reflect")
    c.get_by_label("Reflection").fill("Four questions, nine suggestions on Tuesday.")
    c.get_by_label("Share with my lead coach").check()
    coach.tap(c.get_by_role("button", name="Save the reflection"))
    coach.check("reflection shared")
    n.reload()
    n.get_by_role("link", name="Answer").click()
    lead.check("answer the reflection")
    n.get_by_label("Your answer").fill("What did the teacher do when you waited?")
    n.get_by_role("button", name="Send the answer").click()
    lead.check("reflection answered")
    c.reload()
    assert "What did the teacher do when you waited?" in c.content()
    cycle = GrowthCycle.objects.get()
    assert cycle.competency.name == "Questioning"

    # Two teachers have answered: too few for the coach to see anything.
    assert "Nothing to show yet" in c.content()
    assert "Patient and practical." not in c.content()

    # The third teacher answers from their home; the coach then sees all three, together.
    teacher.sign_in("d@x.org")
    teacher.check("teacher home with the survey")
    t.get_by_role("link", name=re.compile("Answer")).first.click()
    teacher.check("the survey")
    t.get_by_role("group", name="Was the coaching useful to you?").get_by_label("Yes").check()
    t.get_by_role("group", name=re.compile("feel safe")).get_by_label("Somewhat").check()
    t.get_by_role("group", name=re.compile("work with a coach again")).get_by_label("Yes").check()
    t.get_by_label(re.compile("Anything you would like")).fill("Zero judgement, lots of help.")
    teacher.tap(t.get_by_role("button", name="Send my answer"))
    teacher.check("survey answered")
    c.reload()
    coach.check("what teachers said")
    page = c.content()
    assert "3 answers" in page
    comments = ["Helpful questions.", "Patient and practical.", "Zero judgement, lots of help."]
    assert [page.index(comment) for comment in comments] == sorted(
        page.index(comment) for comment in comments
    )
    # The lead reads the same, in aggregate.
    n.reload()
    assert "Zero judgement, lots of help." in n.content()
    assert "Daniel Reyes" not in n.content()
