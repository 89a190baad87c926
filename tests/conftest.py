"""The people every test can call on, one fixture each.

The coach and teacher work at `school`; the colleague teaches there too; the other coach
works at `other_school`, in the same district; the school administrator runs `school`; the
district administrator oversees both schools.
"""

import datetime
import os
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import cache

from tests import factories

# Every test runs at this instant, whatever the wall clock says. It is chosen to be awkward:
# Sunday 23:30 in Chicago (the factories' school zone) is already Monday 05:30 in UTC, so
# a page or a test that takes "today" or "this week" from UTC instead of the school's zone
# fails on every run, not only at night. TANDEM_TEST_NOW (ISO 8601) moves it, to show the
# suite passes at any other instant too.
FROZEN_AT = datetime.datetime.fromisoformat(
    os.environ.get("TANDEM_TEST_NOW") or "2026-11-23T05:30:00+00:00"
)


@pytest.fixture(autouse=True)
def clock():
    """The frozen clock: `clock.move_to(instant)` or `clock.shift(timedelta)` to cross a
    boundary on purpose."""
    with time_machine.travel(FROZEN_AT, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: sign-in failure counts live there."""
    cache.clear()


@pytest.fixture
def district(db):
    return factories.DistrictFactory(name="Riverside Unified")


@pytest.fixture
def school(district):
    return factories.SchoolFactory(district=district, name="Riverside Elementary")


@pytest.fixture
def today(school):
    """Today's date at `school`, which is what its pages call today."""
    return school.today()


@pytest.fixture
def other_school(district):
    return factories.SchoolFactory(district=district, name="Hillcrest Middle School")


@pytest.fixture
def coach(school):
    return factories.coach_at(school, user__full_name="Maya Okafor", user__email="maya@example.org")


@pytest.fixture
def teacher(school):
    return factories.teacher_at(
        school, user__full_name="Daniel Reyes", user__email="daniel@example.org"
    )


@pytest.fixture
def colleague(school):
    return factories.teacher_at(
        school, user__full_name="Amara Bello", user__email="amara@example.org"
    )


@pytest.fixture
def other_coach(other_school):
    return factories.coach_at(
        other_school, user__full_name="Lena Novak", user__email="lena@example.org"
    )


@pytest.fixture
def school_admin(school):
    return factories.school_admin_at(
        school, user__full_name="Grace Whitfield", user__email="grace@example.org"
    )


@pytest.fixture
def district_admin(district):
    return factories.district_admin_of(
        district, user__full_name="Henry Lindqvist", user__email="henry@example.org"
    )


@pytest.fixture
def client_for(client):
    """Sign the test client in as a person and return it: `client_for(coach).get(...)`."""

    def sign_in(user):
        return factories.sign_in(client, user)

    return sign_in


@pytest.fixture
def partnership(coach, teacher, school):
    """An active partnership of `coach` and `teacher`."""
    return factories.PartnershipFactory(school=school, coach=coach, teachers=[teacher])


@pytest.fixture
def cycle(partnership):
    """An open cycle in the learn phase, with its goal."""
    return factories.GoalFactory(cycle__partnership=partnership).cycle


@pytest.fixture
def world(partnership, cycle, coach, teacher, district):
    """One of every coaching record of the partnership, for tests that walk every page."""
    meeting = factories.MeetingFactory(partnership=partnership)
    return SimpleNamespace(
        partnership=partnership,
        cycle=cycle,
        goal=cycle.goal,
        meeting=meeting,
        teacher_step=factories.NextStepFactory(partnership=partnership, meeting=meeting),
        coach_step=factories.NextStepFactory(partnership=partnership, owner="coach"),
        note=factories.CoachNoteFactory(partnership=partnership, coach=coach),
        point=factories.ProgressPointFactory(goal=cycle.goal),
        teacher_private=factories.ReflectionFactory(
            cycle=cycle, author=teacher, visibility="private", text="Teacher's private thought"
        ),
        teacher_shared=factories.ReflectionFactory(
            cycle=cycle, author=teacher, visibility="shared", text="Teacher's shared thought"
        ),
        coach_private=factories.ReflectionFactory(
            cycle=cycle, author=coach, visibility="private", text="Coach's private thought"
        ),
        entry=factories.ActivityEntryFactory(coach=coach, school=partnership.school),
        strategy=factories.StrategyFactory(district=district),
        teacher=teacher,
        shared=factories.ObservationFactory(cycle=cycle, status="shared"),
        draft=factories.ObservationFactory(cycle=cycle),
        template=factories.LookForTemplateFactory(district=district),
        # Asked for by the teacher for the cycle's next lesson.
        look_for=factories.ChosenLookForFactory(cycle=cycle, observation=None),
    )
