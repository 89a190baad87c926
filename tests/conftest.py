"""The people every test can call on, one fixture each.

The coach and teacher work at `school`; the colleague teaches there too; the other coach
works at `other_school`, in the same district; the school administrator runs `school`; the
district administrator oversees both schools.
"""

from types import SimpleNamespace

import pytest

from tests import factories


@pytest.fixture
def district(db):
    return factories.DistrictFactory(name="Riverside Unified")


@pytest.fixture
def school(district):
    return factories.SchoolFactory(district=district, name="Riverside Elementary")


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
        client.force_login(user)
        return client

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
    )
