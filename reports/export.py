"""A report as one tidy table for a spreadsheet: one figure per row, a number or nothing in
the value column, and a status column that says whether the page shows the figure, and if
not, why not.

It reads the same stored figures as the page and adds nothing to them, so the export
cannot show a figure the page suppresses.
"""

from collections.abc import Iterator

HEADER = ["figure", "period", "breakdown", "category", "value", "units", "status", "reason"]
SHOWN, SUPPRESSED, NO_FIGURE = "shown", "suppressed", "no figure"
COMPLEMENT = "hidden so another hidden figure cannot be worked out"
# Active cycles are counted as they stand when the figures are computed, whatever the period.
NOW = "now"


def _number(value):
    """Plain digits and a "." for a spreadsheet in any locale; never a string."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class _Rows:
    def __init__(self, k: int):
        self.k = k
        self.rows: list[list] = []

    def _add(self, key, value, units, status, reason=""):
        figure, period, breakdown, category = key
        value = _number(value) if status == SHOWN else ""
        self.rows.append([figure, period, breakdown, category, value, units, status, reason])

    def _why(self, hidden: str) -> str:
        return f"fewer than {self.k} teachers" if hidden == "small" else COMPLEMENT

    def cell(self, key, cell: dict, units: str):
        """A figure the suppression rule ruled on: `{"value": ..., "hidden": ...}`."""
        if cell["hidden"]:
            self._add(key, None, units, SUPPRESSED, self._why(cell["hidden"]))
        else:
            self._add(key, cell["value"], units, SHOWN)

    def plain(self, key, value, units: str, *, missing: str = ""):
        """A figure about no teacher (coaches' time), or a share of one; None has no value."""
        if value is None:
            self._add(key, None, units, NO_FIGURE, missing)
        else:
            self._add(key, value, units, SHOWN)

    def share(self, key, share, count: dict):
        """A count's share of the teachers on staff, which the page omits with the count."""
        if share is not None:
            self._add(key, share, "%", SHOWN)
        elif count["hidden"]:
            self._add(key, None, "%", SUPPRESSED, self._why(count["hidden"]))
        else:
            self._add(key, None, "%", NO_FIGURE, "no teachers on staff")

    def rate(self, key, rate, base: dict, *parts: dict, missing: str):
        """A percentage of `base`, worked out from `parts`: hidden when any of them is.

        A rate whose base is shown and not zero is missing only because its numerator (a
        count the page never prints, such as a school's goals met) was hidden to protect
        another figure.
        """
        if rate is not None:
            self._add(key, rate, "%", SHOWN)
            return
        hidden = [c["hidden"] for c in (base, *parts) if c["hidden"]]
        if hidden:
            self._add(key, None, "%", SUPPRESSED, self._why("small" if "small" in hidden else ""))
        elif not base["value"]:
            self._add(key, None, "%", NO_FIGURE, missing)
        else:
            self._add(key, None, "%", SUPPRESSED, COMPLEMENT)


def rows(figures: dict, k: int) -> Iterator[list]:
    """The report's figures in HEADER's columns, in the order the page shows them."""
    out = _Rows(k)
    period = figures["period"]["heading"]
    participating = figures["participating"]
    out.cell(("Teachers taking part", period, "", ""), participating, "teachers")
    out.plain(("Teachers on staff", period, "", ""), figures["staff"], "teachers")
    out.share(
        ("Teachers taking part, share of teachers", period, "", ""),
        figures["participating_share"],
        participating,
    )
    out.cell(("Median cycle length", period, "", ""), figures["median_days"], "days")
    minutes = figures["minutes"]
    out.plain(
        ("Coach time on non-coaching duties", period, "", ""),
        minutes["non_coaching_share"],
        "%",
        missing="no time logged",
    )

    phases = figures["phases"]
    for row in phases["rows"]:
        out.cell(("Active cycles", NOW, row["heading"], ""), row["cells"][0], "cycles")
    out.cell(("Active cycles", NOW, "Total", ""), phases["total"], "cycles")

    outcomes = figures["outcomes"]
    lines = [
        (row["heading"], row["cells"], row["total"], row["met_rate"]) for row in outcomes["rows"]
    ]
    lines.append(("Total", outcomes["totals"], outcomes["grand"], outcomes["met_rate"]))
    for heading, cells, total, met_rate in lines:
        for column, cell in zip(outcomes["columns"], cells, strict=True):
            out.cell(("Cycles closed", period, heading, column), cell, "cycles")
        out.cell(("Cycles closed", period, heading, "Total"), total, "cycles")
        out.rate(
            ("Goals met, share of cycles closed", period, heading, ""),
            met_rate,
            total,
            cells[0],
            missing="no cycles closed",
        )

    for heading, cells, total in [
        *((row["heading"], row["cells"], row["total"]) for row in minutes["rows"]),
        ("Total", minutes["totals"], minutes["grand"]),
    ]:
        for column, value in zip(minutes["columns"], cells, strict=True):
            out.plain(("Coaching minutes", period, heading, column), value, "minutes")
        out.plain(("Coaching minutes", period, heading, "Total"), total, "minutes")

    for row in figures["trends"]["rows"]:
        taking_part, completed = row["cells"]
        term = row["heading"]
        out.cell(("Teachers taking part per term", term, "", ""), taking_part, "teachers")
        out.cell(("Cycles completed per term", term, "", ""), completed, "cycles")
        out.rate(
            ("Goals met per term, share of cycles completed", term, "", ""),
            row["met_rate"],
            completed,
            missing="no cycles completed",
        )

    if "schools" in figures:
        _side_by_side(out, figures, period)
    return iter(out.rows)


def _side_by_side(out: _Rows, figures: dict, period: str):
    schools = figures["schools"]
    total = {
        **schools["total"],
        "heading": "District",
        # The page's district row repeats the headline shares, which count each teacher
        # once however many of the district's schools they teach at.
        "share": figures["participating_share"],
        "share_of": figures["participating"],
        "non_coaching_share": figures["minutes"]["non_coaching_share"],
    }
    for row in [*({"share_of": r["participating"], **r} for r in schools["rows"]), total]:
        school = row["heading"]
        out.cell(
            ("Teachers taking part by school", period, school, ""), row["participating"], "teachers"
        )
        out.share(
            ("Teachers taking part by school, share of teachers", period, school, ""),
            row["share"],
            row["share_of"],
        )
        out.cell(("Active cycles by school", NOW, school, ""), row["active"], "cycles")
        out.cell(("Cycles completed by school", period, school, ""), row["completed"], "cycles")
        out.rate(
            ("Goals met by school, share of cycles completed", period, school, ""),
            row["met_rate"],
            row["completed"],
            missing="no cycles completed",
        )
        out.plain(("Coaching minutes by school", period, school, ""), row["minutes"], "minutes")
        out.plain(
            ("Coach time on non-coaching duties by school", period, school, ""),
            row["non_coaching_share"],
            "%",
            missing="no time logged",
        )
