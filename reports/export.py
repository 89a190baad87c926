"""A report as one tidy table for a spreadsheet: one figure per row, a number or nothing in
the value column, and a status column that says whether the page shows the figure.

It reads the same tables as the page (`tables.report`) and adds nothing to them, so the
export cannot show a figure the page hides.
"""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext_lazy

from . import tables

# Written in the reader's language, as every page is; the English names are the message ids
# (tests/reports/auditor.py reads an English export).
HEADER = [
    gettext_noop("scope"),
    gettext_noop("figure"),
    gettext_noop("term"),
    gettext_noop("breakdown"),
    gettext_noop("category"),
    gettext_noop("value"),
    gettext_noop("units"),
    gettext_noop("status"),
]
SHOWN, HIDDEN, NO_FIGURE = gettext_noop("shown"), gettext_noop("hidden"), gettext_noop("no figure")
NOW = gettext_noop("now")
OTHER_OUTCOMES = gettext_noop("Partly met, not met or stopped")
VOICE, VOICE_TOTAL = gettext_noop("Teachers' answers about coaching"), gettext_noop("All answers")
UNITS = {
    "teachers": pgettext_lazy("unit of a figure", "teachers"),
    "cycles": pgettext_lazy("unit of a figure", "cycles"),
    "students": pgettext_lazy("unit of a figure", "students"),
    "days": pgettext_lazy("unit of a figure", "days"),
    "minutes": pgettext_lazy("unit of a figure", "minutes"),
    "answers": pgettext_lazy("unit of a figure", "answers"),
    "percentage points": pgettext_lazy("unit of a figure", "percentage points"),
}


def header() -> list[str]:
    return [_(column) for column in HEADER]


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
        units = str(UNITS.get(units, units))
        self.rows.append([self.scope, figure, period, breakdown, category, value, units, _(status)])


def rows(name, figures, period, release, *, schools=None) -> Iterator[list]:
    """The report's figures in HEADER's columns, in the order the page shows them."""
    out = _Rows(name)
    report = tables.report(figures, period)
    released = timezone.localtime(release.released_at).strftime("%Y-%m-%d %H:%M")
    out.rows.append([name, _("Release"), _(NOW), str(release.number), released, "", "", _(SHOWN)])
    _now(out, report["now"])
    if period:
        _period(out, report, period["name"])
    for row in report["trends"]:
        out.add(_("Teachers taking part"), row["name"], "", "", row["part"], "teachers")
        out.add(
            _("Cycles closed"),
            row["name"],
            _("All focus areas"),
            _("Total"),
            row["closed"],
            "cycles",
        )
        out.add(
            _("Cycles closed"),
            row["name"],
            _("All focus areas"),
            _("Goal met"),
            row["met"],
            "cycles",
        )
        out.add(_("Goals met, share of cycles closed"), row["name"], _("All focus areas"), "",
                row["met_rate"], "%")  # fmt: skip
    for school in tables.side_by_side(figures, schools, period) if schools is not None else []:
        by_school = _Rows(school["name"])
        by_school.add(_("Active cycles"), _(NOW), _("Total"), "", school["active"], "cycles")
        by_school.add(
            _("Teachers in a partnership"), _(NOW), "", "", school["part_now"], "teachers"
        )
        by_school.add(_("Teachers in a partnership, share of staff"), _(NOW), "", "",
                      school["share_now"], "%")  # fmt: skip
        if period:
            p = period["name"]
            by_school.add(_("Teachers taking part"), p, "", "", school["part"], "teachers")
            by_school.add(
                _("Cycles closed"), p, _("All focus areas"), _("Total"), school["closed"], "cycles"
            )
            by_school.add(_("Cycles closed"), p, _("All focus areas"), _("Goal met"), school["met"],
                          "cycles")  # fmt: skip
            by_school.add(_("Goals met, share of cycles closed"), p, _("All focus areas"), "",
                          school["met_rate"], "%")  # fmt: skip
            by_school.add(_("Coaching minutes"), p, _("All coaches"), _("Total"), school["minutes"],
                          "minutes")  # fmt: skip
            by_school.add(_("Coach time on non-coaching duties"), p, "", "",
                          school["non_coaching_share"], "%")  # fmt: skip
        out.rows += by_school.rows
    return iter(out.rows)


def _now(out: _Rows, now: dict):
    out.add(_("Teachers in a partnership"), _(NOW), "", "", now["part"], "teachers")
    out.add(_("Teachers on staff"), _(NOW), "", "", now["staff"], "teachers")
    out.add(_("Teachers in a partnership, share of staff"), _(NOW), "", "", now["share"], "%")
    for phase in now["phases"]:
        out.add(_("Active cycles"), _(NOW), phase["name"], "", phase["value"], "cycles")
    out.add(_("Active cycles"), _(NOW), _("Total"), "", now["phase_total"], "cycles")


def _period(out: _Rows, report: dict, p: str):
    out.add(_("Teachers taking part"), p, "", "", report["part"], "teachers")
    out.add(_("Teachers taking part, share of staff"), p, "", "", report["share"], "%")
    out.add(_("Median cycle length"), p, "", "", report["median_days"], "days")
    for row in report["areas"]:
        out.add(_("Cycles closed"), p, row["name"], _("Goal met"), row["met"], "cycles")
        out.add(_("Cycles closed"), p, row["name"], _(OTHER_OUTCOMES), row["other"], "cycles")
        out.add(_("Cycles closed"), p, row["name"], _("Total"), row["closed"], "cycles")
        out.add(_("Goals met, share of cycles closed"), p, row["name"], "", row["met_rate"], "%")
    # _("Goal met") and the total are in the row above; the other outcomes one by one.
    for row in report["outcomes"][1:]:
        out.add(_("Cycles closed by outcome"), p, _("All focus areas"), row["name"], row["value"],
                "cycles")  # fmt: skip
    for row in report["impact"]:
        for key, heading in tables.IMPACT_NAMES.items():
            units = "cycles" if key == "cycles" else "students"
            out.add(_("Impact"), p, row["name"], _(heading), row[key], units)
        out.add(_("Impact"), p, row["name"], _("Share proficient before"), row["before"], "%")
        out.add(_("Impact"), p, row["name"], _("Share proficient after"), row["after"], "%")
        out.add(_("Impact"), p, row["name"], _("Change"), row["change"], "percentage points")
    minutes = report["minutes"]
    for row in [*minutes["rows"], {"name": _("All coaches"), "cells": minutes["totals"],
                                   "total": minutes["grand"]}]:  # fmt: skip
        for column, value in zip(minutes["columns"], row["cells"], strict=True):
            out.add(_("Coaching minutes"), p, row["name"], column, value, "minutes")
        out.add(_("Coaching minutes"), p, row["name"], _("Total"), row["total"], "minutes")
    out.add(_("Coach time on non-coaching duties"), p, "", "", minutes["non_coaching_share"], "%")
    voice = report["voice"]
    out.add(_(VOICE), p, _(VOICE_TOTAL), _("Total"), voice["answers"], "answers")
    for question in voice["questions"]:
        for label, value in question["cells"]:
            out.add(_(VOICE), p, question["asked"], label, value, "answers")
