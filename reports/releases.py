"""Releases: what administrators read, made at set times for a whole district at once.

A release holds, for every school of a district and for the district, the figures of each
term that has ended (sealed once, then the same in every release) and what stands now
(cycles under way by phase, teachers in a partnership). `protection` decides, over all of
it and over what earlier releases showed, which figures are hidden. A school's principal
and the district's administrator read the same release, so they see the same figures at
every moment; nobody can make a new one.
"""

import datetime
import statistics
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import District, Membership, School, Term, User
from cycles.models import FocusArea

from . import counts
from .models import ReleasedFigures, ReportRelease, SealedTerm
from .protection import Cell, Figures, protect

NOT_MET = [outcome for outcome in counts.OUTCOMES if outcome != "met"]
# Releases come every Monday at 4:00 in the district's time: a week's changes together,
# never one person's change on its own the moment it happens.
RELEASE_WEEKDAY, RELEASE_HOUR = 0, 4


def district_zone(district: District) -> zoneinfo.ZoneInfo:
    """A district has no zone of its own: its first school's, as its pages use."""
    first = School.objects.filter(district=district).order_by("pk").first()
    return first.zone if first else zoneinfo.ZoneInfo(settings.TIME_ZONE)


def next_release_after(moment: datetime.datetime, zone) -> datetime.datetime:
    local = moment.astimezone(zone)
    days = (RELEASE_WEEKDAY - local.weekday()) % 7
    candidate = datetime.datetime.combine(
        local.date() + datetime.timedelta(days=days), datetime.time(RELEASE_HOUR), tzinfo=zone
    )
    if candidate <= local:
        candidate += datetime.timedelta(days=7)
    return candidate


def latest(district_id: int) -> ReportRelease | None:
    return ReportRelease.objects.filter(district_id=district_id).first()


def school_year_of(day: datetime.date) -> int:
    """The school year a day falls in, by the year it starts (August 1)."""
    return day.year if day.month >= 8 else day.year - 1


def release_due_districts() -> int:
    """Make the release of every district whose time has come; returns how many."""
    made = 0
    now = timezone.now()
    for district in District.objects.order_by("pk"):
        last = latest(district.pk)
        if last is None or last.next_release_at <= now:
            made += release_district(district) is not None
    return made


@transaction.atomic
def release_district(district: District) -> ReportRelease | None:
    """Make a district's next release, unless one was made since it fell due."""
    District.objects.select_for_update().get(pk=district.pk)
    now = timezone.now()
    previous = latest(district.pk)
    if previous is not None and previous.next_release_at > now:
        return None  # another worker made it a moment ago
    zone = district_zone(district)
    k = settings.REPORT_MIN_GROUP
    known, named = {}, {}
    if previous is not None:
        for row in previous.figures.all():
            prefix = f"s{row.school_id}|" if row.school_id else "d|"
            known.update({prefix + key: value for key, value in row.figures["cells"].items()})
            for period, coaches in row.figures["coaches"].items():
                named[f"{prefix}{period}|"] = [coach for coach, _ in coaches]
    content = _build(district, now.astimezone(zone).date(), known, named, k)
    release = ReportRelease.objects.create(
        district=district,
        number=(previous.number + 1) if previous else 1,
        released_at=now,
        next_release_at=next_release_after(now, zone),
        min_group=k,
    )
    ReleasedFigures.objects.bulk_create(
        ReleasedFigures(release=release, school_id=school_id, figures=figures)
        for school_id, figures in content.items()
    )
    # Only the newest releases are kept: the next one needs no older one (what was shown
    # is carried in each), and a departed coach's name leaves with the release naming them.
    ReportRelease.objects.filter(district=district, number__lt=release.number - 1).delete()
    return release


def _terms_in_window(district, today):
    """Every term of the district, and those ended in this school year or the last."""
    terms = list(Term.objects.filter(district=district).order_by("starts_on"))
    first_year = school_year_of(today) - 1
    ended = [t for t in terms if t.ends_on < today and school_year_of(t.starts_on) >= first_year]
    return terms, ended


