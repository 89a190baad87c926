"""A release's stored figures as the tables a page and its CSV export show.

Pure arithmetic on what the release holds: a hidden figure stays hidden, and a rate is
worked out only from two figures that are both shown, so no table here can tell more than
the release's own figures.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from coaching.models import ActivityEntry
from core.translated import said
from cycles.models import SURVEY_QUESTIONS, Cycle

from .counts import ACTIVE_PHASES, ANSWERS, KINDS, OUTCOMES

HIDDEN = "hidden"
PHASE_NAMES = dict(Cycle.Phase.choices)
OUTCOME_NAMES = dict(Cycle.Outcome.choices)
KIND_NAMES = dict(ActivityEntry.Kind.choices)
IMPACT_NAMES = {
    "cycles": gettext_noop("Cycles with evidence before and after"),
    "pre_n": gettext_noop("Students assessed before"),
    "pre_p": gettext_noop("Students proficient before"),
    "post_n": gettext_noop("Students assessed after"),
    "post_p": gettext_noop("Students proficient after"),
}


def periods(figures: dict) -> list[dict]:
    """Periods a reader may choose: each ended term, newest first."""
    return [{"key": t["key"], "name": t["name"]} for t in reversed(figures["terms"])]


def chosen_period(figures: dict, key: str | None) -> dict | None:
    offered = periods(figures)
    return next((p for p in offered if p["key"] == key), offered[0] if offered else None)


class _Reader:
    def __init__(self, figures: dict):
        self.cells = figures["cells"]

    def get(self, path: str):
        """A figure: its value, HIDDEN, or None where the release holds no such figure."""
        if path not in self.cells:
            return None
        value = self.cells[path]
        return HIDDEN if value is None else value


def rate(part, whole):
    """A percentage of two shown figures; hidden when either is; None when there is none."""
    if HIDDEN in (part, whole):
        return HIDDEN
    if isinstance(part, int) and isinstance(whole, int) and whole:
        return round(100 * part / whole)
    return None


def report(figures: dict, period: dict | None) -> dict:
    """Everything a school's or the district's page shows for a period."""
    cells = _Reader(figures)
    staff = figures["staff"]
    now = {
        "part": cells.get("now|part"),
        "share": rate(cells.get("now|part"), staff),
        "staff": staff,
        "phases": [
            {"name": PHASE_NAMES[p], "value": cells.get(f"now|phase|{p}")} for p in ACTIVE_PHASES
        ],
        "phase_total": cells.get("now|phase|*"),
    }
    result = {"now": now, "term": period, "trends": _trends(figures, cells)}
    if period is None:
        return result
    p = period["key"]
    areas = [*figures["areas"], {"key": "*", "name": _("All focus areas")}]
    area_rows = []
    for area in areas:
        closed = cells.get(f"{p}|closed|{area['key']}|*")
        met = cells.get(f"{p}|closed|{area['key']}|met")
        area_rows.append(
            {
                "name": said(area, "name"),
                "met": met,
                "other": cells.get(f"{p}|closed|{area['key']}|other"),
                "closed": closed,
                "met_rate": rate(met, closed),
            }
        )
    outcomes = [
        {"name": OUTCOME_NAMES[o], "value": cells.get(f"{p}|outcome|{o}")} for o in OUTCOMES[1:]
    ]
    impact_rows = []
    for area in areas:
        row = {name: cells.get(f"{p}|impact|{area['key']}|{name}") for name in IMPACT_NAMES}
        before, after = rate(row["pre_p"], row["pre_n"]), rate(row["post_p"], row["post_n"])
        change = None
        if HIDDEN in (before, after):
            change = HIDDEN
        elif before is not None and after is not None:
            change = after - before
        impact_rows.append(
            {"name": said(area, "name"), **row, "before": before, "after": after, "change": change}
        )
    result.update(
        {
            "part": cells.get(f"{p}|part"),
            "share": rate(cells.get(f"{p}|part"), staff),
            "median_days": cells.get(f"{p}|len"),
            "areas": area_rows,
            "outcomes": [{"name": OUTCOME_NAMES["met"], "value": area_rows[-1]["met"]}, *outcomes],
            "outcome_total": area_rows[-1]["closed"],
            "impact": impact_rows,
            "minutes": _minutes(figures, cells, p),
            "voice": _voice(cells, p),
        }
    )
    return result


def _voice(cells, p):
    """Teachers' answers about coaching in the term: counts only, no comment ever."""
    return {
        "answers": cells.get(f"{p}|voice|*"),
        "questions": [
            {
                "asked": asked,
                "cells": [(labels[a], cells.get(f"{p}|voice|{name}|{a}")) for a in ANSWERS],
            }
            for name, asked, labels in SURVEY_QUESTIONS
        ],
    }


def _minutes(figures, cells, p):
    named = figures["coaches"].get(p, [])
    rows = [{"name": name, "path": f"min|{coach}"} for coach, name in named]
    if f"{p}|min|other|*" in cells.cells:
        rows.append({"name": _("Other coaches"), "path": "min|other"})
    for row in rows:
        row["cells"] = [cells.get(f"{p}|{row['path']}|{kind}") for kind in KINDS]
        row["total"] = cells.get(f"{p}|{row['path']}|*")
    totals = [cells.get(f"{p}|min|*|{kind}") for kind in KINDS]
    grand = cells.get(f"{p}|min|*|*")
    return {
        "columns": [KIND_NAMES[kind] for kind in KINDS],
        "rows": rows,
        "totals": totals,
        "grand": grand,
        "non_coaching_share": rate(totals[KINDS.index("non_coaching")], grand),
        "chart": [
            (KIND_NAMES[kind], value)
            for kind, value in zip(KINDS, totals, strict=True)
            if isinstance(value, int)
        ],
    }


def _trends(figures, cells):
    rows = []
    for term in figures["terms"][-4:]:
        p = term["key"]
        closed = cells.get(f"{p}|closed|*|*")
        met = cells.get(f"{p}|closed|*|met")
        rows.append(
            {
                "name": term["name"],
                "part": cells.get(f"{p}|part"),
                "closed": closed,
                "met": met,
                "met_rate": rate(met, closed),
            }
        )
    return rows


def side_by_side(district: dict, schools: dict[int, dict], period: dict | None) -> list[dict]:
    """The district page's row per school, read from each school's own figures."""
    rows = []
    for school in district["schools"]:
        figures = schools[school["id"]]
        cells = _Reader(figures)
        row = {
            "name": school["name"],
            "active": cells.get("now|phase|*"),
            "part_now": cells.get("now|part"),
            "share_now": rate(cells.get("now|part"), figures["staff"]),
        }
        if period:
            p = period["key"]
            closed, met = cells.get(f"{p}|closed|*|*"), cells.get(f"{p}|closed|*|met")
            minutes = cells.get(f"{p}|min|*|*")
            row.update(
                {
                    "part": cells.get(f"{p}|part"),
                    "closed": closed,
                    "met": met,
                    "met_rate": rate(met, closed),
                    "minutes": minutes,
                    "non_coaching_share": rate(cells.get(f"{p}|min|*|non_coaching"), minutes),
                }
            )
        rows.append(row)
    return rows
