"""What a package would change in a district, worked out before anything changes.

`plan_package` compares a read package (`reading.Package`) with the district as it is,
in a fixed number of queries whatever the package's size (reads in chunks of a thousand),
and returns a `Plan`: schools and terms to add or change, people to add, recognise, change,
deactivate or bring back, roles to give and to end, and every refusal. The preview shows
it; `services.roster_package_apply` works it out again and carries it out only if it is
the same as what was shown.

The rules:
- The district is the package's one org of type `district`; its sourcedId is kept on
  the first package and must match on every later one.
- Schools are matched by sourcedId (or, the first time, by name); never removed.
- Terms are the finest academic sessions (a school year with no terms, or its terms or
  semesters): Tandem's terms tile the calendar for the reports. Never removed.
- A person is matched by sourcedId, or the first time by e-mail address if their account
  already holds a role in this district. Any other account is asked to take its roles
  (a RoleInvitation, as `person_invite` asks), and previewed exactly as someone new: what
  an address is elsewhere is never shown. Someone new whom the package deletes or
  switches off is not made. A roster changes names, never addresses.
- Roles the roster gives are marked `from_roster`; only those are ever ended by a roster.
- bulk users.csv: rostered people missing from it lose their roster roles, and are
  deactivated unless a role given in Tandem (or one in another district) keeps their
  account open; bulk roles.csv: roster roles missing from it end. delta: `tobedeleted`
  ends a role or deactivates a person, `enabledUser` false deactivates them.
- No package deactivates its uploader or ends their district administrator role, nor
  leaves the district with no active district administrator.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core.translated import Text

from ..models import District, Membership, RoleInvitation, RosteredPerson, School, Term, User
from .reading import KnownDistrict, Package, Person, Refusal, another_district
from .reading import Role as RoleRow

Role = Membership.Role
Key = tuple[str, str, str]  # a role: the person's sourcedId, the role, its place
Where = tuple[str, int | None, str, str]  # file, line, column, value
CHUNK = 1000
SHOWN = 50  # rows of each list a preview shows
TERM_TYPES = {"schoolYear", "semester", "term"}
A_YEAR = re.compile(r"\d{4}")


def chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    # SQLite allows a limited number of parameters in one query.
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class Plan:
    district_sourced_id: str = ""  # to keep on the district, the first time
    schools_add: list[dict] = field(default_factory=list)
    schools_record: list[dict] = field(default_factory=list)  # matched by name: sourcedId kept
    schools_change: list[dict] = field(default_factory=list)
    terms_add: list[dict] = field(default_factory=list)
    terms_record: list[dict] = field(default_factory=list)
    terms_change: list[dict] = field(default_factory=list)
    people_add: list[dict] = field(default_factory=list)
    people_match: list[dict] = field(default_factory=list)
    people_change: list[dict] = field(default_factory=list)
    people_deactivate: list[dict] = field(default_factory=list)
    people_reactivate: list[dict] = field(default_factory=list)
    roles_add: list[dict] = field(default_factory=list)
    roles_end: list[dict] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    passed_over: int = 0
    kept: list[str] = field(default_factory=list)  # what the package would remove, kept
    # Addresses the package gives people, other than Tandem's: never changed by a roster.
    addresses: list[dict] = field(default_factory=list)

    CHANGES = (
        "schools_add",
        "schools_record",
        "schools_change",
        "terms_add",
        "terms_record",
        "terms_change",
        "people_add",
        "people_match",
        "people_change",
        "people_deactivate",
        "people_reactivate",
        "roles_add",
        "roles_end",
    )

    def changes(self) -> int:
        return sum(len(getattr(self, name)) for name in self.CHANGES) + bool(
            self.district_sourced_id
        )

    # Shown, but not changes: what the package says otherwise than Tandem, kept as it is.
    NOTED = ("addresses",)

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in self.CHANGES + self.NOTED} | {
            "passed_over": self.passed_over
        }

    def digest(self) -> str:
        """What the plan would change, as one fingerprint: the preview's and apply's agree
        only when nothing changed in between."""
        content = {name: getattr(self, name) for name in self.CHANGES}
        content["district"] = self.district_sourced_id
        text = json.dumps(content, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def shown(self) -> list[tuple[str, list[dict], int]]:
        """Each list of changes for the preview page: its name, first rows and length."""
        return [
            (name, getattr(self, name)[:SHOWN], len(getattr(self, name)))
            for name in self.CHANGES + self.NOTED
        ]


class _Planner:
    def __init__(
        self, district: District, package: Package, *, actor: User | None, today: datetime.date
    ):
        self.district = district
        self.package = package
        self.actor = actor
        self.today = today
        self.plan = Plan(passed_over=package.passed_over)
        # People refused, or new and deleted or switched off: their roles are not looked at.
        self.unsettled: set[str] = set()
        self.asked: dict[str, int] = {}  # sourcedId → account asked to take its roles
        self.invited_here: set[int] = set()  # of those, accounts this district invited before
        # The cell that deactivates someone, or ends a role: ("user", pk) or ("role", pk).
        self.why: dict[tuple[str, int], Where] = {}
        self.refuse = self.plan.refusals.append

    # The district --------------------------------------------------------------------

    def district_identity(self) -> str:
        orgs = [o for o in self.package.orgs if o.type == "district" and o.status == "active"]
        for extra in orgs[1:]:
            self.refuse(
                Refusal(
                    gettext_noop("A package is for one district; this is a second one."),
                    "orgs.csv",
                    extra.line,
                    "type",
                    "district",
                )
            )
        known = self.district.sourced_id
        if not orgs:
            if self.package.modes["orgs.csv"] == "bulk":
                self.refuse(
                    Refusal(gettext_noop("orgs.csv has no org of type district."), "orgs.csv")
                )
            elif not known:
                self.refuse(
                    Refusal(
                        gettext_noop(
                            "Tandem does not know this district's sourcedId yet: the first "
                            "package must hold orgs.csv with the district in it."
                        )
                    )
                )
            return known
        org = orgs[0]
        # Read first already (reading.another_district); again here, at "Apply", in case
        # another package made the district's sourcedId known in between.
        taken = District.objects.filter(sourced_id=org.sourced_id).exclude(pk=self.district.pk)
        refusal = another_district(
            org.sourced_id,
            org.line,
            KnownDistrict(known, frozenset(taken.values_list("sourced_id", flat=True))),
        )
        if refusal is not None:
            self.refuse(refusal)
        elif not known:
            self.plan.district_sourced_id = org.sourced_id
        return org.sourced_id

    # Schools -------------------------------------------------------------------------

    def schools(self, district_id: str) -> dict[str, School | str]:
        """Every school a role may name, by sourcedId: a School, or the sourcedId of one
        the plan adds."""
        existing = list(School.objects.filter(district=self.district))
        by_id: dict[str, School | str] = {s.sourced_id: s for s in existing if s.sourced_id}
        unclaimed = {s.name.lower(): s for s in existing if not s.sourced_id}
        names = {s.name.lower(): s for s in existing}
        taken: dict[str, int] = {}
        for org in self.package.orgs:
            if org.type != "school":
                continue
            if org.parent and org.parent != district_id:
                self.refuse(
                    Refusal(
                        gettext_noop("This school belongs to another org than the district."),
                        "orgs.csv",
                        org.line,
                        "parentSourcedId",
                        org.parent[:80],
                    )
                )
                continue
            if org.status != "active":
                if org.sourced_id in by_id:
                    # The school's name: the page says why it is kept.
                    self.plan.kept.append(org.name)
                continue
            key = org.name.lower()
            if key in taken:
                self.refuse(
                    Refusal.saying(
                        gettext_noop("Two schools are named alike (the other on line %(line)d)."),
                        {"line": taken[key]},
                        "orgs.csv",
                        org.line,
                        "name",
                        org.name[:80],
                    )
                )
                continue
            taken[key] = org.line
            school = by_id.get(org.sourced_id)
            if school is None and key in unclaimed:
                school = unclaimed.pop(key)
            holder = names.get(key)
            if isinstance(school, School):
                if school.name != org.name or school.sourced_id != org.sourced_id:
                    if holder is not None and holder.pk != school.pk:
                        self._name_taken(org.line, org.name)
                        continue
                    # The same name, matched the first time: only its sourcedId is new.
                    recorded = school.name == org.name
                    (self.plan.schools_record if recorded else self.plan.schools_change).append(
                        {
                            "pk": school.pk,
                            "sourced_id": org.sourced_id,
                            "name": org.name,
                            "was": school.name,
                        }
                    )
                by_id[org.sourced_id] = school
            else:
                if holder is not None:
                    self._name_taken(org.line, org.name)
                    continue
                self.plan.schools_add.append({"sourced_id": org.sourced_id, "name": org.name})
                by_id[org.sourced_id] = org.sourced_id
        return by_id

    def _name_taken(self, line: int, name: str) -> None:
        self.refuse(
            Refusal(
                gettext_noop("Another school of the district already has this name."),
                "orgs.csv",
                line,
                "name",
                name[:80],
            )
        )

    # Terms ---------------------------------------------------------------------------

    def terms(self) -> None:
        sessions = [
            s for s in self.package.sessions if s.type in TERM_TYPES and s.status == "active"
        ]
        parents = {s.parent for s in sessions if s.parent}
        # The finest sessions: those no other session of these types sits inside.
        leaves = sorted(
            (s for s in sessions if s.sourced_id not in parents), key=lambda s: s.starts
        )
        existing = list(Term.objects.filter(district=self.district))
        by_id = {t.sourced_id: t for t in existing if t.sourced_id}
        unclaimed = {t.name.lower(): t for t in existing if not t.sourced_id}
        names = {t.name.lower(): t for t in existing}
        seen: dict[str, int] = {}
        previous = None
        for session in leaves:
            name = session.title
            if not A_YEAR.search(name):
                name = f"{name} ({session.school_year})"
            if len(name) > 60:
                self.refuse(
                    Refusal(
                        gettext_noop("A term's name is at most 60 characters."),
                        "academicSessions.csv",
                        session.line,
                        "title",
                        session.title[:80],
                    )
                )
                continue
            if previous is not None and session.starts <= previous.ends:
                self.refuse(
                    Refusal.saying(
                        gettext_noop(
                            "This session overlaps the one on line %(line)d: Tandem's terms "
                            "follow one another."
                        ),
                        {"line": previous.line},
                        "academicSessions.csv",
                        session.line,
                        "startDate",
                        session.starts,
                    )
                )
                continue
            previous = session
            key = name.lower()
            if key in seen:
                self.refuse(
                    Refusal.saying(
                        gettext_noop(
                            "Two terms would be named alike (the other on line %(line)d)."
                        ),
                        {"line": seen[key]},
                        "academicSessions.csv",
                        session.line,
                        "title",
                        session.title[:80],
                    )
                )
                continue
            seen[key] = session.line
            term = by_id.get(session.sourced_id) or unclaimed.pop(key, None)
            holder = names.get(key)
            if holder is not None and (term is None or holder.pk != term.pk):
                self.refuse(
                    Refusal(
                        gettext_noop("Another term of the district already has this name."),
                        "academicSessions.csv",
                        session.line,
                        "title",
                        session.title[:80],
                    )
                )
                continue
            row = {
                "sourced_id": session.sourced_id,
                "name": name,
                "starts_on": session.starts,
                "ends_on": session.ends,
            }
            if term is None:
                self.plan.terms_add.append(row)
                continue
            was = (term.name, term.starts_on.isoformat(), term.ends_on.isoformat())
            if was != (name, session.starts, session.ends):
                self.plan.terms_change.append(row | {"pk": term.pk, "was": term.name})
            elif term.sourced_id != session.sourced_id:
                self.plan.terms_record.append(row | {"pk": term.pk, "was": term.name})

    # People --------------------------------------------------------------------------

    def people(self) -> tuple[dict[str, RosteredPerson], dict[str, User | None]]:
        """Each person of the package by sourcedId: their account, or None for one the plan
        makes. Also returns the district's rostered people (sourcedId → link).

        An address that is an account already working in this district is recognised.
        Any other account is asked, as `person_invite` asks: the preview lists them with
        the people to add, alike, since whether an address uses Tandem elsewhere is never
        the district's to learn.
        """
        links = {
            link.sourced_id: link
            for link in RosteredPerson.objects.filter(district=self.district).select_related("user")
        }
        linked_users = {link.user_id: sid for sid, link in links.items()}
        rows = list(self.package.people)
        emails = [p.email for p in rows if p.sourced_id not in links]
        found: dict[str, User] = {}
        for chunk in chunks(emails):
            found.update((u.email.lower(), u) for u in User.objects.filter(email__in=chunk))
        here = self._working_here([u.pk for u in found.values()])
        accounts: dict[str, User | None] = {}
        addresses: dict[str, int] = {}
        for person in rows:
            self.unsettled.add(person.sourced_id)
            if person.email in addresses:
                self.refuse(
                    Refusal.saying(
                        gettext_noop("Two people have this address (the other on line %(line)d)."),
                        {"line": addresses[person.email]},
                        "users.csv",
                        person.line,
                        "email",
                        person.email[:80],
                    )
                )
                continue
            addresses[person.email] = person.line
            link = links.get(person.sourced_id)
            if link is not None:
                self.unsettled.discard(person.sourced_id)
                accounts[person.sourced_id] = link.user
                self._changes(person, link.user)
                continue
            if person.status != "active" or not person.enabled:
                continue  # someone new whom the package deletes or switches off: nothing to do
            user = found.get(person.email)
            if user is not None and user.pk in linked_users:
                self.refuse(
                    Refusal.saying(
                        gettext_noop(
                            "This address is another rostered person's, whose sourcedId is "
                            "“%(sourced_id)s”."
                        ),
                        {"sourced_id": linked_users[user.pk][:80]},
                        "users.csv",
                        person.line,
                        "email",
                        person.email[:80],
                    )
                )
                continue
            self.unsettled.discard(person.sourced_id)
            accounts[person.sourced_id] = user
            if user is not None and user.pk in here:
                self.plan.people_match.append(
                    {
                        "pk": user.pk,
                        "sourced_id": person.sourced_id,
                        "name": user.full_name,
                        "email": user.email,
                    }
                )
                self._changes(person, user)
                continue
            row: dict[str, Any] = {
                "sourced_id": person.sourced_id,
                "name": person.full_name,
                "email": person.email,
            }
            if user is not None:
                # Asked by e-mail when the package is applied; shown as the package says,
                # never as the account is.
                self.asked[person.sourced_id] = user.pk
                row["ask"] = user.pk
            self.plan.people_add.append(row)
        return links, accounts

    def _working_here(self, ids: list[int]) -> set[int]:
        """Of these accounts, those that hold a role in this district."""
        d = self.district.pk
        here: set[int] = set()
        for chunk in chunks(ids):
            here.update(
                Membership.objects.filter(user__in=chunk)
                .filter(Q(school__district=d) | Q(district=d))
                .values_list("user_id", flat=True)
            )
        return here

    def _changes(self, person: Person, user: User) -> None:
        if person.status != "active":
            return
        if user.full_name != person.full_name:
            self.plan.people_change.append(
                {
                    "pk": user.pk,
                    "sourced_id": person.sourced_id,
                    "was": user.full_name,
                    "name": person.full_name,
                }
            )
        if user.email != person.email:
            # Never changed by a roster: whoever holds an address may reset the password of
            # the account it signs in to, which may work in other districts too. And the
            # same words whether the new address is free or someone's account elsewhere.
            self.plan.addresses.append(
                {"who": user.full_name, "was": user.email, "email": person.email}
            )

    # Roles ---------------------------------------------------------------------------

    def roles(
        self,
        district_id: str,
        schools: dict[str, School | str],
        links: dict[str, RosteredPerson],
        accounts: dict[str, User | None],
    ) -> None:
        people = {p.sourced_id: p for p in self.package.people}
        other_orgs = {
            o.sourced_id for o in self.package.orgs if o.type not in ("school", "district")
        }
        wanted: dict[Key, RoleRow] = {}
        deleted: dict[Key, Where] = {}
        for row in self.package.roles:
            if row.org in other_orgs:
                continue  # a department, a state: not a place Tandem has
            if row.user in self.unsettled:
                continue
            place = self._place(row, district_id, schools)
            if place is None:
                continue
            if row.user not in accounts and row.user not in links:
                self.refuse(
                    Refusal(
                        gettext_noop(
                            "No one in users.csv (nor rostered before) has this sourcedId."
                        ),
                        "roles.csv",
                        row.line,
                        "userSourcedId",
                        row.user[:80],
                    )
                )
                continue
            role = self._role_of(row, place)
            if role is None:
                continue
            key = (row.user, role, place)
            person = people.get(row.user)
            if person is not None and person.status != "active":
                deleted.setdefault(key, ("users.csv", person.line, "status", person.status))
            elif (why := self._not_current(row)) is not None:
                deleted.setdefault(key, why)
            else:
                wanted.setdefault(key, row)
        self._compare(wanted, deleted, schools, links, accounts)

    def _place(
        self, row: RoleRow, district_id: str, schools: dict[str, School | str]
    ) -> str | None:
        if row.org == district_id:
            return "district"
        if row.org in schools:
            return row.org
        self.refuse(
            Refusal(
                gettext_noop(
                    "No school or district in orgs.csv (nor in Tandem) has this sourcedId."
                ),
                "roles.csv",
                row.line,
                "orgSourcedId",
                row.org[:80],
            )
        )
        return None

    def _role_of(self, row: RoleRow, place: str) -> str | None:
        if row.role == "teacher":
            if place == "district":
                self.refuse(
                    Refusal(
                        gettext_noop("A teacher's role is held at a school, not at the district."),
                        "roles.csv",
                        row.line,
                        "orgSourcedId",
                        row.org[:80],
                    )
                )
                return None
            return Role.TEACHER.value
        return (Role.DISTRICT_ADMIN if place == "district" else Role.SCHOOL_ADMIN).value

    def _not_current(self, row: RoleRow) -> Where | None:
        """The cell that says this role is not held today, or None if it is."""
        today = self.today.isoformat()
        if row.status != "active":
            return ("roles.csv", row.line, "status", row.status)
        if row.begins and row.begins > today:
            return ("roles.csv", row.line, "beginDate", row.begins)
        if row.ends and row.ends < today:
            return ("roles.csv", row.line, "endDate", row.ends)
        return None

    def _compare(
        self,
        wanted: dict[Key, RoleRow],
        deleted: dict[Key, Where],
        schools: dict[str, School | str],
        links: dict[str, RosteredPerson],
        accounts: dict[str, User | None],
    ) -> None:
        d = self.district.pk
        ids = sorted(
            {u.pk for u in accounts.values() if u is not None}
            | {link.user_id for link in links.values()}
        )
        sid_of = {link.user_id: sid for sid, link in links.items()} | {
            u.pk: sid for sid, u in accounts.items() if u is not None
        }
        school_sid = {s.pk: sid for sid, s in schools.items() if isinstance(s, School)}
        school_sid.update(
            {s.pk: s.sourced_id for s in School.objects.filter(district=d) if s.sourced_id}
        )
        held: dict[Key, Membership] = {}
        coaching: dict[int, set[int]] = {}  # user → schools of this district they coach at
        for chunk in chunks(ids):
            for m in (
                Membership.objects.filter(user__in=chunk)
                .filter(Q(school__district=d) | Q(district=d))
                .select_related("user", "school")
            ):
                if m.role == Role.COACH:
                    coaching.setdefault(m.user_id, set()).add(m.school_id)  # type: ignore[arg-type]
                    continue
                place = (
                    "district"
                    if m.district_id
                    else school_sid.get(m.school_id or 0, f"pk:{m.school_id}")
                )
                held[(sid_of[m.user_id], m.role, place)] = m
        # What the people asked were asked here already, whatever they answered: the
        # roster asks once.
        invited: set[tuple[int, str, str]] = set()
        for chunk in chunks(sorted(self.asked.values())):
            for user_id, role, school_id, district_id in (
                RoleInvitation.objects.filter(user__in=chunk)
                .filter(Q(school__district=d) | Q(district=d))
                .values_list("user_id", "role", "school_id", "district_id")
            ):
                self.invited_here.add(user_id)
                place = "district" if district_id else school_sid.get(school_id, "")
                invited.add((user_id, role, place))
        names = {p.sourced_id: p.full_name for p in self.package.people}
        school_names = {
            sid: (
                s.name
                if isinstance(s, School)
                else next((a["name"] for a in self.plan.schools_add if a["sourced_id"] == s), s)
            )
            for sid, s in schools.items()
        }
        for key, row in sorted(wanted.items()):
            if key in held:
                continue
            sid, role, place = key
            where = str(self.district) if place == "district" else school_names.get(place, place)
            if sid in self.asked:
                if (self.asked[sid], role, place) in invited:
                    continue
                ask = {"ask": self.asked[sid]}
            else:
                ask = {}
            user = accounts.get(sid) or (links[sid].user if sid in links else None)
            if user is not None and user.pk in coaching:
                refusal = self._coach_refusal(
                    user, role, schools.get(place), coaching[user.pk], where, row
                )
                if refusal is not None:
                    self.refuse(refusal)
                    continue
            self.plan.roles_add.append(
                {
                    "sourced_id": sid,
                    "role": role,
                    "place": place,
                    "who": names.get(sid) or str(user),
                    "where": where,
                }
                | ask
            )
        ending: dict[Key, Where] = {}
        bulk_roles = self.package.modes["roles.csv"] == "bulk"
        for key, membership in held.items():
            if not membership.from_roster:
                continue
            if key in deleted:
                ending[key] = deleted[key]
            elif bulk_roles and key not in wanted:
                ending[key] = ("roles.csv", None, "userSourcedId", key[0])
        self._people_leaving(links, ending, held)
        for key in sorted(ending):
            m = held[key]
            self.why[("role", m.pk)] = ending[key]
            self.plan.roles_end.append(
                {"pk": m.pk, "who": str(m.user), "role": m.role, "where": m.place_name}
            )
        self._protect(links, accounts, held)

    @staticmethod
    def _coach_refusal(
        user: User,
        role: str,
        school: School | str | None,
        coached: set[int],
        where: str,
        row: RoleRow,
    ) -> Refusal | None:
        """A coach given a role kept apart from their coaching: evaluator isolation, as
        accounts.services._check_isolation keeps it."""
        at_their_school = isinstance(school, School) and school.pk in coached
        if role == Role.DISTRICT_ADMIN:
            message = gettext_noop(
                "%(person)s coaches in this district: a district administrator can never coach "
                "in their own district. Remove the coach role in Tandem first."
            )
        elif role == Role.SCHOOL_ADMIN and at_their_school:
            message = gettext_noop(
                "%(person)s coaches at %(school)s: an administrator can never coach at their own "
                "school. Remove the coach role in Tandem first."
            )
        elif role == Role.TEACHER and at_their_school:
            message = gettext_noop(
                "%(person)s coaches at %(school)s: a roster does not make a coach a teacher at "
                "the school they coach at. If they teach there too, give them the teacher role "
                "on their page in Tandem."
            )
        else:
            return None
        return Refusal.saying(
            message,
            {"person": str(user), "school": where},
            "roles.csv",
            row.line,
            "role",
            row.role,
        )

    def _people_leaving(
        self,
        links: dict[str, RosteredPerson],
        ending: dict[Key, Where],
        held: dict[Key, Membership],
    ) -> None:
        """Who the package deactivates: those it deletes or switches off, and, in a bulk
        users.csv, those it leaves out, unless a role given in Tandem keeps them."""
        rows = {p.sourced_id: p for p in self.package.people}
        going: list[tuple[RosteredPerson, Where]] = []
        left_out: set[int] = set()
        bulk_users = self.package.modes["users.csv"] == "bulk"
        for sid, link in links.items():
            row = rows.get(sid)
            if row is None:
                if not bulk_users:
                    continue  # a delta leaves alone whoever it does not name
                going.append((link, ("users.csv", None, "sourcedId", sid)))
                left_out.add(link.user_id)
            elif row.status != "active":
                going.append((link, ("users.csv", row.line, "status", row.status)))
            elif not row.enabled:
                going.append((link, ("users.csv", row.line, "enabledUser", "false")))
                continue  # switched off, keeping their roles
            elif link.deactivated_by_roster and not link.user.is_active:
                self.plan.people_reactivate.append({"pk": link.user_id, "who": str(link.user)})
                continue
            else:
                continue
            for key, m in held.items():
                if key[0] == sid and m.from_roster:
                    ending.setdefault(key, going[-1][1])
        outside, given_in_tandem = self._other_roles([link.user_id for link, _ in going])
        for link, why in going:
            if not link.user.is_active or link.user_id in outside:
                continue  # a role in another district: not this district's to close
            if link.user_id in left_out and link.user_id in given_in_tandem:
                # Left out of a bulk file, but holding a role given in Tandem (here or in
                # any district): a roster never ends that role, so the account stays open.
                continue
            self.why[("user", link.user_id)] = why
            self.plan.people_deactivate.append({"pk": link.user_id, "who": str(link.user)})

    def _other_roles(self, ids: list[int]) -> tuple[set[int], set[int]]:
        """Of these accounts: those with a role outside this district, and those with a
        role given in Tandem (not by a roster), anywhere."""
        d = self.district.pk
        outside: set[int] = set()
        given_in_tandem: set[int] = set()
        for chunk in chunks(ids):
            for user_id, school_district, district, from_roster in Membership.objects.filter(
                user__in=chunk
            ).values_list("user_id", "school__district_id", "district_id", "from_roster"):
                if d not in (school_district, district):
                    outside.add(user_id)
                if not from_roster:
                    given_in_tandem.add(user_id)
        return outside, given_in_tandem

    def _protect(
        self,
        links: dict[str, RosteredPerson],
        accounts: dict[str, User | None],
        held: dict[Key, Membership],
    ) -> None:
        """No package deactivates its uploader or ends their role, nor leaves the district
        with no active district administrator: refused at the cell that would."""
        deactivated = {row["pk"] for row in self.plan.people_deactivate}
        ended = {row["pk"] for row in self.plan.roles_end}
        actor = self.actor.pk if self.actor is not None else None
        if actor is not None and actor in deactivated:
            self._refuse_at(
                gettext_noop("This package would deactivate your own account."),
                self.why[("user", actor)],
            )
        for m in held.values():
            if m.pk in ended and m.user_id == actor and m.role == Role.DISTRICT_ADMIN:
                self._refuse_at(
                    gettext_noop("This package would end your own district administrator role."),
                    self.why[("role", m.pk)],
                )
        admins = list(
            Membership.objects.filter(
                district=self.district, role=Role.DISTRICT_ADMIN, user__is_active=True
            ).values_list("pk", "user_id")
        )
        if not admins or any(pk not in ended and u not in deactivated for pk, u in admins):
            return
        reactivated = {row["pk"] for row in self.plan.people_reactivate}
        for row in self.plan.roles_add:
            if row["role"] != Role.DISTRICT_ADMIN or "ask" in row:
                continue
            sid = row["sourced_id"]
            user = accounts.get(sid) or (links[sid].user if sid in links else None)
            if user is None or (
                (user.is_active or user.pk in reactivated) and user.pk not in deactivated
            ):
                return  # a new district administrator, active
        for pk, user_id in admins:
            if user_id == actor:
                continue  # refused above, in their own words
            why = self.why.get(("user", user_id)) if user_id in deactivated else None
            self._refuse_at(
                gettext_noop(
                    "This package would leave the district with no active district "
                    "administrator: nobody could sign in to look after it, nor upload the next "
                    "package."
                ),
                why or self.why[("role", pk)],
            )

    def _refuse_at(self, message: str, where: Where) -> None:
        """Refuse at a cell: `message` is marked with gettext_noop."""
        file, line, column, value = where
        self.refuse(Refusal(message, file, line, column, value[:80]))


def plan_package(
    district: District, package: Package, *, actor: User | None, today: datetime.date
) -> Plan:
    planner = _Planner(district, package, actor=actor, today=today)
    district_id = planner.district_identity()
    schools = planner.schools(district_id)
    planner.terms()
    links, accounts = planner.people()
    planner.roles(district_id, schools, links, accounts)
    plan = planner.plan
    # Someone new with no role Tandem keeps (staff of a department, say) is not made; and
    # someone asked is listed once, the first time, as someone new is.
    given = {row["sourced_id"] for row in plan.roles_add}
    plan.people_add = [
        row
        for row in plan.people_add
        if row["sourced_id"] in given and row.get("ask") not in planner.invited_here
    ]
    return plan


def describe(refusals: Iterable[Refusal]) -> list[dict[str, Any]]:
    return [refusal.as_dict() for refusal in refusals]


# Each list of a plan: its heading before "Apply", and after.
HEADINGS: dict[str, tuple[Text, Text]] = {
    "schools_add": (_("Schools to add"), _("Schools added")),
    "schools_record": (
        _("Schools recognised by name, whose sourcedId Tandem records"),
        _("Schools recognised by name, whose sourcedId Tandem recorded"),
    ),
    "schools_change": (_("Schools to change"), _("Schools changed")),
    "terms_add": (_("Terms to add"), _("Terms added")),
    "terms_record": (
        _("Terms recognised by name, whose sourcedId Tandem records"),
        _("Terms recognised by name, whose sourcedId Tandem recorded"),
    ),
    "terms_change": (_("Terms to change"), _("Terms changed")),
    "people_add": (_("People to add"), _("People added")),
    "people_match": (
        _("People already in Tandem, recognised by their address"),
        _("People already in Tandem, recognised by their address"),
    ),
    "people_change": (_("People whose name changes"), _("People whose name changed")),
    "people_deactivate": (_("People to deactivate"), _("People deactivated")),
    "people_reactivate": (
        _("People the roster brings back"),
        _("People the roster brought back"),
    ),
    "roles_add": (_("Roles to give"), _("Roles given")),
    "roles_end": (_("Roles to end"), _("Roles ended")),
    "addresses": (_("Addresses Tandem does not change"), _("Addresses Tandem did not change")),
}
# What a list means, where its heading does not say it all: before "Apply", and after.
NOTES: dict[str, tuple[Text, Text]] = {
    # One line for everyone: whether an address uses Tandem elsewhere is never shown.
    "people_add": (
        _(
            "Anyone among them who already uses Tandem elsewhere is asked first, by e-mail: "
            "their roles begin once they accept."
        ),
        _(
            "Anyone among them who already used Tandem elsewhere was asked first, by e-mail: "
            "their roles begin once they accept."
        ),
    ),
    "people_match": (
        _(
            "Already in Tandem: from now on the roster keeps their roles up to date. Roles "
            "given in Tandem stay, and keep their account open."
        ),
    )
    * 2,
    "addresses": (
        _(
            "A roster never changes the address a person signs in with: whoever holds an "
            "address can reset the password of its account. Tandem keeps the address it has; "
            "Tandem's operators change one when its owner asks."
        ),
    )
    * 2,
}


def say(kind: str, row: dict[str, Any]) -> str:
    """One row of a plan, in words."""
    if kind in ("schools_add", "people_match"):
        return " · ".join(str(row[k]) for k in ("name", "email") if k in row)
    if kind == "people_add":
        return f"{row['name']} · {row['email']}"
    if kind == "schools_record":
        return f"{row['name']} · {row['sourced_id']}"
    if kind == "schools_change":
        return row["name"] if row["name"] == row["was"] else f"{row['was']} → {row['name']}"
    if kind in ("terms_add", "terms_record", "terms_change"):
        was = f"{row['was']} → " if kind == "terms_change" and row["was"] != row["name"] else ""
        # Translators: a term's name and its first and last days, written YYYY-MM-DD.
        return gettext("%(name)s · %(starts)s to %(ends)s") % {
            "name": f"{was}{row['name']}",
            "starts": row["starts_on"],
            "ends": row["ends_on"],
        }
    if kind == "people_change":
        return f"{row['was']} → {row['name']}"
    if kind == "addresses":
        return gettext("%(person)s · in Tandem %(address)s · in the roster %(roster_address)s") % {
            "person": row["who"],
            "address": row["was"],
            "roster_address": row["email"],
        }
    if kind in ("roles_add", "roles_end"):
        return f"{row['who']} · {Role(row['role']).label} · {row['where']}"
    return str(row.get("who", ""))
