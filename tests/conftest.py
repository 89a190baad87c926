"""The people every test can call on, one fixture each.

The coach and teacher work at `school`; the colleague teaches there too; the other coach
works at `other_school`, in the same district; the school administrator runs `school`; the
district administrator oversees both schools.
"""

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
