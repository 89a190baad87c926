import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import SchoolFactory, coach_at, teacher_at

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_district_home_costs_the_same_for_1_or_25_schools(client_for, district_admin, district):
    client = client_for(district_admin)
    SchoolFactory(district=district)
    few = count_queries(client, "/district/")
    for _ in range(24):
        school = SchoolFactory(district=district)
        coach_at(school)
        teacher_at(school)
    # session, user, memberships (with places), schools with staff counts
    assert count_queries(client, "/district/") == few == 4


def test_the_school_home_costs_the_same_for_1_or_25_staff(client_for, school_admin, school):
    client = client_for(school_admin)
    few = count_queries(client, "/school/")
    for _ in range(25):
        teacher_at(school)
    # session, user, memberships, school with staff counts
    assert count_queries(client, "/school/") == few == 4