def _seal(schools, terms, ended) -> dict:
    """Each (school, ended term)'s counts, counting now those not counted before."""
    using = settings.REPORTS_DATABASE
    sealed = {
        (s.school_id, s.term_id): s.counts
        for s in SealedTerm.objects.filter(
            school__in=[school.pk for school in schools], term__in=[t.pk for t in ended]
        )
    }
    for term in ended:
        index = terms.index(term)
        after = terms[index - 1].ends_on if index else term.starts_on - datetime.timedelta(1)
        for school in schools:
            if (school.pk, term.pk) in sealed:
                continue
            tally = counts.term_counts(
                school.pk, after=after, through=term.ends_on, term=term, using=using
            )
            SealedTerm.objects.create(
                school=school, term=term, counts=tally, sealed_at=timezone.now()
            )
            sealed[(school.pk, term.pk)] = tally
    return sealed


def _combine(tallies: list[dict]) -> dict:
    """Several periods' (or schools') counts as one: values added, teachers united."""
    cells = defaultdict(lambda: [0, set()])
    lengths, coaches = [], defaultdict(set)
    for tally in tallies:
        for path, (value, teachers) in tally["cells"].items():
            cells[path][0] += value
            cells[path][1] |= set(teachers)
        lengths += tally.get("lengths", [])
        for coach, teachers in tally.get("coaches", {}).items():
            coaches[coach] |= set(teachers)
    if "part" in cells:  # each teacher once, however many terms or schools
        cells["part"][0] = len(cells["part"][1])
    return {"cells": dict(cells), "lengths": lengths, "coaches": dict(coaches)}


