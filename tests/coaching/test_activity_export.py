"""A coach downloads their own activity log: every entry, with whom, as a spreadsheet opens it."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db


def rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_coach_gets_every_entry_of_theirs_at_the_school(
    client_for, coach, other_coach, partnership, teacher, school
):
    factories.ActivityEntryFactory(
        coach=coach, school=school, partnership=partnership, minutes=45,
        kind="conversation", note="=HYPERLINK(1)", date=datetime.date(2026, 11, 20),
    )  # fmt: skip
    factories.ActivityEntryFactory(coach=coach, school=school, date=datetime.date(2026, 11, 2))
    factories.ActivityEntryFactory(coach=other_coach, school=other_coach.memberships.get().school)
    table = rows(client_for(coach).get("/activity/export.csv"))
    assert table == [
        ["date", "minutes", "kind", "with", "note"],
        ["2026-11-02", "30", "Observation", "", ""],
        ["2026-11-20", "45", "Coaching conversation", teacher.full_name, "'=HYPERLINK(1)"],
    ]


def test_the_activity_page_offers_it(client_for, coach):
    assert 'href="/activity/export.csv"' in client_for(coach).get("/activity/").text


@pytest.mark.parametrize("persona", ["teacher", "school_admin", "district_admin"])
def test_nobody_without_a_coach_role_has_one(client_for, request, persona):
    assert (
        client_for(request.getfixturevalue(persona)).get("/activity/export.csv").status_code == 404
    )


def test_the_export_costs_the_same_with_1_or_50_entries(client_for, coach, school, partnership):
    client = client_for(coach)
    counts = []
    for n in (1, 49):
        for _ in range(n):
            factories.ActivityEntryFactory(coach=coach, school=school, partnership=partnership)
        with CaptureQueriesContext(connection) as captured:
            rows(client.get("/activity/export.csv"))
        counts.append(len(captured))
    assert counts[0] == counts[1]
