"""The district administrator's roster pages: upload, preview, apply; nobody else's."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Membership, RosterImport, User
from accounts.oneroster.services import roster_package_preview
from tests import factories
from tests.support.oneroster import small_district, staff_package

pytestmark = pytest.mark.django_db


def upload(roster):
    data = roster.zip()
    return SimpleUploadedFile("riverside.zip", data, content_type="application/zip")


def test_a_district_administrator_previews_then_applies_a_package(client_for, district_admin):
    client = client_for(district_admin)
    response = client.post("/people/oneroster/", {"package": upload(small_district())})
    record = RosterImport.objects.get()
    assert response.url == f"/people/oneroster/{record.pk}/"
    page = client.get(response.url)
    assert "Applying this package makes these 15 changes" in page.text
    assert "Ada Lovelace · ada@riverside.example" in page.text
    assert "Katherine Johnson · School administrator · Riverside Elementary" in page.text
    assert "8 rows of students, guardians and other people" in page.text
    assert not User.objects.filter(email="ada@riverside.example").exists()
    response = client.post(f"/people/oneroster/{record.pk}/apply/")
    assert response.url == "/people/oneroster/"
    assert Membership.objects.filter(user__email="ada@riverside.example", from_roster=True).exists()
    listing = client.get("/people/oneroster/")
    assert "riverside.zip" in listing.text
    assert "Applied" in listing.text


def test_a_refused_package_lists_each_problem_where_it_is(client_for, district_admin):
    roster = small_district().role("r-99", "u-ada", "teacher", "s-nowhere")
    response = client_for(district_admin).post(
        "/people/oneroster/", {"package": upload(roster)}, follow=True
    )
    assert "Nothing changed: 1 problem to fix" in response.text
    assert "<td>roles.csv</td><td>12</td><td>orgSourcedId</td><td>s-nowhere</td>" in response.text
    assert "Apply</button>" not in response.text


def test_a_package_can_be_put_aside(client_for, district_admin):
    client = client_for(district_admin)
    client.post("/people/oneroster/", {"package": upload(small_district())})
    record = RosterImport.objects.get()
    client.post(f"/people/oneroster/{record.pk}/discard/")
    record.refresh_from_db()
    assert record.status == "expired"
    assert record.extract is None
    response = client.post(f"/people/oneroster/{record.pk}/apply/", follow=True)
    assert "upload it again" in response.text
    assert not User.objects.filter(email="ada@riverside.example").exists()


def test_the_people_page_offers_rosters_to_district_administrators_only(
    client_for, district_admin, school_admin
):
    assert "/people/oneroster/" in client_for(district_admin).get("/people/").text
    assert "/people/oneroster/" not in client_for(school_admin).get("/people/").text


@pytest.mark.parametrize("persona", ["coach", "teacher", "school_admin"])
def test_only_district_administrators_reach_the_roster_pages(
    request, client_for, persona, district
):
    record, _ = roster_package_preview(
        actor=None, district=district, upload=io.BytesIO(small_district().zip()), file_name="p.zip"
    )
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/people/oneroster/").status_code == 404
    assert client.get(f"/people/oneroster/{record.pk}/").status_code == 404
    assert client.post(f"/people/oneroster/{record.pk}/apply/").status_code == 404
    assert (
        client.post("/people/oneroster/", {"package": upload(small_district())}).status_code == 404
    )
    assert not User.objects.filter(email="ada@riverside.example").exists()


def test_another_districts_administrator_finds_no_package_of_this_district(client_for, district):
    record, _ = roster_package_preview(
        actor=None, district=district, upload=io.BytesIO(small_district().zip()), file_name="p.zip"
    )
    stranger = factories.district_admin_of(factories.DistrictFactory())
    client = client_for(stranger)
    assert client.get(f"/people/oneroster/{record.pk}/").status_code == 404
    assert client.post(f"/people/oneroster/{record.pk}/apply/").status_code == 404
    assert client.post(f"/people/oneroster/{record.pk}/discard/").status_code == 404
    assert not User.objects.filter(email="ada@riverside.example").exists()


def test_a_fellow_administrator_reads_a_preview_but_only_its_uploader_applies_it(
    client_for, district_admin, district
):
    record, _ = roster_package_preview(
        actor=district_admin,
        district=district,
        upload=io.BytesIO(small_district().zip()),
        file_name="p.zip",
    )
    fellow = factories.district_admin_of(district)
    client = client_for(fellow)
    page = client.get(f"/people/oneroster/{record.pk}/")
    assert "Only whoever uploaded a package applies it." in page.text
    client.post(f"/people/oneroster/{record.pk}/apply/")
    assert not User.objects.filter(email="ada@riverside.example").exists()


def _preview_queries(client, staff, district):
    data = staff_package(staff, schools=3, district=district).zip()
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/people/oneroster/", {"package": SimpleUploadedFile("p.zip", data)})
    record = RosterImport.objects.get(pk=response.url.split("/")[-2])
    with CaptureQueriesContext(connection) as shown:
        assert client.get(response.url).status_code == 200
    with CaptureQueriesContext(connection) as applied:
        assert client.post(response.url + "apply/").status_code == 302
    record.refresh_from_db()
    assert record.status == "applied", record.refusals
    return len(captured), len(shown), len(applied)


def test_preview_page_and_apply_cost_the_same_queries_for_5_or_60_staff(client_for, district):
    # Each size in a district of its own, by an administrator of it.
    few = _preview_queries(client_for(factories.district_admin_of(district)), 5, "d-few")
    other = factories.DistrictFactory()
    many = _preview_queries(client_for(factories.district_admin_of(other)), 60, "d-many")
    assert few == many


def test_after_apply_the_page_says_what_was_done(client_for, district_admin):
    client = client_for(district_admin)
    client.post("/people/oneroster/", {"package": upload(small_district())})
    record = RosterImport.objects.get()
    preview = client.get(f"/people/oneroster/{record.pk}/").text
    assert "People to add: 5" in preview
    assert "Roles to give: 6" in preview
    client.post(f"/people/oneroster/{record.pk}/apply/")
    page = client.get(f"/people/oneroster/{record.pk}/").text
    assert "Applying this package made these 15 changes" in page
    assert "People added: 5" in page
    assert "Roles given: 6" in page
    assert "Roles to give" not in page


def test_the_preview_says_once_that_anyone_using_tandem_elsewhere_is_asked_first(
    client_for, district_admin
):
    client = client_for(district_admin)
    client.post("/people/oneroster/", {"package": upload(small_district())})
    page = client.get(f"/people/oneroster/{RosterImport.objects.get().pk}/").text
    assert page.count("already uses Tandem elsewhere is asked first, by e-mail") == 1


def test_the_preview_says_the_roster_keeps_the_roles_of_people_it_recognises(
    client_for, district_admin, teacher
):
    roster = small_district()
    roster.users[0]["email"] = teacher.email
    client = client_for(district_admin)
    client.post("/people/oneroster/", {"package": upload(roster)})
    page = client.get(f"/people/oneroster/{RosterImport.objects.get().pk}/").text
    assert "People already in Tandem, recognised by their address: 1" in page
    assert "Daniel Reyes · daniel@example.org" in page
    assert "from now on the roster keeps their roles up to date" in page
    # Their school too, matched by its name: its sourcedId recorded, nothing to change.
    assert "Schools recognised by name, whose sourcedId Tandem records: 1" in page
    assert "Riverside Elementary · s-elem" in page
    assert "Schools to change" not in page


def test_each_problem_is_also_a_card_for_a_phone(client_for, district_admin):
    roster = small_district().role("r-99", "u-ada", "teacher", "s-nowhere")
    response = client_for(district_admin).post(
        "/people/oneroster/", {"package": upload(roster)}, follow=True
    )
    assert (
        '<li><span class="refusal-where">roles.csv, line 12, column orgSourcedId, value '
        "“s-nowhere”</span>No school or district in orgs.csv" in response.text
    )
