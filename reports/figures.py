"""The figures of the administrator reports: counts and outcomes, never words.

Every query here runs on the reports connection (settings.REPORTS_DATABASE: on PostgreSQL,
a role that cannot read any text column of a coaching record), selects named columns
only, and aggregates.
Each figure carries the number of distinct teachers behind it so that `suppression` can
hide the small ones before anything leaves this package.
"""

import statistics

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.models import Membership, School, Term
from coaching.models import ActivityEntry, PartnershipMember
from cycles.models import Cycle, FocusArea

from .periods import Period
from .suppression import Cell, suppress

ACTIVE_PHASES = [("identify", "Identify"), ("learn", "Learn"), ("improve", "Improve")]
OUTCOMES = Cycle.Outcome.choices
ACCEPTED = PartnershipMember.Status.ACCEPTED
TEACHER = "partnership__members__teacher"
ACCEPTED_TEACHERS = Count(TEACHER, filter=Q(partnership__members__status=ACCEPTED), distinct=True)


def _shown(cell: Cell) -> dict:
    """What a page may show of a cell: its value, or why it is hidden."""
    if cell.hidden:
        return {"value": None, "hidden": "complement" if cell.complement else "small"}
    return {"value": cell.value, "hidden": ""}


def _rate(part: Cell, whole: Cell) -> float | None:
    if part.hidden or whole.hidden or not whole.value:
        return None
    return round(100 * part.value / whole.value)


def _cycles(using, schools):
    return Cycle.objects.using(using).filter(partnership__school__in=schools)


def _participating(using, schools, period: Period):
    """Teachers in a partnership that was under way at some time in the period."""
    return (
        PartnershipMember.objects.using(using)
        .filter(
            status=ACCEPTED,
            partnership__school__in=schools,
            partnership__started_on__lte=period.end,
        )
        .filter(Q(partnership__ended_on__isnull=True) | Q(partnership__ended_on__gte=period.start))
    )


def school_figures(school_ids, period: Period, k: int, *, using=None, by_school=False):
    """Everything a report shows for a set of schools (one school, or a district).

    With `by_school`, the headline figures are also given per school, side by side, with
    the set's total as a suppressed column total.
    """
    using = using or settings.REPORTS_DATABASE
    schools = list(
        School.objects.using(using).filter(pk__in=school_ids).order_by("name").values("pk", "name")
    )
    ids = [s["pk"] for s in schools]
    staff = (
        Membership.objects.using(using)
        .filter(school__in=ids, role=Membership.Role.TEACHER)
        .values("user_id")
        .distinct()
        .count()
    )
    participating = _participating(using, ids, period).values("teacher_id").distinct().count()
    closed = _cycles(using, ids).filter(
        phase=Cycle.Phase.CLOSED, ended_on__range=(period.start, period.end)
    )

    headline = {
        "participating": Cell(participating, participating),
        "staff": staff,
    }
    suppress([[headline["participating"]]], k)

    figures = {
        "participating": _shown(headline["participating"]),
        "participating_share": None
        if headline["participating"].hidden or not staff
        else round(100 * participating / staff),
        "staff": staff,
        "phases": _phases(using, ids, k),
        "outcomes": _outcomes(using, ids, closed, k),
        "median_days": _median_days(closed, k),
        "minutes": _minutes(using, ids, period),
        "trends": _trends(using, ids, k),
    }
    if by_school:
        figures["schools"] = _side_by_side(using, schools, period, k)
    return figures


def _phases(using, ids, k):
    grouped = {
        row["phase"]: row
        for row in _cycles(using, ids)
        .exclude(phase=Cycle.Phase.CLOSED)
        .values("phase")
        .annotate(cycles=Count("id", distinct=True), teachers=ACCEPTED_TEACHERS)
    }
    total = (
        _cycles(using, ids)
        .exclude(phase=Cycle.Phase.CLOSED)
        .aggregate(cycles=Count("id", distinct=True), teachers=ACCEPTED_TEACHERS)
    )
    rows = [
        [Cell(grouped.get(p, {}).get("cycles", 0), grouped.get(p, {}).get("teachers", 0))]
        for p, _ in ACTIVE_PHASES
    ]
    column_total = [Cell(total["cycles"], total["teachers"])]
    suppress(rows, k, column_totals=column_total)
    return {
        "rows": [
            {"heading": heading, "cells": [_shown(row[0])]}
            for (_, heading), row in zip(ACTIVE_PHASES, rows, strict=True)
        ],
        "total": _shown(column_total[0]),
    }


