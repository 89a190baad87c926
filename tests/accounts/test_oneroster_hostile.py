"""Hostile and broken packages: each refused with a message naming where, nothing changed,
and never an error page."""

import io
import struct
import zipfile

import pytest

from accounts.models import Membership, RosterImport, School, User
from accounts.oneroster import reading
from accounts.oneroster.services import roster_package_preview
from tests.support.oneroster import USER_COLUMNS, small_district, table, zipped

pytestmark = pytest.mark.django_db


def refusals(district, data):
    record, plan = roster_package_preview(
        actor=None, district=district, upload=io.BytesIO(data), file_name="bad.zip"
    )
    assert record.status == RosterImport.Status.REFUSED
    assert record.extract is None
    return [str(r) for r in plan.refusals]


def files(**changes):
    found = small_district().files()
    found.update(changes)
    return zipped({k: v for k, v in found.items() if v is not None})


def test_a_package_without_a_manifest(district):
    assert refusals(district, files(**{"manifest.csv": None})) == [
        "The package has no manifest.csv."
    ]


def test_a_one_point_one_package(district):
    [refusal] = refusals(district, small_district().zip(version="1.1"))
    assert refusal.startswith("manifest.csv, line 3, column value, value “1.1”: Tandem reads")
    assert "exported again as 1.2" in refusal


def test_a_manifest_naming_a_file_the_package_lacks(district):
    [refusal] = refusals(district, files(**{"roles.csv": None}))
    assert refusal.startswith("manifest.csv, line")
    assert "no roles.csv" in refusal


def test_an_unknown_column(district):
    users = small_district().files()["users.csv"].replace("pronouns", "favouriteColour", 1)
    assert refusals(district, files(**{"users.csv": users})) == [
        "users.csv, line 1, column favouriteColour: This column is not one of OneRoster 1.2's "
        "for this file."
    ]


def test_a_missing_column(district):
    roles = table(["sourcedId", "status", "dateLastModified", "userSourcedId", "role"], [])
    found = refusals(district, files(**{"roles.csv": roles}))
    assert "roles.csv, line 1, column roleType: This column is missing." in found
    assert "roles.csv, line 1, column orgSourcedId: This column is missing." in found


def test_a_role_of_someone_who_is_not_in_users_csv(district):
    roster = small_district().role("r-99", "u-nobody", "teacher", "s-elem")
    assert refusals(district, roster.zip()) == [
        "roles.csv, line 12, column userSourcedId, value “u-nobody”: No one in users.csv (nor "
        "rostered before) has this sourcedId."
    ]


def test_a_role_at_a_school_that_is_not_in_orgs_csv(district):
    roster = small_district().role("r-99", "u-ada", "teacher", "s-nowhere")
    assert refusals(district, roster.zip()) == [
        "roles.csv, line 12, column orgSourcedId, value “s-nowhere”: No school or district in "
        "orgs.csv (nor in Tandem) has this sourcedId."
    ]


def test_duplicate_sourced_ids(district):
    roster = small_district().user("u-ada", "Ada", "Again", "ada2@riverside.example")
    assert refusals(district, roster.zip()) == [
        "users.csv, line 11, column sourcedId, value “u-ada”: This sourcedId is already on line 2."
    ]


def test_a_role_that_is_not_a_oneroster_role(district):
    roster = small_district().role("r-99", "u-ada", "headmaster", "s-elem")
    assert refusals(district, roster.zip()) == [
        "roles.csv, line 12, column role, value “headmaster”: This role is not one of "
        "OneRoster 1.2's."
    ]


def test_lines_ended_by_a_lone_carriage_return(district):
    [refusal] = refusals(district, small_district().zip(newline="\r"))
    assert refusal.startswith("manifest.csv, line 1: The line ends with a lone carriage return")


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_crlf_and_lf_are_both_read(district, newline):
    record, plan = roster_package_preview(
        actor=None,
        district=district,
        upload=io.BytesIO(small_district().zip(newline=newline)),
        file_name="ok.zip",
    )
    assert plan.refusals == []
    assert record.status == "previewed"


def test_a_nul_character(district):
    users = small_district().files()["users.csv"].replace("Lovelace", "Love\x00lace")
    assert refusals(district, files(**{"users.csv": users})) == [
        "users.csv, line 2: The line holds a NUL character."
    ]


def test_a_huge_field(district):
    users = small_district().files()["users.csv"].replace("Lovelace", "L" * 20_000)
    assert refusals(district, files(**{"users.csv": users})) == [
        "users.csv, line 2: The line is longer than 8192 characters."
    ]


def test_a_long_name(district):
    users = small_district().files()["users.csv"].replace("Lovelace", "L" * 200)
    [refusal] = refusals(district, files(**{"users.csv": users}))
    assert refusal.startswith("users.csv, line 2, column familyName, value “LLLL")
    assert refusal.endswith("The value is longer than 150 characters.")


def test_a_control_character_in_a_name(district):
    users = small_district().files()["users.csv"].replace("Lovelace", "Love\u202elace")
    [refusal] = refusals(district, files(**{"users.csv": users}))
    assert refusal.startswith("users.csv, line 2, column familyName: Remove the invisible")


