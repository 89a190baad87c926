"""Canaries in every field of a coach's growth records and in teachers' survey comments,
searched for in everything other people can reach: the coach's growth records reach only
the coach and their lead (a private reflection, only the coach); a comment reaches nobody
until its group holds REPORT_MIN_GROUP teachers, and then only the coach and their lead,
in an order and with figures that cannot say who wrote it."""

import re

import pytest
from django.test import Client, override_settings

from cycles import services as cycles
from growth.models import LeadSupport
from tests import factories
from tests.site.test_confidentiality_canaries import admin_pages, crawl
from tests.support.urlwalk import all_routes, url_for

pytestmark = pytest.mark.django_db
CANARY = re.compile(r"CANARY-[A-Z-]+-\d+")
K = 3


def reach(user):
    """Every page `user` reaches from the pages that take no parameter, by following links."""
    client = factories.sign_in(Client(), user)
    start = ["/"] + [url_for(route) for _, route in all_routes() if "<" not in route]
    pages = crawl(client, start)
    return {url: response.content.decode(errors="replace") for url, response in pages.items()}


def found_in(pages):
    return {match for body in pages.values() for match in CANARY.findall(body)}


@pytest.fixture
def growth_canaries(world, coach, lead):
    counter = iter(range(1, 10_000))

    def canary(label):
        return f"CANARY-{label}-{next(counter)}"

    cycle = world.growth
    cycle.goal = canary("GOAL")
    cycle.save()
    private, shared = world.growth_private, world.growth_shared
    private.text = canary("PRIVATE")
    private.save()
    support = LeadSupport.objects.get(lead=lead)
    shared.text, shared.answer, shared.answered_by = canary("SHARED"), canary("ANSWER"), lead
    shared.shared_with = support
    shared.save()
    world.growth_meeting.notes = canary("CONVERSATION")
    world.growth_meeting.support = support
    world.growth_meeting.save()
    world.growth_step.text = canary("STEP")
    world.growth_step.save()
    return {
        "coach only": {private.text},
        "coach and lead": {cycle.goal, shared.text, shared.answer}
        | {world.growth_meeting.notes, world.growth_step.text},
    }


@pytest.mark.parametrize(
    "persona", ["school_admin", "district_admin", "teacher", "colleague", "other_coach"]
)
def test_a_coachs_growth_reaches_nobody_else(request, growth_canaries, persona):
    pages = reach(request.getfixturevalue(persona))
    assert len(pages) > 5
    assert found_in(pages) == set()


def test_the_lead_reads_what_the_coach_shares_and_nothing_kept(growth_canaries, lead):
    seen = found_in(reach(lead))
    assert seen == growth_canaries["coach and lead"]


def test_the_coach_reads_all_of_their_own(growth_canaries, coach):
    seen = found_in(reach(coach))
    assert seen == growth_canaries["coach and lead"] | growth_canaries["coach only"]


def test_another_lead_and_the_operators_read_none_of_it(growth_canaries, district):
    other_lead = factories.lead_of_district(district)
    assert found_in(reach(other_lead)) == set()
    operator = factories.sign_in(Client(), factories.UserFactory(is_staff=True, is_superuser=True))
    for url in admin_pages():
        body = operator.get(url).content.decode(errors="replace")
        assert not CANARY.search(body), url


def test_a_lead_who_becomes_the_coachs_principal_reads_nothing_more(growth_canaries, lead, school):
    factories.school_admin_at(school, user=lead)
    assert found_in(reach(lead)) == set()


# The teachers' voice ------------------------------------------------------------------


def answered(coach, school, n, *, start=0):
    """`n` teachers of the coach close a cycle each and answer with a canary comment."""
    said = []
    for i in range(start, start + n):
        teacher = factories.teacher_at(school, user__full_name=f"Voice teacher {i}")
        partnership = factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher])
        cycle = factories.CycleFactory(partnership=partnership)
        cycles.cycle_close(actor=coach, cycle=cycle, outcome="met", summary="")
        comment = f"CANARY-COMMENT-{900 + (7 * i) % 11}"
        cycles.survey_answer(
            actor=teacher, cycle=cycle, useful="yes", safe="yes", again="yes", comment=comment
        )
        said.append((teacher, comment))
    return said


@override_settings(REPORT_MIN_GROUP=K)
def test_comments_reach_nobody_below_the_group_size(
    world, coach, lead, school, school_admin, district_admin
):
    said = answered(coach, school, K - 1)
    everyone = [coach, lead, school_admin, district_admin, *(teacher for teacher, _ in said)]
    for person in everyone:
        assert found_in(reach(person)) == set(), person
    # One more teacher, and the group is shown: to the coach and their lead alone.
    said += answered(coach, school, 1, start=K - 1)
    comments = {comment for _, comment in said}
    assert found_in(reach(coach)) >= comments
    assert found_in(reach(lead)) >= comments
    for person in [school_admin, district_admin, *(teacher for teacher, _ in said)]:
        assert found_in(reach(person)) == set(), person


def voice_section(user):
    page = factories.sign_in(Client(), user).get("/growth/").content.decode()
    start = page.index('id="voice-heading"')
    return page[start : page.index("</section>", start)]


@override_settings(REPORT_MIN_GROUP=K)
def test_the_coach_cannot_tell_who_wrote_what(world, coach, school, clock):
    said = answered(coach, school, K)
    shown = voice_section(coach)
    # Order: alphabetical, not the order of answering (which here is not alphabetical).
    in_order = [comment for _, comment in said]
    assert in_order != sorted(in_order)
    positions = [shown.index(comment) for comment in sorted(in_order)]
    assert positions == sorted(positions)
    # Dates: none beside the answers, whenever they were given.
    assert not re.search(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", shown)
    assert not re.search(r"\d{4}-\d\d-\d\d|\d{1,2}:\d\d", shown)
    # Counts: the next teacher's answer moves nothing until K more have answered.
    clock.shift(60 * 60 * 24)
    answered(coach, school, 1, start=K)
    assert voice_section(coach) == shown
    answered(coach, school, K - 1, start=K + 1)
    assert voice_section(coach) != shown
