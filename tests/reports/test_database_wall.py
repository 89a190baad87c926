"""On PostgreSQL, reports connect as a role that cannot read a coaching record's words."""

import datetime
import os

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import releases
from tests import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the reports role is a PostgreSQL role: run under .ci/run (DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),  # grants must be committed to be seen
]

# A role belongs to the whole server, not to one database: each pytest-xdist process makes
# its own, or two would find it missing and create it at once.
ROLE = "_".join(filter(None, ["tandem_reports_test", os.environ.get("PYTEST_XDIST_WORKER")]))
PASSWORD = "reports-test-password"
FORBIDDEN = [
    "SELECT text FROM observations_observationnote",
    "SELECT strengths FROM observations_observation",
    "SELECT text FROM observations_observationresponse",
    "SELECT text FROM cycles_reflection",
    "SELECT statement FROM cycles_goal",
    "SELECT note FROM cycles_progresspoint",
    "SELECT title, summary FROM cycles_cycle",
    "SELECT notes, agenda FROM coaching_meeting",
    "SELECT text FROM coaching_coachnote",
    "SELECT email FROM accounts_user",
]


def connect_as_reports_role():
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=ROLE,
        password=PASSWORD,
    )


@pytest.fixture
def reports_role():
    call_command("create_reports_role", role=ROLE, password=PASSWORD)
    conn = connect_as_reports_role()
    conn.autocommit = True
    yield conn
    conn.close()


@pytest.mark.parametrize("sql", FORBIDDEN)
def test_the_reports_role_is_denied_every_word_of_coaching(reports_role, sql):
    with reports_role.cursor() as cursor, pytest.raises(psycopg.errors.InsufficientPrivilege):
        cursor.execute(sql)


def test_every_report_query_succeeds_under_the_reports_role(reports_role):
    school = factories.SchoolFactory()
    today = school.today()
    factories.TermFactory(
        district=school.district,
        starts_on=today - datetime.timedelta(days=120),
        ends_on=today - datetime.timedelta(days=20),
    )
    goal = factories.GoalFactory(cycle__partnership__school=school)
    goal.evidence.create(kind="pre", students_assessed=20, students_proficient=5)
    goal.evidence.create(kind="post", students_assessed=20, students_proficient=12)
    cycle = goal.cycle
    cycle.phase, cycle.outcome = "closed", "met"
    cycle.ended_on = today - datetime.timedelta(days=30)
    cycle.save()
    factories.ActivityEntryFactory(school=school, date=cycle.ended_on)
    with CaptureQueriesContext(connection) as captured:
        releases.release_district(school.district)
    reads = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT") and "FOR UPDATE" not in q["sql"]
    ]
    assert len(reads) > 10
    with reports_role.cursor() as cursor:
        for sql in reads:
            cursor.execute(sql)  # raises InsufficientPrivilege if a report reached too far