class _Builder:
    def __init__(self, k, areas, named=None):
        self.k = k
        self.named = named or {}  # coach rows an earlier release printed, kept as they were
        self.areas = [str(a) for a in areas]
        self.figures = Figures()
        self.coach_rows = {}  # (scope, period) -> coach ids shown by name

    def cell(self, key, value, teachers, *, published=True, about=True, tie=""):
        return self.figures.add(
            Cell(key, value, len(teachers), about_teachers=about, published=published, tie=tie)
        )

    def table(self, scope: str, period: str, tally: dict, *, coach_rows: bool) -> None:
        """The cells and in-table sums of one scope's period, from its counts."""
        prefix = f"{scope}|{period}|"
        cells = tally["cells"]

        def get(path):
            value, teachers = cells.get(path, (0, ()))
            return value, set(teachers)

        if "part" in cells or period == "now":
            value, teachers = get("part")
            self.cell(prefix + "part", value, teachers)
        if period == "now":
            for phase in [*counts.ACTIVE_PHASES, "*"]:
                self.cell(prefix + f"phase|{phase}", *get(f"phase|{phase}"))
            self.figures.sums(
                [prefix + f"phase|{p}" for p in counts.ACTIVE_PHASES], prefix + "phase|*"
            )
            return

        lengths = tally.get("lengths", [])
        if lengths:
            teachers = set().union(*(set(t) for _, t in lengths))
            median = round(statistics.median(days for days, _ in lengths))
            self.cell(prefix + "len", median, teachers)

        # Met or not, by focus area; every outcome, for all focus areas together: an area's
        # cycles split four ways would mostly be groups too small to show.
        for area in [*self.areas, "*"]:
            others = [get(f"closed|{area}|{o}") for o in NOT_MET]
            self.cell(prefix + f"closed|{area}|met", *get(f"closed|{area}|met"))
            self.cell(
                prefix + f"closed|{area}|other",
                sum(value for value, _ in others),
                set().union(*(teachers for _, teachers in others)),
            )
            self.cell(prefix + f"closed|{area}|*", *get(f"closed|{area}|*"))
            self.figures.sums(
                [prefix + f"closed|{area}|met", prefix + f"closed|{area}|other"],
                prefix + f"closed|{area}|*",
            )
        for column in ("met", "other", "*"):
            self.figures.sums(
                [prefix + f"closed|{a}|{column}" for a in self.areas],
                prefix + f"closed|*|{column}",
            )
        for outcome in NOT_MET:
            self.cell(prefix + f"outcome|{outcome}", *get(f"closed|*|{outcome}"))
        self.figures.sums([prefix + f"outcome|{o}" for o in NOT_MET], prefix + "closed|*|other")

        for group in [*self.areas, "*"]:
            _, teachers = get(f"impact|{group}|cycles")
            for name in counts.IMPACT:
                path = f"impact|{group}|{name}"
                self.cell(prefix + path, get(path)[0], teachers, tie=prefix + f"impact|{group}")
        for name in counts.IMPACT:
            self.figures.sums(
                [prefix + f"impact|{a}|{name}" for a in self.areas], prefix + f"impact|*|{name}"
            )
        # What any reader knows besides: proficient students are among those assessed, a
        # cycle with evidence assessed at least one student and is one of the cycles closed.
        for group in [*self.areas, "*"]:
            at = prefix + f"impact|{group}|"
            for small, big in [("pre_p", "pre_n"), ("post_p", "post_n"), ("cycles", "pre_n"),
                               ("cycles", "post_n")]:  # fmt: skip
                self.figures.at_most([at + small], [at + big])
            self.figures.at_most([at + "cycles"], [prefix + f"closed|{group}|*"])
            for name in counts.IMPACT:
                if name != "cycles":  # no cycle with evidence, no student assessed
                    self.figures.zero_with(at + name, at + "cycles")
        # Teachers' answers about coaching: each question's answers add up to the answers.
        self.cell(prefix + "voice|*", *get("voice|*"))
        for question in counts.QUESTIONS:
            keys = [prefix + f"voice|{question}|{answer}" for answer in counts.ANSWERS]
            for key, answer in zip(keys, counts.ANSWERS, strict=True):
                self.cell(key, *get(f"voice|{question}|{answer}"))
            self.figures.sums(keys, prefix + "voice|*")
        self._minutes(prefix, cells, tally.get("coaches", {}), coach_rows=coach_rows)

    def _minutes(self, prefix, cells, partnerships, *, coach_rows):
        by_coach = defaultdict(dict)
        for path, (value, teachers) in cells.items():
            if path.startswith("min|"):
                _, coach, kind = path.split("|")
                by_coach[coach][kind] = (value, set(teachers))
        kinds = counts.KINDS
        rows = {}
        for coach, row in by_coach.items():
            total = (sum(v for v, _ in row.values()), set().union(*(t for _, t in row.values())))
            rows[coach] = {**row, "*": total}
        # A coach's row is printed only when their work at the school concerns at least K
        # teachers; the others' minutes are one row, "Other coaches", itself about K
        # teachers or more (the smallest named rows join it until it is), and the total.
        reach = {
            coach: row["*"][1] | set(partnerships.get(coach, ())) for coach, row in rows.items()
        }
        named = sorted(
            (c for c in rows if coach_rows and len(reach[c]) >= self.k),
            key=lambda c: (len(reach[c]), c),
        )
        others = [c for c in rows if c not in named]
        while others and named and len(set().union(*(reach[c] for c in others))) < self.k:
            others.append(named.pop(0))
        if prefix in self.named:  # a sealed term's rows, as first released (K may have moved)
            named = [c for c in self.named[prefix] if c in rows]
        named.sort()
        self.coach_rows[prefix] = named
        groups = {coach: [rows[coach]] for coach in named}
        if named and len(named) < len(rows):
            groups["other"] = [row for coach, row in rows.items() if coach not in named]
        groups["*"] = list(rows.values())
        for group, members in groups.items():
            for kind in [*kinds, "*"]:
                value = sum(row.get(kind, (0, ()))[0] for row in members)
                teachers = set().union(*(row.get(kind, (0, set()))[1] for row in members))
                self.cell(prefix + f"min|{group}|{kind}", value, teachers, about=bool(teachers))
            self.figures.sums(
                [prefix + f"min|{group}|{kind}" for kind in kinds], prefix + f"min|{group}|*"
            )
        if len(groups) > 1:
            for kind in [*kinds, "*"]:
                self.figures.sums(
                    [prefix + f"min|{g}|{kind}" for g in groups if g != "*"],
                    prefix + f"min|*|{kind}",
                )

    def teachers_of_schools(self, scopes: list[str], period: str) -> None:
        """A district's teachers are each school's, counted once: no fewer than any one
        school's, no more than all of them together."""
        whole = f"d|{period}|part"
        parts = [f"{scope}|{period}|part" for scope in scopes]
        self.figures.at_most([whole], parts)
        for part in parts:
            self.figures.at_most([part], [whole])

    def sum_of(self, parts: list[str], whole: str) -> None:
        """Every figure of `whole` (a scope's period) that is the sum of the same figure of
        `parts`: a district of its schools."""
        for key in [k for k in self.figures.cells if k.startswith(whole + "|")]:
            path = key[len(whole) + 1 :]
            if path in ("part", "len"):
                continue  # teachers counted once, and medians, do not add up
            if path.startswith("min|") and not path.startswith("min|*|"):
                continue  # coaches have rows of their own in a term's table only
            self.figures.sums([f"{p}|{path}" for p in parts], key)