@pytest.mark.parametrize("name", ["data/users.csv", "../users.csv", "/etc/users.csv", "a\\b.csv"])
def test_a_zip_with_folders(district, name):
    found = small_district().files()
    found[name] = found.pop("users.csv")
    [refusal] = refusals(district, zipped(found))
    assert "The package holds folders" in refusal


def test_a_zip_bomb(district):
    users = table(USER_COLUMNS, []) + ("," * 22 + "\r\n") * 2_000_000
    [refusal] = refusals(district, files(**{"users.csv": users}))
    assert refusal == "users.csv: The file is compressed beyond any real roster: a ZIP bomb?"


def test_a_zip_that_lies_about_its_sizes(district):
    data = bytearray(small_district().zip())
    # users.csv declares 10 bytes, uncompressed, in its local header and central directory.
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("users.csv")
    struct.pack_into("<I", data, info.header_offset + 22, 10)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        if data[central + 46 : central + 55] == b"users.csv":
            struct.pack_into("<I", data, central + 24, 10)
        central = data.find(b"PK\x01\x02", central + 4)
    [refusal] = refusals(district, bytes(data))
    assert refusal.startswith("The ZIP is damaged")


def test_a_file_past_the_size_limit(district, monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 500)
    [refusal] = refusals(district, small_district().zip())
    assert refusal.endswith("The file is larger than 0 MB.")


def test_not_a_zip(district):
    assert refusals(district, b"sourcedId,status\r\n") == ["The file is not a ZIP package."]


def test_an_empty_upload(district):
    assert refusals(district, b"") == ["The file is not a ZIP package."]


def test_a_file_that_is_not_utf8_is_refused_at_the_line_of_its_first_bad_byte(district):
    users = small_district().files()["users.csv"].replace("Lovelace", "Lovelacé").encode("latin-1")
    [refusal] = refusals(district, files(**{"users.csv": users}))
    assert refusal.startswith("users.csv, line 2: The file is not UTF-8 text: character ")
    assert "the byte 0xE9" in refusal


def test_a_problem_in_a_row_whose_quoted_cell_spans_lines_is_placed_where_the_row_starts(
    district,
):
    users = small_district().files()["users.csv"].replace("Lovelace", '"Love\r\nlace"')
    [refusal] = refusals(district, files(**{"users.csv": users}))
    assert refusal.startswith("users.csv, line 2, column familyName")


def test_an_unclosed_quote_is_placed_where_its_row_starts(district):
    users = small_district().files()["users.csv"].replace("Lovelace", '"Lovelace')
    [refusal] = refusals(district, files(**{"users.csv": users}))
    assert refusal.startswith("users.csv, line 2: The row cannot be read")


@pytest.mark.parametrize("name", ["users.csv", "roles.csv"])
def test_a_bulk_file_of_a_header_alone_is_refused(district, name):
    columns = small_district().files()[name].split("\r\n")[0] + "\r\n"
    [refusal] = refusals(district, files(**{name: columns}))
    assert refusal.startswith(f"{name}, line 2: The manifest says bulk, but the file holds")


def test_a_delta_file_of_a_header_alone_changes_nothing(district):
    roster = small_district(mode="delta")
    data = roster.zip(**{"roles.csv": roster.files()["roles.csv"].split("\r\n")[0] + "\r\n"})
    record, plan = roster_package_preview(
        actor=None, district=district, upload=io.BytesIO(data), file_name="delta.zip"
    )
    assert (record.status, plan.refusals, plan.roles_add) == ("previewed", [], [])


def test_an_empty_file(district):
    assert refusals(district, files(**{"orgs.csv": ""})) == [
        "orgs.csv: The file is empty: it needs its header line."
    ]


def test_a_refused_package_changes_nothing(district, school):
    before = (User.objects.count(), Membership.objects.count(), School.objects.count())
    roster = small_district().role("r-99", "u-ada", "teacher", "s-nowhere")
    refusals(district, roster.zip())
    assert (User.objects.count(), Membership.objects.count(), School.objects.count()) == before
    district.refresh_from_db()
    assert district.sourced_id == ""


HOSTILE = {
    "no manifest": lambda: files(**{"manifest.csv": None}),
    "1.1": lambda: small_district().zip(version="1.1"),
    "lone CR": lambda: small_district().zip(newline="\r"),
    "NUL": lambda: files(**{"users.csv": "sourcedId\x00\r\n"}),
    "folders": lambda: zipped({"x/manifest.csv": "a"}),
    "not a zip": lambda: b"\x00\xff" * 100,
    "latin-1": lambda: files(**{"orgs.csv": "sourcedId,nam\xe9\r\n".encode("latin-1")}),
    "truncated zip": lambda: small_district().zip()[:200],
    "binary garbage csv": lambda: files(**{"users.csv": bytes(range(256)) * 10}),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_no_hostile_package_gets_an_error_page(client_for, district_admin, kind):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("hostile.zip", HOSTILE[kind](), content_type="application/zip")
    response = client_for(district_admin).post(
        "/people/oneroster/", {"package": upload}, follow=True
    )
    assert response.status_code == 200
    assert "Nothing changed" in response.text
