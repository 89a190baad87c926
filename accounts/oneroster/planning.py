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
- A person is matched by sourcedId, or the first time by e-mail address, if their account
  already works in this district and in no other. An account of another district is
  never attached: the row is refused.
- Roles the roster gives are marked `from_roster`; only those are ever ended by a roster.
- bulk users.csv: rostered people missing from it lose their roster roles and are
  deactivated; bulk roles.csv: roster roles missing from it end. delta: `tobedeleted`
  ends a role or deactivates a person.
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

from ..models import District, Membership, RoleInvitation, RosteredPerson, School, Term, User
from .reading import KnownDistrict, Package, Person, Refusal, another_district
from .reading import Role as RoleRow

Role = Membership.Role
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
    schools_change: list[dict] = field(default_factory=list)
    terms_add: list[dict] = field(default_factory=list)
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

    CHANGES = (
        "schools_add",
        "schools_change",
        "terms_add",
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

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in self.CHANGES} | {
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
            (name, getattr(self, name)[:SHOWN], len(getattr(self, name))) for name in self.CHANGES
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
        self.unsettled: set[str] = set()  # people refused: their roles are not looked at
        self.refuse = self.plan.refusals.append

    # The district --------------------------------------------------------------------

    def district_identity(self) -> str:
        orgs = [o for o in self.package.orgs if o.type == "district" and o.status == "active"]
        for extra in orgs[1:]:
            self.refuse(
                Refusal(
                    "A package is for one district; this is a second one.",
                    "orgs.csv",
                    extra.line,
                    "type",
                    "district",
                )
            )
        known = self.district.sourced_id
        if not orgs:
            if self.package.modes["orgs.csv"] == "bulk":
                self.refuse(Refusal("orgs.csv has no org of type district.", "orgs.csv"))
            elif not known:
                self.refuse(
                    Refusal(
                        "Tandem does not know this district's sourcedId yet: the first package "
                        "must hold orgs.csv with the district in it."
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
                        "This school belongs to another org than the district.",
                        "orgs.csv",
                        org.line,
                        "parentSourcedId",
                        org.parent[:80],
                    )
                )
                continue
            if org.status != "active":
                if org.sourced_id in by_id:
                    self.plan.kept.append(f"{org.name} (schools are never removed by a roster)")
                continue
            key = org.name.lower()
            if key in taken:
                self.refuse(
                    Refusal(
                        f"Two schools are named alike (the other on line {taken[key]}).",
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
                    self.plan.schools_change.append(
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
                "Another school of the district already has this name.",
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
                        "A term's name is at most 60 characters.",
                        "academicSessions.csv",
                        session.line,
                        "title",
                        session.title[:80],
                    )
                )
                continue
            if previous is not None and session.starts <= previous.ends:
                self.refuse(
                    Refusal(
                        f"This session overlaps the one on line {previous.line}: Tandem's "
                        "terms follow one another.",
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
                    Refusal(
                        f"Two terms would be named alike (the other on line {seen[key]}).",
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
                        "Another term of the district already has this name.",
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
            elif (
                term.sourced_id,
                term.name,
                term.starts_on.isoformat(),
                term.ends_on.isoformat(),
            ) != (
                session.sourced_id,
                name,
                session.starts,
                session.ends,
            ):
                self.plan.terms_change.append(row | {"pk": term.pk, "was": term.name})

    # People --------------------------------------------------------------------------

    def people(self) -> tuple[dict[str, RosteredPerson], dict[str, User | None]]:
        """Each person of the package by sourcedId: their account, or None for one the plan
        makes. Also returns the district's rostered people (sourcedId → link)."""
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
        # Every e-mail the package gives a known person, to see it is not someone else's.
        changed_emails = [
            p.email
            for p in rows
            if p.sourced_id in links and links[p.sourced_id].user.email != p.email
        ]
        for chunk in chunks(changed_emails):
            found.update((u.email.lower(), u) for u in User.objects.filter(email__in=chunk))
        here, elsewhere = self._where_they_work([u.pk for u in found.values()])
        accounts: dict[str, User | None] = {}
        addresses: dict[str, int] = {}
        for person in rows:
            self.unsettled.add(person.sourced_id)
            if person.email in addresses:
                self.refuse(
                    Refusal(
                        "Two people have this address (the other on line "
                        f"{addresses[person.email]}).",
                        "users.csv",
                        person.line,
                        "email",
                        person.email[:80],
                    )
                )
                continue
            addresses[person.email] = person.line
            link = links.get(person.sourced_id)
            if link is not None or person.status != "active":
                self.unsettled.discard(person.sourced_id)
            if link is not None:
                accounts[person.sourced_id] = link.user
                self._changes(person, link.user, found)
                continue
            if person.status != "active":
                continue  # an unknown person the package deletes: nothing to do
            user = found.get(person.email)
            if user is None:
                self.unsettled.discard(person.sourced_id)
                accounts[person.sourced_id] = None
                self.plan.people_add.append(
                    {
                        "sourced_id": person.sourced_id,
                        "name": person.full_name,
                        "email": person.email,
                    }
                )
                continue
            if user.pk in linked_users:
                self.refuse(
                    Refusal(
                        "This address is another rostered person's, whose sourcedId is "
                        f"“{linked_users[user.pk][:80]}”.",
                        "users.csv",
                        person.line,
                        "email",
                        person.email[:80],
                    )
                )
                continue
            if user.pk not in here or user.pk in elsewhere:
                # The same words whether the account is of another district or of none:
                # an account that does not work here is not this district's to attach.
                self.refuse(
                    Refusal(
                        "This address is a Tandem account that does not work in this district: "
                        "invite the person from the people page; once they accept, the roster "
                        "recognises them.",
                        "users.csv",
                        person.line,
                        "email",
                        person.email[:80],
                    )
                )
                continue
            self.unsettled.discard(person.sourced_id)
            accounts[person.sourced_id] = user
            self.plan.people_match.append(
                {
                    "pk": user.pk,
                    "sourced_id": person.sourced_id,
                    "name": user.full_name,
                    "email": user.email,
                }
            )
            self._changes(person, user, found)
        return links, accounts

    def _where_they_work(self, ids: list[int]) -> tuple[set[int], set[int]]:
        """Of these accounts: those with a role (or an invitation) in this district, and
        those with a role in another."""
        here: set[int] = set()
        elsewhere: set[int] = set()
        d = self.district.pk
        for chunk in chunks(ids):
            for user_id, school_district, district in Membership.objects.filter(
                user__in=chunk
            ).values_list("user_id", "school__district_id", "district_id"):
                (here if d in (school_district, district) else elsewhere).add(user_id)
            here.update(
                RoleInvitation.objects.filter(user__in=chunk, status=RoleInvitation.Status.PENDING)
                .filter(Q(school__district=d) | Q(district=d))
                .values_list("user_id", flat=True)
            )
        return here, elsewhere

    def _changes(self, person: Person, user: User, found: dict[str, User]) -> None:
        if person.status != "active":
            return
        change: dict[str, Any] = {}
        if user.full_name != person.full_name:
            change["name"] = person.full_name
        if user.email != person.email:
            holder = found.get(person.email)
            if holder is not None and holder.pk != user.pk:
                self.refuse(
                    Refusal(
                        "Another Tandem account has this address.",
                        "users.csv",
                        person.line,
                        "email",
                        person.email[:80],
                    )
                )
                return
            change["email"] = person.email
        if change:
            self.plan.people_change.append(
                {
                    "pk": user.pk,
                    "sourced_id": person.sourced_id,
                    "was": user.full_name,
                    "was_email": user.email,
                }
                | change
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
        wanted: dict[tuple[str, str, str], RoleRow] = {}
        deleted: set[tuple[str, str, str]] = set()
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
                        "No one in users.csv (nor rostered before) has this sourcedId.",
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
            current = self._current(row)
            if current and people.get(row.user) is not None and people[row.user].status != "active":
                current = False
            if current:
                wanted.setdefault(key, row)
            else:
                deleted.add(key)
        self._compare(wanted, deleted, schools, links, accounts, district_id)

    def _place(
        self, row: RoleRow, district_id: str, schools: dict[str, School | str]
    ) -> str | None:
        if row.org == district_id:
            return "district"
        if row.org in schools:
            return row.org
        self.refuse(
            Refusal(
                "No school or district in orgs.csv (nor in Tandem) has this sourcedId.",
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
                        "A teacher's role is held at a school, not at the district.",
                        "roles.csv",
                        row.line,
                        "orgSourcedId",
                        row.org[:80],
                    )
                )
                return None
            return Role.TEACHER.value
        return (Role.DISTRICT_ADMIN if place == "district" else Role.SCHOOL_ADMIN).value

    def _current(self, row: RoleRow) -> bool:
        if row.status != "active":
            return False
        today = self.today.isoformat()
        if row.begins and row.begins > today:
            return False
        return not (row.ends and row.ends < today)

    def _compare(
        self,
        wanted: dict[tuple[str, str, str], RoleRow],
        deleted: set[tuple[str, str, str]],
        schools: dict[str, School | str],
        links: dict[str, RosteredPerson],
        accounts: dict[str, User | None],
        district_id: str,
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
        held: dict[tuple[str, str, str], Membership] = {}
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
            user = accounts.get(sid) or (links[sid].user if sid in links else None)
            if user is not None and user.pk in coaching:
                coached = coaching[user.pk]
                if role == Role.DISTRICT_ADMIN or (
                    isinstance(schools.get(place), School) and schools[place].pk in coached  # type: ignore[union-attr]
                ):
                    self.refuse(
                        Refusal(
                            f"{user} coaches here: an administrator can never coach at their own "
                            "school (nor a district administrator in their district). Remove the "
                            "coach role in Tandem first.",
                            "roles.csv",
                            row.line,
                            "role",
                            row.role,
                        )
                    )
                    continue
            self.plan.roles_add.append(
                {
                    "sourced_id": sid,
                    "role": role,
                    "place": place,
                    "who": names.get(sid) or str(user),
                    "where": str(self.district)
                    if place == "district"
                    else school_names.get(place, place),
                }
            )
        ending = set()
        bulk_roles = self.package.modes["roles.csv"] == "bulk"
        for key, membership in held.items():
            if not membership.from_roster:
                continue
            if key in deleted or (bulk_roles and key not in wanted):
                ending.add(key)
        self._people_leaving(links, ending, held)
        for key in sorted(ending):
            m = held[key]
            self.plan.roles_end.append(
                {"pk": m.pk, "who": str(m.user), "role": m.role, "where": m.place_name}
            )
        self._protect_actor(held)

    def _people_leaving(
        self,
        links: dict[str, RosteredPerson],
        ending: set[tuple[str, str, str]],
        held: dict[tuple[str, str, str], Membership],
    ) -> None:
        rows = {p.sourced_id: p for p in self.package.people}
        leaving: list[RosteredPerson] = []
        pausing: list[RosteredPerson] = []
        bulk_users = self.package.modes["users.csv"] == "bulk"
        for sid, link in links.items():
            row = rows.get(sid)
            gone = (row is None and bulk_users) or (row is not None and row.status != "active")
            if gone:
                leaving.append(link)
            elif row is not None and not row.enabled:
                pausing.append(link)
            elif row is not None and link.deactivated_by_roster and not link.user.is_active:
                self.plan.people_reactivate.append({"pk": link.user_id, "who": str(link.user)})
        for link in leaving:
            ending.update(
                key for key, m in held.items() if key[0] == link.sourced_id and m.from_roster
            )
        outside = self._outside([link.user_id for link in leaving + pausing])
        for link in leaving + pausing:
            if link.user.is_active and link.user_id not in outside:
                self.plan.people_deactivate.append({"pk": link.user_id, "who": str(link.user)})

    def _outside(self, ids: list[int]) -> set[int]:
        d = self.district.pk
        found: set[int] = set()
        for chunk in chunks(ids):
            found.update(
                Membership.objects.filter(user__in=chunk)
                .exclude(Q(school__district=d) | Q(district=d))
                .values_list("user_id", flat=True)
            )
        return found

    def _protect_actor(self, held: dict[tuple[str, str, str], Membership]) -> None:
        if self.actor is None:
            return
        if any(row["pk"] == self.actor.pk for row in self.plan.people_deactivate):
            self.refuse(Refusal("This package would deactivate your own account."))
        for row in self.plan.roles_end:
            m = next(m for m in held.values() if m.pk == row["pk"])
            if m.user_id == self.actor.pk and m.role == Role.DISTRICT_ADMIN:
                self.refuse(Refusal("This package would end your own district administrator role."))


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
    # Someone new with no role Tandem keeps (staff of a department, say) is not made.
    given = {row["sourced_id"] for row in plan.roles_add}
    plan.people_add = [row for row in plan.people_add if row["sourced_id"] in given]
    return plan


def describe(refusals: Iterable[Refusal]) -> list[dict[str, Any]]:
    return [refusal.as_dict() for refusal in refusals]


HEADINGS = {
    "schools_add": "Schools to add",
    "schools_change": "Schools to change",
    "terms_add": "Terms to add",
    "terms_change": "Terms to change",
    "people_add": "People to add",
    "people_match": "People already in Tandem, recognised by their address",
    "people_change": "People whose name or address changes",
    "people_deactivate": "People to deactivate",
    "people_reactivate": "People the roster brings back",
    "roles_add": "Roles to give",
    "roles_end": "Roles to end",
}


def say(kind: str, row: dict[str, Any]) -> str:
    """One change of a preview, in words."""
    if kind in ("schools_add", "people_match"):
        return " · ".join(str(row[k]) for k in ("name", "email") if k in row)
    if kind == "people_add":
        return f"{row['name']} · {row['email']}"
    if kind == "schools_change":
        return row["name"] if row["name"] == row["was"] else f"{row['was']} → {row['name']}"
    if kind in ("terms_add", "terms_change"):
        was = f"{row['was']} → " if kind == "terms_change" and row["was"] != row["name"] else ""
        return f"{was}{row['name']} · {row['starts_on']} to {row['ends_on']}"
    if kind == "people_change":
        name = f"{row['was']} → {row['name']}" if "name" in row else row["was"]
        email = f" · {row['was_email']} → {row['email']}" if "email" in row else ""
        return name + email
    if kind in ("roles_add", "roles_end"):
        return f"{row['who']} · {Role(row['role']).label} · {row['where']}"
    return str(row.get("who", ""))
