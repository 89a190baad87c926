"""Coaching the coaches, in a real browser: the district's lead coach offers to support a
coach, who accepts; they plan the coach's growth goal; the coach reflects and shares it, the
lead answers. A teacher whose cycle closed answers the survey, and with that the coach sees
what their teachers said, once enough of them have answered. axe checks every page at
1280 px and 390 px; the journey runs once more in each other language, on a phone
(tests/acceptance/test_journeys_in_a_browser.py says how)."""

import pytest

from cycles import services as cycles
from growth.models import Competency, GrowthCycle, LeadSupport
from tests import factories
from tests.acceptance.test_journeys_in_a_browser import Journey, in_each_language
from tests.support.browser import browser_test
from tests.support.words import said

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


@in_each_language
def test_a_lead_coaches_a_coach_and_teachers_say_how_coaching_went(
    browser, live_server, people, lang
):
    lead = Journey(browser, live_server, "6-lead", width="desktop", lang=lang)
    coach = Journey(browser, live_server, "6-coach", width="phone", lang=lang)
    teacher = Journey(browser, live_server, "6-teacher", width="phone", lang=lang)
    n, c, t = lead.page, coach.page, teacher.page

    # The lead offers support; the coach accepts it.
    lead.sign_in("nora@x.org")
    lead.check("coaches I support, none yet")
    n.get_by_role("link", name=said(lang, "Offer to support a coach")).click()
    lead.check("offer support")
    n.get_by_label(said(lang, "Coach")).select_option(label="Maya Okafor")
    n.get_by_role("button", name=said(lang, "Offer support")).click()
    lead.check("offer sent")
    coach.sign_in("maya@x.org")
    coach.go("/growth/")
    coach.check("my growth with the offer")
    coach.tap(c.get_by_role("button", name=said(lang, "Accept")))
    coach.check("lead accepted")
    support = LeadSupport.objects.get()
    assert support.status == "active"

    # They plan the goal: the coach sets it, the lead records their planning conversation.
    coach.tap(c.get_by_role("link", name=said(lang, "Set a growth goal")))
    coach.check("set a growth goal")
    questioning = Competency.objects.get(name="Questioning")  # the district's words for it
    c.get_by_label(said(lang, "Competency")).select_option(label=questioning.said("name", lang))
    c.get_by_label(said(lang, "Growth goal")).fill("Ask three open questions before suggesting.")
    coach.tap(c.get_by_role("button", name=said(lang, "Start the growth cycle")))
    coach.check("growth goal set")
    lead.menu().get_by_role("link", name=said(lang, "Coaches")).first.click()
    n.get_by_role("link", name="Maya Okafor").click()
    lead.check("the coach's page")
    assert "Ask three open questions" in n.content()
    n.get_by_role("link", name=said(lang, "Record a conversation")).click()
    lead.check("record a conversation")
    n.get_by_label(said(lang, "Kind")).select_option(label=said(lang, "Planning conversation"))
    n.get_by_label(said(lang, "Notes")).fill("Maya will count her questions in two debriefs.")
    n.get_by_role("button", name=said(lang, "Record it")).click()
    lead.check("conversation recorded")

    # The coach reflects and shares it; the lead answers; the coach reads the answer.
    c.reload()
    assert "Maya will count her questions" in c.content()
    coach.tap(c.get_by_role("link", name=said(lang, "Reflect")))
    coach.check("reflect")
    c.get_by_label(said(lang, "Reflection")).fill("Four questions, nine suggestions on Tuesday.")
    c.get_by_label(said(lang, "Share with my lead coach")).check()
    coach.tap(c.get_by_role("button", name=said(lang, "Save the reflection")))
    coach.check("reflection shared")
    n.reload()
    n.get_by_role("link", name=said(lang, "Answer", context="verb: answer a reflection")).click()
    lead.check("answer the reflection")
    n.get_by_label(said(lang, "Your answer")).fill("What did the teacher do when you waited?")
    n.get_by_role("button", name=said(lang, "Send the answer")).click()
    lead.check("reflection answered")
    c.reload()
    assert "What did the teacher do when you waited?" in c.content()
    cycle = GrowthCycle.objects.get()
    assert cycle.competency.name == "Questioning"

    # Two teachers have answered: too few for the coach to see anything.
    nothing_yet = said(
        lang,
        "Nothing to show yet. When a cycle closes, its teachers may answer three questions "
        "about the coaching. Answers appear here once %(min_group)s different teachers at a "
        "school have answered, all together, so that no answer can be told apart.",
        min_group=K,
    )
    assert nothing_yet in c.inner_text("body")
    assert "Patient and practical." not in c.content()

    # The third teacher answers from their home; the coach then sees all three, together.
    teacher.sign_in("d@x.org")
    teacher.check("teacher home with the survey")
    t.get_by_role(
        "link",
        name=said(
            lang,
            'Answer<span class="visually-hidden"> about “%(title)s”</span>',
            title="Exit tickets",
        ),
    ).first.click()
    teacher.check("the survey")
    yes, somewhat = said(lang, "Yes"), said(lang, "Somewhat")
    t.get_by_role("group", name=said(lang, "Was the coaching useful to you?")).get_by_label(
        yes
    ).check()
    t.get_by_role(
        "group", name=said(lang, "Did it feel safe to try things and to say what you think?")
    ).get_by_label(somewhat).check()
    t.get_by_role("group", name=said(lang, "Would you work with a coach again?")).get_by_label(
        yes
    ).check()
    t.get_by_label(said(lang, "Anything you would like your coach to hear? (optional)")).fill(
        "Zero judgement, lots of help."
    )
    teacher.tap(t.get_by_role("button", name=said(lang, "Send my answer")))
    teacher.check("survey answered")
    c.reload()
    coach.check("what teachers said")
    three_answers = said(
        lang,
        "%(answered)s answers from teachers whose cycles closed, shown in groups of at least "
        "%(min_group)s different teachers, with no names, dates or order.",
        answered=3,
        min_group=K,
    )
    assert three_answers in c.inner_text("body")
    page = c.content()
    comments = ["Helpful questions.", "Patient and practical.", "Zero judgement, lots of help."]
    assert [page.index(comment) for comment in comments] == sorted(
        page.index(comment) for comment in comments
    )
    # The lead reads the same, in aggregate.
    n.reload()
    assert "Zero judgement, lots of help." in n.content()
    assert "Daniel Reyes" not in n.content()