def _build(district, today, known: dict, named: dict, k: int) -> dict:
    schools = list(School.objects.filter(district=district).order_by("name", "pk"))
    areas = list(FocusArea.objects.filter(district=district).order_by("position", "name", "pk"))
    terms, ended = _terms_in_window(district, today)
    sealed = _seal(schools, terms, ended)
    using = settings.REPORTS_DATABASE
    now = {school.pk: counts.now_counts(school.pk, using=using) for school in schools}

    # Terms only: periods that nest (a year and its terms) could be subtracted from each
    # other, and a term is long enough to hold groups of K teachers.
    periods = [(f"t{t.pk}", [t]) for t in ended]

    builder = _Builder(k, [a.pk for a in areas], named)
    scopes = [f"s{school.pk}" for school in schools]
    for school in schools:
        scope = f"s{school.pk}"
        builder.table(scope, "now", now[school.pk], coach_rows=False)
        for key, period_terms in periods:
            tally = _combine([sealed[(school.pk, t.pk)] for t in period_terms])
            builder.table(scope, key, tally, coach_rows=True)
    builder.table("d", "now", _combine(list(now.values())), coach_rows=False)
    builder.sum_of([f"{s}|now" for s in scopes], "d|now")
    builder.teachers_of_schools(scopes, "now")
    for key, period_terms in periods:
        tally = _combine([sealed[(s.pk, t.pk)] for s in schools for t in period_terms])
        builder.table("d", key, tally, coach_rows=False)
        builder.sum_of([f"{s}|{key}" for s in scopes], f"d|{key}")
        builder.teachers_of_schools(scopes, key)

    for key, cell in builder.figures.cells.items():
        if key in known and "|now|" not in key:
            cell.frozen = True
            cell.hidden = known[key] is None
    protect(builder.figures, k, parts=[f"{scope}|" for scope in scopes])

    names = dict(
        User.objects.filter(
            pk__in={int(c) for ids in builder.coach_rows.values() for c in ids}
        ).values_list("pk", "full_name")
    )
    meta = {
        "terms": [
            {"key": f"t{t.pk}", "name": t.name, "starts_on": t.starts_on.isoformat(),
             "ends_on": t.ends_on.isoformat()}
            for t in ended
        ],
        # With the district's other wordings of each name, for readers of other languages.
        "areas": [
            {"key": str(a.pk), "name": a.name, "translations": a.translations} for a in areas
        ],
        "upcoming": [
            {"name": t.name, "ends_on": t.ends_on.isoformat()}
            for t in terms
            if t.ends_on >= today
        ][:1],
    }  # fmt: skip
    staff = {school.pk: now[school.pk]["staff"] for school in schools}
    district_staff = (
        Membership.objects.filter(school__district=district, role=Membership.Role.TEACHER)
        .values("user_id")
        .distinct()
        .count()
    )
    content = {}
    for school_id, scope in [*((s.pk, f"s{s.pk}") for s in schools), (None, "d")]:
        cells = {
            key[len(scope) + 1 :]: (None if cell.hidden else cell.value)
            for key, cell in builder.figures.cells.items()
            if key.startswith(scope + "|") and cell.published
        }
        coaches = {
            period.split("|")[1]: [[c, names.get(int(c), "")] for c in ids]
            for period, ids in builder.coach_rows.items()
            if period.startswith(scope + "|")
        }
        content[school_id] = {
            **meta,
            "cells": cells,
            "coaches": coaches,
            "staff": staff[school_id] if school_id else district_staff,
        }
    content[None]["schools"] = [{"id": s.pk, "name": s.name, "staff": staff[s.pk]} for s in schools]
    return content