def _outcomes(using, ids, closed, k):
    """Closed cycles by focus area and outcome, with their totals and the share met."""
    district_ids = School.objects.using(using).filter(pk__in=ids).values("district_id")
    areas = list(
        FocusArea.objects.using(using)
        .filter(district__in=district_ids)
        .order_by("position", "name")
        .values("pk", "name")
    )
    by_cell = {
        (r["focus_area_id"], r["outcome"]): r
        for r in closed.values("focus_area_id", "outcome").annotate(
            cycles=Count("id", distinct=True), teachers=ACCEPTED_TEACHERS
        )
    }
    by_area = {
        r["focus_area_id"]: r
        for r in closed.values("focus_area_id").annotate(
            cycles=Count("id", distinct=True), teachers=ACCEPTED_TEACHERS
        )
    }
    by_outcome = {
        r["outcome"]: r
        for r in closed.values("outcome").annotate(
            cycles=Count("id", distinct=True), teachers=ACCEPTED_TEACHERS
        )
    }
    overall = closed.aggregate(cycles=Count("id", distinct=True), teachers=ACCEPTED_TEACHERS)

    def cell(row):
        return Cell(row["cycles"] if row else 0, row["teachers"] if row else 0)

    rows = [[cell(by_cell.get((a["pk"], o))) for o, _ in OUTCOMES] for a in areas]
    row_totals = [cell(by_area.get(a["pk"])) for a in areas]
    column_totals = [cell(by_outcome.get(o)) for o, _ in OUTCOMES]
    grand = cell(overall)
    suppress(rows, k, row_totals=row_totals, column_totals=column_totals, grand_total=grand)
    return {
        "columns": [heading for _, heading in OUTCOMES],
        "rows": [
            {
                "heading": area["name"],
                "cells": [_shown(c) for c in row],
                "total": _shown(total),
                "met_rate": _rate(row[0], total),
            }
            for area, row, total in zip(areas, rows, row_totals, strict=True)
        ],
        "totals": [_shown(c) for c in column_totals],
        "grand": _shown(grand),
        "met_rate": _rate(column_totals[0], grand),
    }


def _median_days(closed, k):
    lengths = closed.order_by().values_list("started_on", "ended_on")
    teachers = closed.aggregate(teachers=ACCEPTED_TEACHERS)["teachers"]
    days = [(end - start).days for start, end in lengths]
    cell = Cell(round(statistics.median(days)) if days else 0, teachers)
    suppress([[cell]], k)
    return _shown(cell)


def _minutes(using, ids, period: Period):
    """Coaches' minutes by kind: programme data, named by coach, never about a teacher."""
    entries = ActivityEntry.objects.using(using).filter(
        school__in=ids, date__range=(period.start, period.end)
    )
    kinds = ActivityEntry.Kind.choices
    per_coach = {}
    for row in entries.values("coach_id", "coach__full_name", "kind").annotate(
        minutes=Sum("minutes")
    ):
        per_coach.setdefault((row["coach__full_name"], row["coach_id"]), {})[row["kind"]] = row[
            "minutes"
        ]
    totals = dict(entries.values_list("kind").annotate(minutes=Sum("minutes")))
    grand = sum(totals.values())
    return {
        "columns": [heading for _, heading in kinds],
        "rows": [
            {
                "heading": name,
                "cells": [minutes.get(kind, 0) for kind, _ in kinds],
                "total": sum(minutes.values()),
            }
            for (name, _), minutes in sorted(per_coach.items())
        ],
        "totals": [totals.get(kind, 0) for kind, _ in kinds],
        "grand": grand,
        "non_coaching_share": round(100 * totals.get("non_coaching", 0) / grand) if grand else None,
    }


