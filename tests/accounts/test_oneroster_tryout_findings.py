"""What the OneRoster tryout (district IT and a security tester) found, one test a defect.

The packages are written here from the OneRoster 1.2 CSV binding, as a SIS exports them
(CRLF, a BOM on users.csv, `metadata.*` columns, blank optional cells), not with
tests/support/oneroster.py. Each test fails until its finding is fixed.
"""

import contextlib
import csv
import datetime
import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import RosterImport, User
from accounts.tasks import import_roster_folder
from tests import factories

pytestmark = pytest.mark.django_db

MANIFEST_FILES = [
    "academicSessions",
    "categories",
    "classes",
    "classResources",
    "courses",
    "courseResources",
    "demographics",
    "enrollments",
    "lineItemLearningObjectiveIds",
    "lineItems",
    "lineItemScoreScales",
    "orgs",
    "resources",
    "resultLearningObjectiveIds",
    "results",
    "resultScoreScales",
    "roles",
    "scoreScales",
    "userProfiles",
    "users",
]
ORGS = ["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"]
USERS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
    "userMasterIdentifier",
    "resourceSourcedIds",
    "preferredGivenName",
    "preferredMiddleName",
    "preferredFamilyName",
    "primaryOrgSourcedId",
    "pronouns",
]
ROLES = [
    "sourcedId",
    "status",
    "dateLastModified",
    "userSourcedId",
    "roleType",
    "role",
    "beginDate",
    "endDate",
    "orgSourcedId",
    "userProfileSourcedId",
]


def table(header, rows, extra=(), bom=False, encoding="utf-8"):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([*header, *extra])
    for row in rows:
        writer.writerow([row.get(h, "") for h in [*header, *extra]])
    data = buf.getvalue().encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data


def manifest(modes):
    rows = [{"propertyName": "manifest.version", "value": "1.0"}]
    rows.append({"propertyName": "oneroster.version", "value": "1.2"})
    rows += [{"propertyName": f"file.{f}", "value": modes.get(f, "absent")} for f in MANIFEST_FILES]
    rows.append({"propertyName": "source.systemName", "value": "Tryout SIS"})
    return table(["propertyName", "value"], rows)


def person(sid, given, family, email, enabled="true"):
    return {
        "sourcedId": sid,
        "enabledUser": enabled,
        "username": sid,
        "givenName": given,
        "familyName": family,
        "email": email,
        "metadata.building": "Main, East wing",
    }


def role(sid, user, kind, org, role_type="primary"):
    return {
        "sourcedId": sid,
        "userSourcedId": user,
        "roleType": role_type,
        "role": kind,
        "orgSourcedId": org,
    }


