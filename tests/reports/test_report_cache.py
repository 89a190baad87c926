"""Report bodies are cached per viewer and per version of the snapshot: a recompute shows
at once, and no administrator ever receives a fragment rendered for another."""

import pytest

from reports.models import ReportSnapshot
from tests import factories

pytestmark = pytest.mark.django_db


def test_two_administrators_never_receive_each_others_fragment(
    client_for, school, school_admin, district_admin, coach
):
    factories.ActivityEntryFactory(coach=coach, school=school, minutes=45)
    principal_page = client_for(school_admin).get(f"/reports/schools/{school.pk}/").text
    assert "45" in principal_page

    # The stored figures change behind the page's back, the version unchanged: the
    # principal keeps their cached fragment...
    snapshot = ReportSnapshot.objects.get(school=school, period="this_term")
    snapshot.figures["minutes"]["totals"] = [
        9876 if v else v for v in snapshot.figures["minutes"]["totals"]
    ]
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(figures=snapshot.figures)
    assert "9876" not in client_for(school_admin).get(f"/reports/schools/{school.pk}/").text

    # ...but the district administrator reading the same school's report is not served it.
    lead_page = client_for(district_admin).get(f"/reports/schools/{school.pk}/").text
    assert "9876" in lead_page


def test_a_recomputed_report_shows_at_once(client_for, school, school_admin, coach):
    client = client_for(school_admin)
    url = f"/reports/schools/{school.pk}/"
    factories.ActivityEntryFactory(coach=coach, school=school, minutes=45)
    assert "1,234" not in client.get(url).text
    factories.ActivityEntryFactory(coach=coach, school=school, minutes=1189)
    client.post(f"/reports/schools/{school.pk}/refresh/", {"period": "this_term"})
    assert "1234" in client.get(url).text.replace(",", "")


def test_schools_side_by_side_come_25_to_a_page(client_for, district, district_admin):
    for n in range(27):
        factories.SchoolFactory(district=district, name=f"School {n:02d}")
    client = client_for(district_admin)
    first = client.get(f"/reports/districts/{district.pk}/").text
    assert "School 00" in first
    assert "School 26" not in first
    assert "Page 1 of 2" in first
    second = client.get(f"/reports/districts/{district.pk}/?page=2").text
    assert "School 26" in second
