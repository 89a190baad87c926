"""The report's CSV export: one tidy table a spreadsheet opens cleanly, holding exactly the
figures the page shows and no more."""

import codecs
import csv
import io
import re

import pytest

from tests import factories
from tests.reports.scenarios import closed_cycle

pytestmark = pytest.mark.django_db

HEADER = ["figure", "period", "breakdown", "category", "value", "units", "status", "reason"]
SMALL = "fewer than 3 teachers"
COMPLEMENT = "hidden so another hidden figure cannot be worked out"


def table(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def records(response):
    header, *rows = table(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def small_groups(school, year_terms, settings):
    """Three teachers met their goal in Instruction, one did not: a group below K=3."""
    settings.REPORT_MIN_GROUP = 3
    for outcome in ("met", "met", "met", "not_met"):
        closed_cycle(school, "Instruction", outcome)
    factories.ActivityEntryFactory(school=school, minutes=1250, kind="conversation")


def test_the_export_starts_with_a_utf8_byte_order_mark(client_for, school_admin, school):
    export = client_for(school_admin).get(f"/reports/schools/{school.pk}/export.csv")
    # Without it, Excel reads the file as the machine's legacy code page and garbles "—".
    assert export.content.startswith(codecs.BOM_UTF8)
    assert export["Content-Type"] == "text/csv; charset=utf-8"


def test_the_export_is_one_table_under_one_header_row(
    client_for, school_admin, school, small_groups
):
    header, *rows = table(client_for(school_admin).get(f"/reports/schools/{school.pk}/export.csv"))
    assert header == HEADER
    assert len(rows) > 20
    assert all(len(row) == len(HEADER) for row in rows)
    assert HEADER not in rows
    assert all(row[0] for row in rows), "every row names its figure"
    keys = [tuple(row[:4]) for row in rows]
    assert len(keys) == len(set(keys)), "one observation per row"


def test_every_value_is_a_plain_number_or_empty(client_for, school_admin, school, small_groups):
    export = client_for(school_admin).get(f"/reports/schools/{school.pk}/export.csv")
    values = [row["value"] for row in records(export)]
    assert all(re.fullmatch(r"\d+(\.\d+)?", v) or v == "" for v in values), values
    assert "1250" in values  # no thousands separator
    assert {row["status"] for row in records(export)} <= {"shown", "suppressed", "no figure"}


def test_a_figure_over_fewer_than_k_teachers_is_empty_and_says_why(
    client_for, school_admin, school, small_groups
):
    export = client_for(school_admin).get(f"/reports/schools/{school.pk}/export.csv")
    not_met = next(
        row
        for row in records(export)
        if row["figure"] == "Cycles closed"
        and row["breakdown"] == "Instruction"
        and row["category"] == "Goal not met"
    )
    assert not_met["value"] == ""
    assert not_met["status"] == "suppressed"
    assert not_met["reason"] == SMALL
    taking_part = next(row for row in records(export) if row["figure"] == "Teachers taking part")
    assert (taking_part["value"], taking_part["units"], taking_part["status"]) == (
        "4",
        "teachers",
        "shown",
    )


def test_a_figure_hidden_to_protect_another_says_so(client_for, school_admin, school, small_groups):
    export = client_for(school_admin).get(f"/reports/schools/{school.pk}/export.csv")
    suppressed = [row for row in records(export) if row["status"] == "suppressed"]
    assert {row["reason"] for row in suppressed} == {SMALL, COMPLEMENT}
    assert all(row["value"] == "" for row in suppressed)
    shown = [row for row in records(export) if row["status"] == "shown"]
    assert all(row["value"] and not row["reason"] for row in shown)


def test_the_export_holds_exactly_what_the_page_shows(
    client_for, school_admin, school, small_groups
):
    client = client_for(school_admin)
    page = client.get("/school/").text
    rows = records(client.get(f"/reports/schools/{school.pk}/export.csv"))
    for row in rows:
        if row["status"] == "shown":
            suffix = "%" if row["units"] == "%" else ""
            assert re.search(rf"[>\s]{row['value']}{suffix}[<\s]", page), row
    # A count the page hides is a suppressed row of the export, for the same reason; a rate
    # built on a hidden count is suppressed too, where the page shows a dash.
    counts = [row for row in rows if row["units"] != "%"]
    assert page.count(">fewer than 3<") == sum(row["reason"] == SMALL for row in counts)
    assert page.count(">hidden<") == sum(row["reason"] == COMPLEMENT for row in counts)


def test_the_district_export_sets_the_schools_side_by_side(
    client_for, district_admin, district, school, other_school, year_terms
):
    for _ in range(5):
        closed_cycle(school, "Instruction")
    rows = records(client_for(district_admin).get(f"/reports/districts/{district.pk}/export.csv"))
    by_school = {
        row["breakdown"]: row for row in rows if row["figure"] == "Cycles completed by school"
    }
    assert set(by_school) == {"Riverside Elementary", "Hillcrest Middle School", "District"}
    assert by_school["Riverside Elementary"]["value"] == "5"
    assert by_school["Hillcrest Middle School"]["value"] == "0"
