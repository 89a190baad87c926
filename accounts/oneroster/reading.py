"""Reading a OneRoster 1.2 CSV package: a ZIP of CSV files, first `manifest.csv`.

Only four files are opened: `orgs.csv`, `roles.csv`, `academicSessions.csv` and
`users.csv`. Whatever else a package holds (demographics, enrollments, results, classes)
is never decompressed. In `roles.csv` a row whose role is not a teacher's or an
administrator's is passed over without a look at its other cells; in `users.csv` a row is
read only when its sourcedId is a staff member's (by a staff role in `roles.csv`, or
because the roster brought them in before): a student's or a guardian's row is passed
over unread, and no row's `password` cell is ever looked at. So what is kept of a package
(`Package`, the extract stored between preview and apply) holds staff alone.

A package is hostile until read: the ZIP's entries, its declared and actual sizes, each
line's length and characters, and every value Tandem keeps are checked, and anything
wrong is a `Refusal` naming the file, line, column and value, never an error page.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext, gettext_noop

from core.spreadsheets import FORMULA_STARTS

from ..models import SOURCED_ID_LENGTH
from ..text import REMOVE, one_line_offender, one_line_problem

# Limits. A district of 20,000 staff and 300,000 students sends a users.csv of about 60 MB;
# the package itself, compressed, a fifth of that.
MAX_PACKAGE_BYTES = 64 * 1024 * 1024
MAX_FILE_BYTES = 256 * 1024 * 1024  # each file Tandem opens, uncompressed
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # the files Tandem opens, together
MAX_RATIO = 100  # uncompressed to compressed, past the first megabyte: a ZIP bomb
MAX_ENTRIES = 64
MAX_LINE_CHARS = 8 * 1024
MAX_LINE_BYTES = 4 * MAX_LINE_CHARS  # UTF-8 takes at most four bytes a character
MAX_LINES = 2_000_000
MAX_REFUSALS = 500
NAME_LENGTH = 150
EMAIL_LENGTH = 254

VERSION = "1.2"
MODES = {"bulk", "delta", "absent"}
STATUSES = {"", "active", "tobedeleted"}

# Roles of OneRoster 1.2 (RoleEnum). Teachers and administrators become Tandem roles; the
# others are passed over unread. Coaches are never a roster's: they are chosen in Tandem.
TEACHER_ROLES = {"teacher"}
# "administrator" is OneRoster 1.1's word, still written by some 1.2 exports.
ADMINISTRATOR_ROLES = {"administrator", "principal", "siteAdministrator", "districtAdministrator"}
OTHER_ROLES = {
    "student",
    "guardian",
    "parent",
    "relative",
    "aide",
    "proctor",
    "counselor",
    "systemAdministrator",
}
ORG_TYPES = {"department", "school", "district", "local", "state", "national"}
SESSION_TYPES = {"gradingPeriod", "semester", "schoolYear", "term"}

USER_COLUMNS = [
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
# Each file Tandem reads: every column of the 1.2 specification, and those Tandem needs.
FILES = {
    "orgs.csv": (
        [
            "sourcedId",
            "status",
            "dateLastModified",
            "name",
            "type",
            "identifier",
            "parentSourcedId",
        ],
        ["sourcedId", "status", "dateLastModified", "name", "type", "parentSourcedId"],
    ),
    "roles.csv": (
        [
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
        ],
        [
            "sourcedId",
            "status",
            "dateLastModified",
            "userSourcedId",
            "roleType",
            "role",
            "orgSourcedId",
        ],
    ),
    "academicSessions.csv": (
        [
            "sourcedId",
            "status",
            "dateLastModified",
            "title",
            "type",
            "startDate",
            "endDate",
            "parentSourcedId",
            "schoolYear",
        ],
        [
            "sourcedId",
            "status",
            "dateLastModified",
            "title",
            "type",
            "startDate",
            "endDate",
            "parentSourcedId",
            "schoolYear",
        ],
    ),
    "users.csv": (
        USER_COLUMNS,
        [
            "sourcedId",
            "status",
            "dateLastModified",
            "enabledUser",
            "username",
            "givenName",
            "familyName",
        ],
    ),
}
READ_IN_ORDER = ["orgs.csv", "roles.csv", "academicSessions.csv", "users.csv"]
ROLE_WORD = re.compile(r"^[A-Za-z:._-]{1,40}$")
YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Refusal:
    """Why a package cannot be applied, where: file, line, column and the value found.

    Refusals are kept with the package's record and read later, by whoever opens its page,
    in their own language. So `message` is always in English, and `said` (which `str()` uses
    too) says it in the language active where it is read: from `message` itself, or, for a
    message with values in it, from `template` (its words before the values went in, marked
    with gettext_noop) and `params` (see `Refusal.saying`). The logs and the command line,
    where no language is active, read English.
    """

    message: str
    file: str = ""
    line: int | None = None
    column: str = ""
    value: str = ""
    template: str = ""
    params: dict[str, Any] | None = field(default=None, hash=False)

    @classmethod
    def saying(cls, template: str, params: dict[str, Any], *where: Any) -> Refusal:
        """A refusal whose message has values in it: `template % params`, where `template`
        is marked with gettext_noop and `params` are plain numbers and text."""
        return cls(template % params, *where, template=template, params=params)  # type: ignore[misc]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def said(self) -> str:
        """The message in the reader's language."""
        if self.template:
            return gettext(self.template) % (self.params or {})
        return gettext(self.message)

    @property
    def where(self) -> str:
        return ", ".join(
            part
            for part in (
                self.file,
                gettext("line %(line)s") % {"line": self.line} if self.line else "",
                gettext("column %(column)s") % {"column": self.column} if self.column else "",
                gettext("value “%(value)s”") % {"value": self.value} if self.value else "",
            )
            if part
        )

    def __str__(self) -> str:
        return f"{self.where}: {self.said}" if self.where else self.said


