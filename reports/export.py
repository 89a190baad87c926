"""A report as one tidy table for a spreadsheet: one figure per row, a number or nothing in
the value column, and a status column that says whether the page shows the figure.

It reads the same tables as the page (`tables.report`) and adds nothing to them, so the
export cannot show a figure the page hides.
"""

from collections.abc import Iterator

from django.utils import timezone

from . import tables

HEADER = ["scope", "figure", "term", "breakdown", "category", "value", "units", "status"]
SHOWN, HIDDEN, NO_FIGURE = "shown", "hidden", "no figure"
NOW = "now"
OTHER_OUTCOMES = "Partly met, not met or stopped"
VOICE, VOICE_TOTAL = "Teachers' answers about coaching", "All answers"


class _Rows:
    def __init__(self, scope: str):
        self.scope = scope
        self.rows: list[list] = []

    def add(self, figure, period, breakdown, category, value, units):
        if value == tables.HIDDEN:
            status, value = HIDDEN, ""
        elif value is None:
            status, value = NO_FIGURE, ""
        else:
            status = SHOWN
        self.rows.append([self.scope, figure, period, breakdown, category, value, units, status])


def rows(name, figures, period, release, *, schools=None) -> Iterator[list]:
    """The report's figures in HEADER's columns, in the order the page shows them."""
    out = _Rows(name)
    report = tables.report(figures, period)
    released = timezone.localtime(release.released_at).strftime("%Y-%m-%d %H:%M")
    out.rows.append([name, "Release", NOW, str(release.number), released, "", "", SHOWN])
    _now(out, report["now"])
    if period:
        _period(out, report, period["name"])
    for row in report["trends"]:
        out.add("Teachers taking part", row["name"], "", "", row["part"], "teachers")
        out.add("Cycles closed", row["name"], "All focus areas", "Total", row["closed"], "cycles")
        out.add("Cycles closed", row["name"], "All focus areas", "Goal met", row["met"], "cycles")
        out.add("Goals met, share of cycles closed", row["name"], "All focus areas", "",
                row["met_rate"], "%")  # fmt: skip
    for school in tables.side_by_side(figures, schools, period) if schools is not None else []:
        by_school = _Rows(school["name"])
        by_school.add("Active cycles", NOW, "Total", "", school["active"], "cycles")
        by_school.add("Teachers in a partnership", NOW, "", "", school["part_now"], "teachers")
        by_school.add("Teachers in a partnership, share of staff", NOW, "", "",
                      school["share_now"], "%")  # fmt: skip
        if period:
            p = period["name"]
            by_school.add("Teachers taking part", p, "", "", school["part"], "teachers")
            by_school.add(
                "Cycles closed", p, "All focus areas", "Total", school["closed"], "cycles"
            )
            by_school.add("Cycles closed", p, "All focus areas", "Goal met", school["met"],
                          "cycles")  # fmt: skip
            by_school.add("Goals met, share of cycles closed", p, "All focus areas", "",
                          school["met_rate"], "%")  # fmt: skip
            by_school.add("Coaching minutes", p, "All coaches", "Total", school["minutes"],
                          "minutes")  # fmt: skip
            by_school.add("Coach time on non-coaching duties", p, "", "",
                          school["non_coaching_share"], "%")  # fmt: skip
        out.rows += by_school.rows
    return iter(out.rows)


def _now(out: _Rows, now: dict):
    out.add("Teachers in a partnership", NOW, "", "", now["part"], "teachers")
    out.add("Teachers on staff", NOW, "", "", now["staff"], "teachers")
    out.add("Teachers in a partnership, share of staff", NOW, "", "", now["share"], "%")
    for phase in now["phases"]:
        out.add("Active cycles", NOW, phase["name"], "", phase["value"], "cycles")
    out.add("Active cycles", NOW, "Total", "", now["phase_total"], "cycles")


def _period(out: _Rows, report: dict, p: str):
    out.add("Teachers taking part", p, "", "", report["part"], "teachers")
    out.add("Teachers taking part, share of staff", p, "", "", report["share"], "%")
    out.add("Median cycle length", p, "", "", report["median_days"], "days")
    for row in report["areas"]:
        out.add("Cycles closed", p, row["name"], "Goal met", row["met"], "cycles")
        out.add("Cycles closed", p, row["name"], OTHER_OUTCOMES, row["other"], "cycles")
        out.add("Cycles closed", p, row["name"], "Total", row["closed"], "cycles")
        out.add("Goals met, share of cycles closed", p, row["name"], "", row["met_rate"], "%")
    # "Goal met" and the total are in the row above; the other outcomes one by one.
    for row in report["outcomes"][1:]:
        out.add("Cycles closed by outcome", p, "All focus areas", row["name"], row["value"],
                "cycles")  # fmt: skip
    for row in report["impact"]:
        for key, heading in tables.IMPACT_NAMES.items():
            units = "cycles" if key == "cycles" else "students"
            out.add("Impact", p, row["name"], heading, row[key], units)
        out.add("Impact", p, row["name"], "Share proficient before", row["before"], "%")
        out.add("Impact", p, row["name"], "Share proficient after", row["after"], "%")
        out.add("Impact", p, row["name"], "Change", row["change"], "percentage points")
    minutes = report["minutes"]
    for row in [*minutes["rows"], {"name": "All coaches", "cells": minutes["totals"],
                                   "total": minutes["grand"]}]:  # fmt: skip
        for column, value in zip(minutes["columns"], row["cells"], strict=True):
            out.add("Coaching minutes", p, row["name"], column, value, "minutes")
        out.add("Coaching minutes", p, row["name"], "Total", row["total"], "minutes")
    out.add("Coach time on non-coaching duties", p, "", "", minutes["non_coaching_share"], "%")
    voice = report["voice"]
    out.add(VOICE, p, VOICE_TOTAL, "Total", voice["answers"], "answers")
    for question in voice["questions"]:
        for label, value in question["cells"]:
            out.add(VOICE, p, question["asked"], label, value, "answers")