def package(
    people, roles, district_sid="d-RUSD", district_name="Riverside Unified", users_enc=None
):
    orgs = [
        {"sourcedId": district_sid, "name": district_name, "type": "district"},
        {
            "sourcedId": "s-RIV",
            "name": "Riverside Elementary",
            "type": "school",
            "parentSourcedId": district_sid,
        },
    ]
    users = table(USERS, people, extra=["metadata.building"], bom=True)
    if users_enc is not None:
        users = users_enc(users)
    files = {
        "manifest.csv": manifest({"orgs": "bulk", "users": "bulk", "roles": "bulk"}),
        "orgs.csv": table(ORGS, orgs),
        "users.csv": users,
        "roles.csv": table(ROLES, roles),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buf.getvalue()


def upload(client, data, name="riverside.zip"):
    before = set(RosterImport.objects.values_list("pk", flat=True))
    client.post(
        "/people/oneroster/",
        {"package": SimpleUploadedFile(name, data, content_type="application/zip")},
    )
    return RosterImport.objects.exclude(pk__in=before).get()


def page_of(client, record):
    return client.get(f"/people/oneroster/{record.pk}/").text


def apply(client, record):
    client.post(f"/people/oneroster/{record.pk}/apply/")
    record.refresh_from_db()
    assert record.status == "applied", record.refusals


@pytest.fixture
def admin_client(client_for, district_admin, school):
    return client_for(district_admin)


HENRY = person("u-henry", "Henry", "Lindqvist", "henry@example.org")
HENRY_ROLE = role("r-henry", "u-henry", "districtAdministrator", "d-RUSD")


# 1. enabledUser=false is ignored for someone new -----------------------------------------


def test_a_new_person_the_sis_lists_as_disabled_is_not_made_active(admin_client):
    """users.csv `enabledUser` false: the SIS says this account is switched off. A bulk
    package brings Olga in as an active teacher who can sign in with the district's account,
    and the same package uploaded again then wants to deactivate her."""
    data = package(
        [HENRY, person("u-olga", "Olga", "Disabled", "olga@riverside.example", enabled="false")],
        [HENRY_ROLE, role("r-olga", "u-olga", "teacher", "s-RIV")],
    )
    apply(admin_client, upload(admin_client, data))
    olga = User.objects.filter(email="olga@riverside.example").first()
    assert olga is None or not olga.is_active


def test_the_same_package_with_a_disabled_newcomer_applied_twice_changes_nothing(admin_client):
    data = package(
        [HENRY, person("u-olga", "Olga", "Disabled", "olga@riverside.example", enabled="false")],
        [HENRY_ROLE, role("r-olga", "u-olga", "teacher", "s-RIV")],
    )
    apply(admin_client, upload(admin_client, data))
    again = upload(admin_client, data)
    assert "This package changes nothing" in page_of(admin_client, again)


# 2. Whether an address uses Tandem in another district ------------------------------------


@pytest.fixture
def lakeside():
    district = factories.DistrictFactory(name="Lakeside USD")
    factories.SchoolFactory(district=district, name="Lakeside High")
    return district


def test_a_roster_does_not_tell_another_district_which_addresses_use_tandem(
    client_for, lakeside, teacher
):
    """README (Invitations): whether an address already uses Tandem elsewhere is never the
    inviting district's to learn. Lakeside's administrator lists Riverside's teacher in a
    package, and then an address nobody uses: the two previews must not differ in kind.
    Today the first is refused with "This address is a Tandem account that does not work in
    this district", the second previews as someone to add: an oracle for any address."""
    client = client_for(factories.district_admin_of(lakeside, user__email="lara@lakeside.example"))
    lake = {"district_sid": "d-LAKE", "district_name": "Lakeside USD"}
    lara = person("u-lara", "Lara", "Lake", "lara@lakeside.example")
    lara_role = role("r-lara", "u-lara", "districtAdministrator", "d-LAKE")

    def probe(address):
        people = [lara, person("u-x", "Probe", "Person", address)]
        roles = [lara_role, role("r-x", "u-x", "teacher", "s-RIV")]
        return upload(client, package(people, roles, **lake))

    known = probe(teacher.email)
    unknown = probe("nobody.ever@elsewhere.example")
    assert "is a Tandem account" not in page_of(client, known)
    assert known.status == unknown.status


# 3. The roster folder follows symbolic links ----------------------------------------------


def put(folder, name, data, minutes_ago=10):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    moment = (timezone.now() - datetime.timedelta(minutes=minutes_ago)).timestamp()
    os.utime(path, (moment, moment))
    return path


def test_the_roster_folder_does_not_follow_a_link_into_another_districts_packages(
    tmp_path, settings, district, lakeside, teacher
):
    """An SFTP user of Lakeside's folder can create a symbolic link (sftp `ln -s`) to a
    package kept in Riverside's `applied/` folder. The nightly run opens it, refuses it as
    another district's, and lists Riverside's staff addresses on Lakeside's import page
    (and mails Lakeside's administrators to go and read them)."""
    settings.ONEROSTER_DROP_DIR = str(tmp_path)
    district.sourced_id = "d-RUSD"
    district.save()
    lakeside.sourced_id = "d-LAKE"
    lakeside.save()
    riverside = package(
        [HENRY, person("u-dan", "Daniel", "Reyes", teacher.email)],
        [HENRY_ROLE, role("r-dan", "u-dan", "teacher", "s-RIV")],
    )
    kept = put(tmp_path / "d-RUSD" / "applied", "20261122-023000-2026-11-22.zip", riverside)
    link = tmp_path / "d-LAKE" / "peek.zip"
    link.parent.mkdir(parents=True)
    link.symlink_to(os.path.relpath(kept, link.parent))
    moment = (timezone.now() - datetime.timedelta(minutes=10)).timestamp()
    os.utime(link, (moment, moment), follow_symlinks=False)

    import_roster_folder()

    seen = [
        refusal.get("value", "")
        for record in RosterImport.objects.filter(district=lakeside)
        for refusal in record.refusals or []
    ]
    assert teacher.email not in seen
    assert (
        not RosterImport.objects.filter(district=lakeside, file_name="peek.zip")
        .exclude(refusals__icontains="link")
        .exists()
    ), "a link should be left alone (or refused as a link), never read"


# 4. Nobody left to sign in as the district's administrator -------------------------------


def test_the_nightly_run_or_command_does_not_deactivate_the_last_district_administrator(
    tmp_path, district, district_admin, school
):
    """The upload page refuses "This package would deactivate your own account", but the
    folder and `import_oneroster` have no uploader: a bulk package that leaves out the
    district's only administrator (whose role was given in Tandem; the first package merely
    recognised the address) deactivates them, and nobody is left to upload the next one."""
    first = package([HENRY], [HENRY_ROLE])
    second = package(
        [person("u-ada", "Ada", "Lovelace", "ada@riverside.example")],
        [role("r-ada", "u-ada", "teacher", "s-RIV")],
    )
    for number, data in enumerate([first, second]):
        path = tmp_path / f"{number}.zip"
        path.write_bytes(data)
        # A refusal (CommandError) of the second package is an acceptable outcome.
        with contextlib.suppress(CommandError):
            call_command("import_oneroster", str(district.pk), str(path))
    district_admin.refresh_from_db()
    assert district_admin.is_active


def test_a_principal_given_her_role_in_tandem_is_not_locked_out_by_a_bulk_roster(
    admin_client, school_admin
):
    """Grace was made school administrator in Tandem. Package 1 lists her (recognised by
    address); package 2 leaves her out: she is deactivated, though "a roster never ends a
    role given in Tandem" and her only role was given in Tandem. (The two README rules
    collide here; the preview of package 1 never says recognising her hands her account to
    the roster.)"""
    grace = person("u-grace", "Grace", "Whitfield", school_admin.email)
    first = package([HENRY, grace], [HENRY_ROLE, role("r-grace", "u-grace", "principal", "s-RIV")])
    apply(admin_client, upload(admin_client, first))
    second = package([HENRY], [HENRY_ROLE])
    record = upload(admin_client, second)
    if record.status == "previewed":
        admin_client.post(f"/people/oneroster/{record.pk}/apply/")
    school_admin.refresh_from_db()
    assert school_admin.is_active


# 5. A header-only roles.csv in bulk ends every roster role --------------------------------


def test_a_bulk_roles_file_with_no_rows_is_refused_rather_than_ending_every_role(admin_client):
    """The 1.2 CSV binding does not permit a data file with no data rows (a file with nothing
    to say is `absent` in the manifest). A SIS export that failed half-way and wrote only the
    header of roles.csv ends every roster role in the district, with everyone still active."""
    people = [HENRY, person("u-ada", "Ada", "Lovelace", "ada@riverside.example")]
    apply(
        admin_client,
        upload(
            admin_client, package(people, [HENRY_ROLE, role("r-ada", "u-ada", "teacher", "s-RIV")])
        ),
    )
    record = upload(admin_client, package(people, []))
    assert record.status == "refused"


# 6. Refusals that do not say where --------------------------------------------------------


def test_a_windows_1252_users_file_is_refused_at_its_line(admin_client):
    """Many SIS exports are still Windows-1252. The refusal says only "The file is not UTF-8
    text", with no line, column or value, in a file of 20,000 staff."""
    people = [HENRY, person("u-jose", "José", "Müller", "jose@riverside.example")]
    roles = [HENRY_ROLE, role("r-jose", "u-jose", "teacher", "s-RIV")]
    data = package(people, roles, users_enc=lambda b: b.decode("utf-8-sig").encode("cp1252"))
    record = upload(admin_client, data)
    assert record.status == "refused"
    (refusal,) = record.refusals
    assert (refusal["file"], refusal["line"]) == ("users.csv", 3)


def test_the_refusal_to_deactivate_the_uploader_says_where(admin_client):
    """Every problem is listed by file, line, column and value (README); this one has none."""
    first = package([HENRY], [HENRY_ROLE])
    apply(admin_client, upload(admin_client, first))
    henry_disabled = dict(HENRY, enabledUser="false")
    record = upload(admin_client, package([henry_disabled], [HENRY_ROLE]))
    assert record.status == "refused"
    (refusal,) = record.refusals
    assert (refusal["file"], refusal["line"], refusal["column"]) == (
        "users.csv",
        2,
        "enabledUser",
    )


# 7. Wording -------------------------------------------------------------------------------


def test_one_change_is_not_called_these_1_change(admin_client):
    """ "Applying this package makes these 1 change, all together." """
    apply(admin_client, upload(admin_client, package([HENRY], [HENRY_ROLE])))
    renamed = dict(HENRY, familyName="Lindqvist-Berg")
    record = upload(admin_client, package([renamed], [HENRY_ROLE]))
    text = page_of(admin_client, record)
    assert "Henry Lindqvist → Henry Lindqvist-Berg" in text
    assert "these 1 change" not in text