class Refused(Exception):
    """The package cannot be read further: the refusals found so far say why."""

    def __init__(self, refusals: list[Refusal]):
        super().__init__(str(refusals[0]) if refusals else "refused")
        self.refusals = refusals


@dataclass
class Org:
    line: int
    sourced_id: str
    status: str
    name: str
    type: str
    parent: str


@dataclass
class Role:
    line: int
    sourced_id: str
    status: str
    user: str
    role: str  # "teacher" or "administrator": what Tandem makes of the OneRoster role
    org: str
    begins: str
    ends: str


@dataclass
class Session:
    line: int
    sourced_id: str
    status: str
    title: str
    type: str
    starts: str
    ends: str
    parent: str
    school_year: str


@dataclass
class Person:
    line: int
    sourced_id: str
    status: str
    enabled: bool
    full_name: str
    email: str


@dataclass
class Package:
    """The staff part of a package: all Tandem keeps of it between preview and apply."""

    modes: dict[str, str]
    orgs: list[Org] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    passed_over: int = 0  # rows of students, guardians and others, not read

    def as_json(self) -> dict[str, Any]:
        # vars() rather than asdict(): its deep copies cost seconds for 20,000 people.
        return {
            "modes": dict(self.modes),
            "orgs": [vars(row) for row in self.orgs],
            "roles": [vars(row) for row in self.roles],
            "sessions": [vars(row) for row in self.sessions],
            "people": [vars(row) for row in self.people],
            "passed_over": self.passed_over,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Package:
        return cls(
            modes=dict(data["modes"]),
            orgs=[Org(**row) for row in data["orgs"]],
            roles=[Role(**row) for row in data["roles"]],
            sessions=[Session(**row) for row in data["sessions"]],
            people=[Person(**row) for row in data["people"]],
            passed_over=data.get("passed_over", 0),
        )


# The ZIP -----------------------------------------------------------------------------


class _Counted(io.RawIOBase):
    """A file of the ZIP, as it decompresses: more bytes than it declared, or than the
    limit, stop the reading (a ZIP bomb may lie about its sizes)."""

    def __init__(self, inner: IO[bytes], limit: int, name: str):
        self.inner, self.limit, self.name, self.count = inner, limit, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        self.count += len(data)
        if self.count > self.limit:
            raise Refused(
                [
                    Refusal.saying(
                        gettext_noop(
                            "%(file)s is larger than its ZIP entry declares, or too large."
                        ),
                        {"file": self.name},
                    )
                ]
            )
        buffer[: len(data)] = data
        return len(data)


def _entries(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise Refused(
            [
                Refusal.saying(
                    gettext_noop("The package holds more than %(count)d files."),
                    {"count": MAX_ENTRIES},
                )
            ]
        )
    entries: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        shown = name[:80] if not one_line_problem(name) else ""
        if info.is_dir() or "/" in name or "\\" in name or name in ("", ".", ".."):
            raise Refused(
                [
                    Refusal(
                        gettext_noop(
                            "The package holds folders: its CSV files must be at the top of the "
                            "ZIP, beside manifest.csv."
                        ),
                        file=shown,
                    )
                ]
            )
        if info.flag_bits & 0x1:
            raise Refused([Refusal(gettext_noop("This file is encrypted."), file=shown)])
        if name in entries:
            raise Refused([Refusal(gettext_noop("The package holds this file twice."), file=shown)])
        entries[name] = info
    return entries


def _check_sizes(entries: dict[str, zipfile.ZipInfo]) -> None:
    total = 0
    for name in ["manifest.csv", *READ_IN_ORDER]:
        info = entries.get(name)
        if info is None:
            continue
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Refused(
                [
                    Refusal(
                        gettext_noop("This file is compressed in a way Tandem does not read."), name
                    )
                ]
            )
        if info.file_size > MAX_FILE_BYTES:
            raise Refused(
                [
                    Refusal.saying(
                        gettext_noop("The file is larger than %(megabytes)s MB."),
                        {"megabytes": MAX_FILE_BYTES // 2**20},
                        name,
                    )
                ]
            )
        if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Refused(
                [
                    Refusal(
                        gettext_noop("The file is compressed beyond any real roster: a ZIP bomb?"),
                        name,
                    )
                ]
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise Refused(
            [
                Refusal.saying(
                    gettext_noop("The package is larger than %(megabytes)s MB."),
                    {"megabytes": MAX_TOTAL_BYTES // 2**20},
                )
            ]
        )


def _open(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> io.BufferedReader:
    raw = _Counted(archive.open(info), min(info.file_size, MAX_FILE_BYTES), info.filename)
    return io.BufferedReader(raw)


def _lines(stream: io.BufferedReader, name: str, counter: list[int]) -> Iterator[str]:
    """The file's lines, each checked and decoded before the CSV reader sees it: one line at
    a time, so that a byte that is not UTF-8 is refused at its line."""
    while True:
        data = stream.readline(MAX_LINE_BYTES + 1)
        if not data:
            return
        counter[0] += 1
        number = counter[0]
        if number == 1:
            data = data.removeprefix(codecs.BOM_UTF8)
        if number > MAX_LINES:
            raise Refused(
                [
                    Refusal.saying(
                        gettext_noop("The file has more than %(count)d lines."),
                        {"count": MAX_LINES},
                        name,
                        number,
                    )
                ]
            )
        cut = len(data) > MAX_LINE_BYTES  # longer than a line may be: its end is not read
        ends = 1 if cut else 2 if data.endswith(b"\r\n") else 1 if data.endswith(b"\n") else 0
        if b"\r" in data[: len(data) - ends]:
            # CRLF (the specification's) and LF are read; a carriage return alone ends
            # lines only in files from very old Macs, or broken ones: refused, not guessed.
            raise Refused(
                [
                    Refusal(
                        gettext_noop(
                            "The line ends with a lone carriage return (CR): save the file with "
                            "CRLF or LF line endings."
                        ),
                        name,
                        number,
                    )
                ]
            )
        try:
            line = "" if cut else data.decode("utf-8")
        except UnicodeDecodeError as error:
            at = len(data[: error.start].decode("utf-8", "replace")) + 1
            raise Refused(
                [
                    Refusal.saying(
                        gettext_noop(
                            "The file is not UTF-8 text: character %(at)d of this line is the "
                            "byte 0x%(byte)02X, which UTF-8 does not allow there (Windows-1252 "
                            "or Latin-1 text?). Save the file as UTF-8 and send it again."
                        ),
                        {"at": at, "byte": data[error.start]},
                        name,
                        number,
                    )
                ]
            ) from None
        if cut or len(line) > MAX_LINE_CHARS:
            raise Refused(
                [
                    Refusal.saying(
                        gettext_noop("The line is longer than %(count)d characters."),
                        {"count": MAX_LINE_CHARS},
                        name,
                        number,
                    )
                ]
            )
        if "\x00" in line:
            raise Refused([Refusal(gettext_noop("The line holds a NUL character."), name, number)])
        yield line


class _Table:
    """One CSV file: its header checked, then its rows, each with its line number."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, refusals: list[Refusal]):
        self.name = info.filename
        self.refusals = refusals
        self.stream = _open(archive, info)
        self.counter = [0]
        self.count = 0  # rows, blank lines left out
        self.reader = csv.reader(_lines(self.stream, self.name, self.counter), strict=True)
        self.columns: dict[str, int] = {}

    def header(self, known: list[str], required: list[str]) -> bool:
        try:
            header = next(self.reader)
        except StopIteration:
            self.refusals.append(
                Refusal(gettext_noop("The file is empty: it needs its header line."), self.name)
            )
            return False
        except csv.Error as error:
            self.refusals.append(
                Refusal.saying(
                    gettext_noop("The header cannot be read (%(error)s)."),
                    {"error": str(error)},
                    self.name,
                    1,
                )
            )
            return False
        ok = True
        for cell in header:
            column = cell.strip()
            if column in self.columns:
                self.refusals.append(
                    Refusal(
                        gettext_noop("The column appears twice."), self.name, 1, column=column[:80]
                    )
                )
                ok = False
            elif column not in known and not column.startswith("metadata."):
                self.refusals.append(
                    Refusal(
                        gettext_noop("This column is not one of OneRoster 1.2's for this file."),
                        self.name,
                        1,
                        column=column[:80] if not one_line_problem(column) else "",
                    )
                )
                ok = False
            self.columns[column] = len(self.columns)
        for column in required:
            if column not in self.columns:
                self.refusals.append(
                    Refusal(gettext_noop("This column is missing."), self.name, 1, column=column)
                )
                ok = False
        return ok

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Each row and the line it starts on (a quoted cell may hold line breaks)."""
        while True:
            start = self.counter[0] + 1
            try:
                row = next(self.reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise Refused(
                    [
                        Refusal.saying(
                            gettext_noop("The row cannot be read (%(error)s)."),
                            {"error": str(error)},
                            self.name,
                            start,
                        )
                    ]
                ) from None
            if not any(cell.strip() for cell in row):
                continue
            self.count += 1
            yield start, row

    def cell(self, row: list[str], column: str) -> str:
        at = self.columns.get(column)
        return row[at].strip() if at is not None and at < len(row) else ""


@dataclass(frozen=True)
class KnownDistrict:
    """What Tandem knows of the district a package is for, to refuse another's at once."""

    sourced_id: str = ""  # learnt from its first package
    taken: frozenset[str] = frozenset()  # other districts' sourcedIds


def another_district(org: str, line: int | None, district: KnownDistrict) -> Refusal | None:
    """Why a package whose district org is `org` is another district's, or None."""
    if district.sourced_id and org != district.sourced_id:
        return Refusal.saying(
            gettext_noop(
                "This package is for another district: Tandem knows this one by the sourcedId "
                "“%(sourced_id)s”."
            ),
            {"sourced_id": district.sourced_id[:80]},
            "orgs.csv",
            line,
            "sourcedId",
            org[:80],
        )
    if not district.sourced_id and org in district.taken:
        return Refusal(
            gettext_noop("Another district in Tandem has this sourcedId."),
            "orgs.csv",
            line,
            "sourcedId",
            org[:80],
        )
    return None


def read_package(
    source: IO[bytes],
    *,
    known_people: set[str] | None = None,
    district: KnownDistrict | None = None,
) -> Package:
    """Read a package's staff, schools and terms; raise `Refused` with every refusal.

    `known_people` are the sourcedIds of people the roster brought into the district
    before: their rows in users.csv are read even when this package names none of their
    roles (a delta that changes a name). A package whose orgs.csv names another `district`
    is refused at that row, alone: nothing else of another district's is read or shown.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise Refused([Refusal(gettext_noop("The file is not a ZIP package."))]) from None
    with archive:
        try:
            return _read(archive, known_people or set(), district or KnownDistrict())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as error:
            raise Refused(
                [
                    Refusal.saying(
                        gettext_noop("The ZIP is damaged (%(error)s)."), {"error": str(error)}
                    )
                ]
            ) from None


def _read(archive: zipfile.ZipFile, known_people: set[str], district: KnownDistrict) -> Package:
    entries = _entries(archive)
    if "manifest.csv" not in entries:
        raise Refused([Refusal(gettext_noop("The package has no manifest.csv."))])
    _check_sizes(entries)
    modes = _manifest(archive, entries["manifest.csv"], entries)
    package = Package(modes=modes)
    if modes["orgs.csv"] != "absent":
        _district_first(archive, entries["orgs.csv"], district)
    refusals: list[Refusal] = []
    staff: set[str] = set(known_people)
    for name in READ_IN_ORDER:
        if modes[name] == "absent":
            continue
        _read_file(archive, entries[name], package, staff, refusals)
        if len(refusals) >= MAX_REFUSALS:
            break
    if refusals:
        raise Refused(refusals[:MAX_REFUSALS])
    return package


def _district_first(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, district: KnownDistrict
) -> None:
    """Before any row is checked: a package of another district is refused at its district
    row, and that alone (its people are never compared with Tandem's, nor shown)."""
    table = _Table(archive, info, [])
    if not table.header(*FILES["orgs.csv"]):
        return  # the header's refusals come with the others
    for number, row in table.rows():
        if table.cell(row, "type") == "district":
            refusal = another_district(table.cell(row, "sourcedId"), number, district)
            if refusal is not None:
                raise Refused([refusal])


def _manifest(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, entries: dict[str, zipfile.ZipInfo]
) -> dict[str, str]:
    refusals: list[Refusal] = []
    table = _Table(archive, info, refusals)
    if not table.header(["propertyName", "value"], ["propertyName", "value"]):
        raise Refused(refusals)
    properties: dict[str, tuple[int, str]] = {}
    for number, row in table.rows():
        name, value = table.cell(row, "propertyName"), table.cell(row, "value")
        if name in properties:
            refusals.append(
                Refusal(
                    gettext_noop("This property appears twice."),
                    "manifest.csv",
                    number,
                    "propertyName",
                    name[:80],
                )
            )
        properties[name] = (number, value)
    version_line, version = properties.get("oneroster.version", (None, ""))
    if version != VERSION:
        if not version:
            said = gettext_noop(
                "Tandem reads OneRoster %(version)s packages; this manifest says "
                "oneroster.version is missing."
            )
        elif version == "1.1":
            said = gettext_noop(
                "Tandem reads OneRoster %(version)s packages; this manifest says "
                "oneroster.version is %(found)s. A 1.1 package must be exported again as 1.2."
            )
        else:
            said = gettext_noop(
                "Tandem reads OneRoster %(version)s packages; this manifest says "
                "oneroster.version is %(found)s."
            )
        refusals.append(
            Refusal.saying(
                said,
                {"version": VERSION, "found": version[:20]},
                "manifest.csv",
                version_line,
                "value",
                version[:20],
            )
        )
    modes: dict[str, str] = {}
    for name in READ_IN_ORDER:
        line, mode = properties.get(f"file.{name.removesuffix('.csv')}", (None, "absent"))
        if mode not in MODES:
            refusals.append(
                Refusal(
                    gettext_noop("Expected bulk, delta or absent."),
                    "manifest.csv",
                    line,
                    "value",
                    mode[:20],
                )
            )
        elif mode != "absent" and name not in entries:
            refusals.append(
                Refusal.saying(
                    gettext_noop("The manifest says %(mode)s, but the package has no %(file)s."),
                    {"mode": mode, "file": name},
                    "manifest.csv",
                    line,
                    "value",
                    mode,
                )
            )
        modes[name] = mode
    if not refusals and all(mode == "absent" for mode in modes.values()):
        refusals.append(
            Refusal(
                gettext_noop(
                    "The package has none of orgs.csv, roles.csv, academicSessions.csv and "
                    "users.csv: nothing for Tandem."
                ),
                "manifest.csv",
            )
        )
    if refusals:
        raise Refused(refusals)
    return modes


def _read_file(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    package: Package,
    staff: set[str],
    refusals: list[Refusal],
) -> None:
    name = info.filename
    table = _Table(archive, info, refusals)
    if not table.header(*FILES[name]):
        return
    reader = {
        "orgs.csv": _org,
        "roles.csv": _role,
        "academicSessions.csv": _session,
        "users.csv": _person,
    }[name]
    seen: dict[str, int] = {}
    for number, row in table.rows():
        found = reader(_Row(table, number, row, refusals), package, staff)
        if found is None:
            continue
        if found in seen:
            refusals.append(
                Refusal.saying(
                    gettext_noop("This sourcedId is already on line %(line)d."),
                    {"line": seen[found]},
                    name,
                    number,
                    "sourcedId",
                    found[:80],
                )
            )
        seen.setdefault(found, number)
        if len(refusals) >= MAX_REFUSALS:
            return
    if not table.count and package.modes[name] == "bulk":
        # The 1.2 CSV binding has no data file without rows (a file with nothing to say
        # is `absent`); a bulk file of a header alone is an export that failed half-way,
        # and would end every role, or deactivate everyone, the roster brought.
        refusals.append(
            Refusal(
                gettext_noop(
                    "The manifest says bulk, but the file holds its header and no rows: an "
                    "export that stopped half-way? A bulk file lists everything; send the whole "
                    "export."
                ),
                name,
                2,
            )
        )


class _Row:
    """One row and the checks of its cells, each refusal naming its place."""

    def __init__(self, table: _Table, line: int, row: list[str], refusals: list[Refusal]):
        self.table, self.line, self.row, self.refusals = table, line, row, refusals
        self.ok = True

    def raw(self, column: str) -> str:
        return self.table.cell(self.row, column)

    def refuse(
        self, column: str, value: str, message: str, params: dict[str, Any] | None = None
    ) -> None:
        """Refuse the cell: `message` marked with gettext_noop, its values `params`."""
        self.ok = False
        shown = value[:80] if not one_line_problem(value) else ""
        where = (self.table.name, self.line, column, shown)
        self.refusals.append(
            Refusal.saying(message, params, *where) if params else Refusal(message, *where)
        )

    def text(self, column: str, *, required: bool = True, limit: int = NAME_LENGTH) -> str:
        value = self.raw(column)
        if not value:
            if required:
                self.refuse(column, value, gettext_noop("This value is missing."))
        elif len(value) > limit:
            self.refuse(
                column,
                value,
                gettext_noop("The value is longer than %(count)d characters."),
                {"count": limit},
            )
        elif (code := one_line_offender(value)) is not None:
            self.refuse(column, value, REMOVE, {"code": code})
        return value

    def sourced_id(self, column: str = "sourcedId", *, required: bool = True) -> str:
        return self.text(column, required=required, limit=SOURCED_ID_LENGTH)

    def status(self) -> str:
        value = self.raw("status")
        if value not in STATUSES:
            self.refuse(
                "status", value, gettext_noop("Expected active or tobedeleted (or nothing).")
            )
        return value or "active"

    def date(self, column: str, *, required: bool) -> str:
        value = self.raw(column)
        if not value:
            if required:
                self.refuse(column, value, gettext_noop("This date is missing."))
            return ""
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            self.refuse(column, value, gettext_noop("Expected a date written YYYY-MM-DD."))
        return value

    def choice(self, column: str, choices: set[str]) -> str:
        value = self.raw(column)
        if value not in choices and not value.startswith("ext:"):
            self.refuse(
                column,
                value,
                gettext_noop("Expected one of %(choices)s."),
                {"choices": ", ".join(sorted(choices))},
            )
        return value


def _org(row: _Row, package: Package, staff: set[str]) -> str | None:
    org = Org(
        line=row.line,
        sourced_id=row.sourced_id(),
        status=row.status(),
        name=row.text("name"),
        type=row.choice("type", ORG_TYPES),
        parent=row.sourced_id("parentSourcedId", required=False),
    )
    if org.type in ("school", "district") and org.name.startswith(FORMULA_STARTS):
        row.refuse("name", org.name, gettext_noop("A name cannot start with =, +, - or @."))
    if row.ok:
        package.orgs.append(org)
    return org.sourced_id or None


def _role(row: _Row, package: Package, staff: set[str]) -> str | None:
    word = row.raw("role")
    if word in OTHER_ROLES or word.startswith("ext:"):
        # A student's, a guardian's, anyone's but staff's: not one more cell is looked at.
        package.passed_over += 1
        return None
    if word not in TEACHER_ROLES | ADMINISTRATOR_ROLES:
        row.ok = False
        row.refusals.append(
            Refusal(
                gettext_noop("This role is not one of OneRoster 1.2's."),
                row.table.name,
                row.line,
                "role",
                word if ROLE_WORD.match(word) else "",
            )
        )
        return None
    role = Role(
        line=row.line,
        sourced_id=row.sourced_id(),
        status=row.status(),
        user=row.sourced_id("userSourcedId"),
        role="teacher" if word in TEACHER_ROLES else "administrator",
        org=row.sourced_id("orgSourcedId"),
        begins=row.date("beginDate", required=False),
        ends=row.date("endDate", required=False),
    )
    row.choice("roleType", {"primary", "secondary"})
    if row.ok:
        package.roles.append(role)
        staff.add(role.user)
    return role.sourced_id or None


def _session(row: _Row, package: Package, staff: set[str]) -> str | None:
    session = Session(
        line=row.line,
        sourced_id=row.sourced_id(),
        status=row.status(),
        title=row.text("title"),
        type=row.choice("type", SESSION_TYPES),
        starts=row.date("startDate", required=True),
        ends=row.date("endDate", required=True),
        parent=row.sourced_id("parentSourcedId", required=False),
        school_year=row.raw("schoolYear"),
    )
    if not YEAR.match(session.school_year):
        row.refuse("schoolYear", session.school_year, gettext_noop("Expected a year written YYYY."))
    if row.ok and session.starts and session.ends and session.ends <= session.starts:
        row.refuse("endDate", session.ends, gettext_noop("A session must end after it starts."))
    if row.ok:
        package.sessions.append(session)
    return session.sourced_id or None


def _person(row: _Row, package: Package, staff: set[str]) -> str | None:
    sourced_id = row.raw("sourcedId")
    if sourced_id not in staff:
        # Not staff (a student, a guardian), or staff of no role Tandem keeps: unread.
        package.passed_over += 1
        return None
    sourced_id = row.sourced_id()
    status = row.status()
    enabled = row.raw("enabledUser").lower()
    if enabled not in ("true", "false"):
        row.refuse("enabledUser", row.raw("enabledUser"), gettext_noop("Expected true or false."))
    given = row.text("preferredGivenName", required=False) or row.text("givenName")
    family = row.text("preferredFamilyName", required=False) or row.text("familyName")
    full_name = f"{given} {family}".strip()
    if not row.ok:
        pass
    elif len(full_name) > NAME_LENGTH:
        row.refuse(
            "familyName",
            family,
            gettext_noop("The whole name is longer than %(count)d characters."),
            {"count": NAME_LENGTH},
        )
    elif full_name.startswith(FORMULA_STARTS):
        row.refuse("givenName", given, gettext_noop("A name cannot start with =, +, - or @."))
    email = _address(row)
    if row.ok:
        package.people.append(
            Person(row.line, sourced_id, status, enabled == "true", full_name, email)
        )
    return sourced_id or None


def _address(row: _Row) -> str:
    """The person's e-mail address: `email`, or `username` when it is one (many districts
    put the sign-in address there)."""
    column = "email" if row.raw("email") else "username"
    value = row.raw(column)
    if not value or (column == "username" and "@" not in value):
        row.refuse(
            "email",
            "",
            gettext_noop("The person has no e-mail address, which Tandem signs them in with."),
        )
        return ""
    try:
        if len(value) > EMAIL_LENGTH:
            raise ValidationError("too long")
        validate_email(value)
    except ValidationError:
        row.refuse(column, value, gettext_noop("This is not a valid e-mail address."))
    return value.lower()
