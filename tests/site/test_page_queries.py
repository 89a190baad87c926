"""Every page of the coaching, cycles and observations apps, and the coach and teacher
homes, runs the same number of SQL queries with 1 record and with 25 in each list it shows.

The pages are measured once for the module, one after another in one world (`costs`); each
test then asks for its page's two counts."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cycles.models import SurveyGroup
from growth import services
from growth.models import GrowthCycle
from notifications.models import CalendarFeed, Reminder
from observations.models import AccessEvent, SeatMap
from records.models import Export
from tests import factories

pytestmark = pytest.mark.django_db


def queries(client, url):
    """The page's status and how many queries it ran."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, len(captured)


def grow(world, coach, teacher, school, district, n):
    """n more of every record the pages list (the world fixture holds none of some)."""
    p, today = world.partnership, school.today()
    CalendarFeed.objects.get_or_create(user=coach)  # made on the first visit of its page
    for i in range(n):
        meeting = factories.MeetingFactory(partnership=p)
        factories.NextStepFactory(partnership=p, meeting=meeting)
        factories.NextStepFactory(partnership=p, due_on=today - datetime.timedelta(days=1))
        factories.CoachNoteFactory(partnership=p, coach=coach)
        factories.ProgressPointFactory(goal=world.goal, recorded_on=today - datetime.timedelta(i))
        factories.ReflectionFactory(cycle=world.cycle, author=teacher)
        factories.ActivityEntryFactory(coach=coach, school=school)
        factories.StrategyFactory(district=district)
        other = factories.PartnershipFactory(school=school, coach=coach)
        factories.GoalFactory(cycle__partnership=other)
        factories.PartnershipFactory(
            school=school, teachers=[teacher], status="invited"
        )  # invitations for the teacher
        factories.CycleFactory(
            partnership=p, phase="closed", ended_on=today, outcome="met", title=f"Old {i}"
        )
        for observation in (world.shared, world.draft):
            factories.ObservationNoteFactory(observation=observation)
            observation.tallies.create(label=f"Tally {i}", count=i)
            # Look-fors, each counted and with a note tagged by it, and seats tapped.
            look_for = factories.ChosenLookForFactory(observation=observation, counted=True)
            observation.tallies.create(label=look_for.description, look_for=look_for, count=i)
            factories.ObservationNoteFactory(observation=observation, look_for=look_for)
            if not SeatMap.objects.filter(observation=observation).exists():
                factories.seat_map_for(observation, rows=6, columns=6)
            observation.seat_taps.create(row=i % 6, column=(i // 6) % 6, kind="question")
        factories.ChosenLookForFactory(cycle=world.cycle, observation=None)
        factories.LookForTemplateFactory(district=district, look_fors=["A", "B"])
        factories.LookForTemplateFactory(district=district, school=school)
        p.seat_layouts.create(name=f"Period {n}-{i}", rows=3, columns=3)
        factories.ObservationFactory(cycle=world.cycle, status="shared")
        Reminder.objects.create(key=f"test:{n}:{i}", user=coach, kind="meeting", line="A", path="/")
        Export.objects.create(user=teacher, status="failed", created_at=world.cycle.created_at)
        AccessEvent.objects.create(
            subject=teacher,
            actor=coach,
            action="read",
            kind="observation",
            record_id=world.shared.pk,
            record_date=world.shared.observed_at,
        )
        # The coach's growth, the lead's coaches and what teachers said.
        growth, lead = world.growth, world.support.lead
        growth.reflections.create(
            text=f"R {i}", shared_with=world.support, answer="A", answered_by=lead
        )
        growth.meetings.create(
            kind="planning", held_on=today, notes="N", written_by=lead, support=world.support
        )
        growth.steps.create(text=f"Step {i}")
        GrowthCycle.objects.create(
            coach=coach,
            goal=f"Past {i}",
            competency=district.competencies.first(),
            started_on=today - datetime.timedelta(days=90),
            closed_on=today - datetime.timedelta(days=60),
        )
        factories.lead_support(lead, factories.coach_at(school))
        district.competencies.create(name=f"Competency {n}-{i}")
        services.support_offer(actor=lead, coach=factories.coach_at(school))
        group = SurveyGroup.objects.create(coach=coach, school=school, closed_on=today)
        group.answers.create(useful="yes", safe="partly", again="no", comment=f"C {i}")


PAGES = [
    ("coach", "/coach/"),
    ("teacher", "/teacher/"),
    ("coach", "/partnerships/"),
    ("teacher", "/partnerships/"),
    ("coach", "/partnerships/new/"),
    ("coach", "/partnerships/{partnership}/"),
    ("teacher", "/partnerships/{partnership}/"),
    ("coach", "/partnerships/{partnership}/meetings/new/"),
    ("coach", "/partnerships/{partnership}/next-steps/new/"),
    ("coach", "/partnerships/{partnership}/notes/"),
    ("coach", "/meetings/{meeting}/"),
    ("teacher", "/meetings/{meeting}/"),
    ("coach", "/meetings/{meeting}/edit/"),
    ("coach", "/meetings/{meeting}/cancel/"),
    ("coach", "/activity/"),
    ("coach", "/activity/new/"),
    ("coach", "/activity/{entry}/edit/"),
    ("coach", "/partnerships/{partnership}/cycles/new/"),
    ("coach", "/cycles/{cycle}/"),
    ("teacher", "/cycles/{cycle}/"),
    ("coach", "/cycles/{cycle}/close/"),
    ("coach", "/cycles/{cycle}/goal/"),
    ("coach", "/cycles/{cycle}/evidence/"),
    ("teacher", "/cycles/{cycle}/progress/"),
    ("teacher", "/cycles/{cycle}/reflections/new/"),
    ("teacher", "/reflections/{reflection}/edit/"),
    ("coach", "/strategies/"),
    ("coach", "/strategies/{strategy}/"),
    ("coach", "/observations/new/"),
    ("coach", "/cycles/{cycle}/observations/new/"),
    ("coach", "/observations/{shared}/"),
    ("teacher", "/observations/{shared}/"),
    ("coach", "/observations/{draft}/capture/"),
    ("coach", "/observations/{draft}/feedback/"),
    ("coach", "/observations/{draft}/share/"),
    ("teacher", "/my-records/"),
    ("teacher", "/my-records/portfolio/"),
    ("teacher", "/my-records/access/"),
    ("teacher", "/my-records/feedback/"),
    ("school_admin", "/people/"),
    ("school_admin", "/people/{teacher}/"),
    ("district_admin", "/people/"),
    ("district_admin", "/library/"),
    ("school_admin", "/people/import/"),
    ("district_admin", "/people/oneroster/"),
    ("coach", "/notifications/"),
    ("coach", "/calendar/"),
    ("coach", "/comment-bank/"),
    ("coach", "/observations/{shared}/capture/"),
    ("coach", "/observations/{shared}/feedback/"),
    ("coach", "/observations/{draft}/seats/"),
    ("teacher", "/cycles/{cycle}/look-fors/"),
    ("coach", "/cycles/{cycle}/look-fors/"),
    ("coach", "/meetings/{meeting}/"),
    ("teacher", "/look-fors/"),
    ("district_admin", "/look-fors/"),
    ("school_admin", "/look-fors/"),
    ("district_admin", "/look-fors/{template}/"),
    ("district_admin", "/look-fors/{template}/edit/"),
    ("teacher", "/look-fors/{template}/look-fors.json"),
    # Search (its lessons' reads, written to the access log: tests/homes/test_search.py).
    ("coach", "/search/?q=step"),
    ("teacher", "/search/?q=step"),
    # Coaching the coaches.
    ("coach", "/growth/"),
    ("coach", "/growth/cycles/{growth}/reflect/"),
    ("lead", "/coaches/"),
    ("lead", "/coaches/offer/"),
    ("lead", "/coaches/{support}/"),
    ("lead", "/growth/cycles/{growth}/conversations/new/"),
    ("coach", "/growth/cycles/{growth}/"),
    ("lead", "/growth/cycles/{growth}/"),
    ("district_admin", "/library/competencies/"),
]


# The world's cycle is open, so starting another is not offered: the page sends the coach
# back to the partnership, saying why, at the same cost however much the partnership holds.
EXPECTED = {("coach", "/partnerships/{partnership}/cycles/new/"): 302}


@pytest.fixture(scope="module")
def costs(world_once, django_db_blocker):
    """(status, queries) of every page of PAGES with 1 record in each list and with 25,
    measured page after page in the module's one world (`world_once`, tests/conftest.py)."""
    world, people = world_once.world, world_once.people
    coach, teacher = people["coach"], people["teacher"]
    grown = (world, coach, teacher, world_once.school, world_once.district)
    with django_db_blocker.unblock(), time_machine.travel(world_once.at, tick=False):
        clients = {
            persona: factories.sign_in(Client(), people[persona])
            for persona in dict.fromkeys(persona for persona, _ in PAGES)
        }
        urls = {
            page: page[1].format(
                partnership=world.partnership.pk,
                meeting=world.meeting.pk,
                cycle=world.cycle.pk,
                entry=world.entry.pk,
                reflection=world.teacher_shared.pk,
                strategy=world.strategy.pk,
                shared=world.shared.pk,
                draft=world.draft.pk,
                teacher=teacher.pk,
                template=world.template.pk,
                growth=world.growth.pk,
                support=world.support.pk,
            )
            for page in dict.fromkeys(PAGES)
        }
        grow(*grown, 1)
        few = {page: queries(clients[page[0]], url) for page, url in urls.items()}
        grow(*grown, 24)
        many = {page: queries(clients[page[0]], url) for page, url in urls.items()}
    return {page: (urls[page], few[page], many[page]) for page in urls}


@pytest.mark.parametrize(("persona", "path"), PAGES)
def test_the_page_costs_the_same_with_1_or_25_records(costs, persona, path):
    url, (status, few), (status_after, many) = costs[persona, path]
    assert status == status_after == EXPECTED.get((persona, path), 200), url
    assert many == few, f"{url}: {few} queries with 1 record, {many} with 25"
    # No page needs more than this; a jump means a query crept into a loop or template.
    assert many <= 16, f"{url}: {many} queries"
