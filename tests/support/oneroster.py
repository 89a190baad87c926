"""OneRoster 1.2 CSV packages written as the specification lays them out, for tests and for
measuring: `Roster` collects rows, `Roster.zip()` writes the package."""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from accounts.oneroster.reading import USER_COLUMNS

ORG_COLUMNS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "name",
    "type",
    "identifier",
    "parentSourcedId",
]
ROLE_COLUMNS = [
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
SESSION_COLUMNS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "title",
    "type",
    "startDate",
    "endDate",
    "parentSourcedId",
    "schoolYear",
]
DEMOGRAPHIC_COLUMNS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "birthDate",
    "sex",
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
    "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity",
    "countryOfBirthCode",
    "stateOfBirthAbbreviation",
    "cityOfBirth",
    "publicSchoolResidenceStatus",
]
ALL_FILES = [
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
    "userResources",
    "users",
]


def table(columns, rows, newline="\r\n"):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns] if isinstance(row, dict) else row)
    return out.getvalue()


@dataclass
class Roster:
    """A package's rows. Status and dateLastModified stay empty in bulk files, as the
    specification asks; a delta row says `active` or `tobedeleted`."""

    mode: str = "bulk"
    orgs: list = field(default_factory=list)
    users: list = field(default_factory=list)
    roles: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # other files, by name: their text
    modes: dict = field(default_factory=dict)  # file → bulk, delta, absent (else `mode`)

    def _status(self, status):
        return status if status or self.mode == "bulk" else "active"

    def stamp(self, status):
        return "" if self.mode == "bulk" and not status else "2026-11-20T10:00:00.000Z"

    def org(self, sid, name, type="school", parent="", status=""):
        self.orgs.append(
            {
                "sourcedId": sid,
                "status": self._status(status),
                "name": name,
                "type": type,
                "parentSourcedId": parent,
                "dateLastModified": self.stamp(status),
            }
        )
        return self

    def user(self, sid, given, family, email="", status="", enabled="true", **more):
        row = {
            "sourcedId": sid,
            "status": self._status(status),
            "enabledUser": enabled,
            "username": email.split("@")[0] if email else sid,
            "givenName": given,
            "familyName": family,
            "email": email,
            "dateLastModified": self.stamp(status),
        }
        row.update(more)
        self.users.append(row)
        return self

    def role(self, sid, user, role, org, status="", role_type="primary", **more):
        row = {
            "sourcedId": sid,
            "status": self._status(status),
            "userSourcedId": user,
            "roleType": role_type,
            "role": role,
            "orgSourcedId": org,
            "dateLastModified": self.stamp(status),
        }
        row.update(more)
        self.roles.append(row)
        return self

    def session(self, sid, title, type, start, end, parent="", year="2027", status=""):
        self.sessions.append(
            {
                "sourcedId": sid,
                "status": self._status(status),
                "title": title,
                "type": type,
                "startDate": start,
                "endDate": end,
                "parentSourcedId": parent,
                "schoolYear": year,
                "dateLastModified": self.stamp(status),
            }
        )
        return self

    def manifest_rows(self, version="1.2"):
        present = {
            "orgs": bool(self.orgs),
            "users": bool(self.users),
            "roles": bool(self.roles),
            "academicSessions": bool(self.sessions),
        }
        present.update({name.removesuffix(".csv"): True for name in self.extra})
        rows = [["manifest.version", "1.0"], ["oneroster.version", version]]
        for name in ALL_FILES:
            mode = self.modes.get(name) or (self.mode if present.get(name) else "absent")
            rows.append([f"file.{name}", mode])
        rows += [["source.systemName", "Test SIS"], ["source.systemCode", "test"]]
        return rows

    def files(self, version="1.2", newline="\r\n"):
        files = {
            "manifest.csv": table(["propertyName", "value"], self.manifest_rows(version), newline)
        }
        for name, columns, rows in (
            ("orgs.csv", ORG_COLUMNS, self.orgs),
            ("users.csv", USER_COLUMNS, self.users),
            ("roles.csv", ROLE_COLUMNS, self.roles),
            ("academicSessions.csv", SESSION_COLUMNS, self.sessions),
        ):
            if rows:
                files[name] = table(columns, rows, newline)
        files.update(self.extra)
        return files

    def zip(self, version="1.2", newline="\r\n", **changes):
        files = self.files(version, newline)
        files.update(changes)
        return zipped({k: v for k, v in files.items() if v is not None})


def zipped(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode() if isinstance(text, str) else text)
    return out.getvalue()


def small_district(mode="bulk"):
    """Riverside Unified as its SIS exports it: the district, two schools, a school year
    of two semesters, three teachers, a principal, the district's coaching lead, a
    counselor and two students with a guardian."""
    return (
        Roster(mode=mode)
        .org("d-1", "Riverside Unified", "district")
        .org("s-elem", "Riverside Elementary", parent="d-1")
        .org("s-mid", "Hillcrest Middle School", parent="d-1")
        .session("y-27", "2026-2027", "schoolYear", "2026-08-17", "2027-06-11")
        .session("t-fall", "Fall 2026", "semester", "2026-08-17", "2027-01-15", parent="y-27")
        .session("t-spring", "Spring 2027", "semester", "2027-01-19", "2027-06-11", parent="y-27")
        .user("u-ada", "Ada", "Lovelace", "ada@riverside.example")
        .user("u-alan", "Alan", "Turing", "alan@riverside.example")
        .user("u-grace", "Grace", "Hopper", "grace.hopper@riverside.example")
        .user("u-kat", "Katherine", "Johnson", "kat@riverside.example")
        .user("u-lead", "Dorothy", "Vaughan", "dorothy@riverside.example")
        .user("u-couns", "Mary", "Jackson", "mary@riverside.example")
        .user("u-stu1", "Stu", "Dent", "stu@students.example", password="hunter2")
        .user("u-stu2", "Pupil", "Learner", "pupil@students.example")
        .user("u-guard", "Gary", "Guardian", "gary@home.example")
        .role("r-1", "u-ada", "teacher", "s-elem")
        .role("r-2", "u-alan", "teacher", "s-elem")
        .role("r-3", "u-alan", "teacher", "s-mid", role_type="secondary")
        .role("r-4", "u-grace", "teacher", "s-mid")
        .role("r-5", "u-kat", "principal", "s-elem")
        .role("r-6", "u-lead", "districtAdministrator", "d-1")
        .role("r-7", "u-couns", "counselor", "s-mid")
        .role("r-8", "u-stu1", "student", "s-elem")
        .role("r-9", "u-stu2", "student", "s-mid")
        .role("r-10", "u-guard", "guardian", "s-elem")
    )


def staff_package(staff, schools=200, students=0, district="d-big"):
    """A district of `staff` teachers over `schools` schools (and a principal a school),
    with `students` student rows: the scale a large district sends."""
    roster = Roster().org(district, "Big District", "district")
    for s in range(schools):
        roster.org(f"s-{s}", f"School {s:03d}", parent=district)
    roster.session("y-27", "2026-2027", "schoolYear", "2026-08-17", "2027-06-11")
    for n in range(staff):
        school = f"s-{n % schools}"
        roster.user(f"t-{n}", f"Given{n}", f"Family{n}", f"teacher{n}@{district}.example")
        role = "principal" if n < schools else "teacher"
        roster.role(f"r-{n}", f"t-{n}", role, school)
    for n in range(students):
        roster.user(f"st-{n}", f"Kid{n}", "Student", f"kid{n}@students.example")
        roster.role(f"rs-{n}", f"st-{n}", "student", f"s-{n % schools}")
    return roster