def _trends(using, ids, k):
    """Per term begun so far: teachers taking part, cycles completed, the share met."""
    district_ids = School.objects.using(using).filter(pk__in=ids).values("district_id")
    begun = Term.objects.using(using).filter(
        district__in=district_ids, starts_on__lte=timezone.localdate()
    )
    terms = list(begun.order_by("starts_on"))
    rows = []
    for term in terms[-4:]:
        period = Period("term", term.name, term.starts_on, term.ends_on)
        taking_part = _participating(using, ids, period).values("teacher_id").distinct().count()
        closed = _cycles(using, ids).filter(
            phase=Cycle.Phase.CLOSED, ended_on__range=(term.starts_on, term.ends_on)
        )
        done = closed.aggregate(
            cycles=Count("id", distinct=True),
            met=Count("id", filter=Q(outcome="met"), distinct=True),
            teachers=ACCEPTED_TEACHERS,
        )
        cells = [
            Cell(taking_part, taking_part),
            Cell(done["cycles"], done["teachers"]),
            Cell(done["met"], done["teachers"]),
        ]
        suppress([cells], k)
        rows.append(
            {
                "heading": term.name,
                "cells": [_shown(c) for c in cells[:2]],
                "met_rate": _rate(cells[2], cells[1]),
            }
        )
    return {"columns": ["Teachers taking part", "Cycles completed"], "rows": rows}


def _side_by_side(using, schools, period: Period, k):
    """Headline figures per school with the district total as each column's total."""
    ids = [s["pk"] for s in schools]
    taking_part = dict(
        _participating(using, ids, period)
        .values("partnership__school")
        .annotate(n=Count("teacher", distinct=True))
        .values_list("partnership__school", "n")
    )
    staff = dict(
        Membership.objects.using(using)
        .filter(school__in=ids, role=Membership.Role.TEACHER)
        .values("school")
        .annotate(n=Count("user", distinct=True))
        .values_list("school", "n")
    )
    completed = {
        r["partnership__school"]: r
        for r in _cycles(using, ids)
        .filter(phase=Cycle.Phase.CLOSED, ended_on__range=(period.start, period.end))
        .values("partnership__school")
        .annotate(
            cycles=Count("id", distinct=True),
            met=Count("id", filter=Q(outcome="met"), distinct=True),
            teachers=ACCEPTED_TEACHERS,
        )
    }
    active = {
        r["partnership__school"]: r
        for r in _cycles(using, ids)
        .exclude(phase=Cycle.Phase.CLOSED)
        .values("partnership__school")
        .annotate(cycles=Count("id", distinct=True), teachers=ACCEPTED_TEACHERS)
    }
    minutes = dict(
        ActivityEntry.objects.using(using)
        .filter(school__in=ids, date__range=(period.start, period.end))
        .values("school")
        .annotate(
            total=Sum("minutes"),
        )
        .values_list("school", "total")
    )
    non_coaching = dict(
        ActivityEntry.objects.using(using)
        .filter(school__in=ids, date__range=(period.start, period.end), kind="non_coaching")
        .values("school")
        .annotate(total=Sum("minutes"))
        .values_list("school", "total")
    )

    rows = []
    for school in schools:
        pk = school["pk"]
        part = taking_part.get(pk, 0)
        done = completed.get(pk, {"cycles": 0, "met": 0, "teachers": 0})
        live = active.get(pk, {"cycles": 0, "teachers": 0})
        rows.append(
            [
                Cell(part, part),
                Cell(live["cycles"], live["teachers"]),
                Cell(done["cycles"], done["teachers"]),
                Cell(done["met"], done["teachers"]),
            ]
        )
    totals = [
        Cell(sum(r[j].value for r in rows), sum(r[j].teachers for r in rows)) for j in range(4)
    ]
    # Each column adds up to its district total; the met count is not shown, only its rate.
    suppress(rows, k, column_totals=totals)
    table = []
    for school, cells in zip(schools, rows, strict=True):
        pk = school["pk"]
        spent = minutes.get(pk, 0)
        table.append(
            {
                "heading": school["name"],
                "participating": _shown(cells[0]),
                "share": None
                if cells[0].hidden or not staff.get(pk)
                else round(100 * cells[0].value / staff[pk]),
                "active": _shown(cells[1]),
                "completed": _shown(cells[2]),
                "met_rate": _rate(cells[3], cells[2]),
                "minutes": spent,
                "non_coaching_share": round(100 * non_coaching.get(pk, 0) / spent)
                if spent
                else None,
            }
        )
    return {
        "rows": table,
        "total": {
            "participating": _shown(totals[0]),
            "active": _shown(totals[1]),
            "completed": _shown(totals[2]),
            "met_rate": _rate(totals[3], totals[2]),
            "minutes": sum(minutes.values()),
        },
    }
