"""An administrator with a solver: what can be worked out from every report export a
district's administrators can download, across releases.

It knows nothing of how Tandem decides what to hide. It reads the CSV exports (the pages
show the same figures: test_report_pages checks that), writes down every relation a
reader knows between the figures (rows add up to totals, a district to its schools, a
percentage to its two figures, proficient students are among those assessed, a term's
figures are the same in every release), and asks integer programming (HiGHS) for the
lowest and highest value of every hidden figure.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

import highspy

VOICE, VOICE_TOTAL = "Teachers' answers about coaching", "All answers"
ADDITIVE = {"Cycles closed", "Cycles closed by outcome", "Impact", "Active cycles", VOICE}
OTHERS = "Partly met, not met or stopped"
IMPACT_COUNTS = {
    "Cycles with evidence before and after": "cycles",
    "Students assessed before": "pre_n",
    "Students proficient before": "pre_p",
    "Students assessed after": "post_n",
    "Students proficient after": "post_p",
}
ALL_AREAS, ALL_COACHES = "All focus areas", "All coaches"


@dataclass
class Finding:
    figure: tuple
    low: int
    high: int | None


@dataclass
class Audit:
    shown: dict = field(default_factory=dict)  # identity -> value
    hidden: set = field(default_factory=set)  # identities printed as hidden
    sums: list = field(default_factory=list)  # (members, total)
    limits: list = field(default_factory=list)  # (left, right): sum(left) <= sum(right)
    rates: list = field(default_factory=list)  # (percent, part, whole)
    empty_with: list = field(default_factory=list)  # (figure, other): 0 whenever other is
    districts: set = field(default_factory=set)

    def read(self, text: str, *, district: bool = False) -> None:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        header, rows = rows[0], rows[1:]
        assert header[:8] == [
            "scope", "figure", "term", "breakdown", "category", "value", "units", "status"
        ]  # fmt: skip
        release = next(r[3] for r in rows if r[1] == "Release")
        if district:
            self.districts.add(rows[0][0])
        for scope, figure, period, breakdown, category, value, units, status in rows:
            if figure == "Release" or status == "no figure":
                continue
            when = f"now@{release}" if period == "now" else period
            identity = (scope, figure, when, breakdown, category)
            if units in ("%", "percentage points"):
                self._rate(identity, value if status == "shown" else None, release)
                continue
            if status == "shown":
                number = int(value)
                previous = self.shown.get(identity)
                assert previous in (None, number), f"{identity} changed between releases"
                assert identity not in self.hidden, f"{identity} hidden once, shown once"
                self.shown[identity] = number
            else:
                assert identity not in self.shown, f"{identity} shown once, hidden once"
                self.hidden.add(identity)

    def _rate(self, identity, percent, release):
        scope, figure, when, breakdown, category = identity
        if figure == "Goals met, share of cycles closed":
            part = (scope, "Cycles closed", when, breakdown, "Goal met")
            whole = (scope, "Cycles closed", when, breakdown, "Total")
        elif figure.endswith(", share of staff"):
            part = (scope, figure.removesuffix(", share of staff"), when, "", "")
            whole = (scope, "Teachers on staff", f"now@{release}", "", "")  # staff then
        elif figure == "Coach time on non-coaching duties":
            part = (scope, "Coaching minutes", when, ALL_COACHES, "Non-coaching duty")
            whole = (scope, "Coaching minutes", when, ALL_COACHES, "Total")
        elif figure == "Impact":
            stage = "before" if category.endswith("before") else "after"
            if category == "Change":
                return  # the difference of the two shares beside it, in whole points
            part = (scope, "Impact", when, breakdown, f"Students proficient {stage}")
            whole = (scope, "Impact", when, breakdown, f"Students assessed {stage}")
        else:
            raise AssertionError(f"a percentage the auditor does not know: {figure}")
        self.rates.append((percent, part, whole))

    def relate(self) -> None:
        """Every relation between the figures read, as a reader would write them down."""
        figures = set(self.shown) | self.hidden
        tables = defaultdict(set)
        for scope, figure, when, breakdown, category in figures:
            tables[(scope, when)].add((figure, breakdown, category))
        for (scope, when), present in tables.items():
            self._cycles_closed(scope, when, present)
            self._impact(scope, when, present)
            self._minutes(scope, when, present)
            self._voice(scope, when, present)
            phases = [(scope, "Active cycles", when, b, c) for f, b, c in present
                      if f == "Active cycles" and b != "Total"]  # fmt: skip
            if phases:
                self.sums.append((phases, (scope, "Active cycles", when, "Total", "")))
        schools = {scope for scope, *_ in figures} - self.districts
        for district in self.districts:
            for scope, figure, when, breakdown, category in list(figures):
                if scope != district:
                    continue
                parts = [(s, figure, when, breakdown, category) for s in sorted(schools)]
                parts = [p for p in parts if p in figures]
                whole = (scope, figure, when, breakdown, category)
                if figure in ADDITIVE or (
                    figure == "Coaching minutes" and breakdown == ALL_COACHES
                ):
                    self.sums.append((parts, whole))
                elif figure.startswith("Teachers taking part") or figure.startswith(
                    "Teachers in a partnership"
                ):
                    self.limits.append(([whole], parts))
                    self.limits += [([p], [whole]) for p in parts]

    def _cycles_closed(self, scope, when, present):
        areas = sorted({b for f, b, c in present if f == "Cycles closed" and b != ALL_AREAS})
        outcomes = sorted({c for f, b, c in present if f == "Cycles closed by outcome"})
        if not areas:
            return

        def closed(area, category):
            return (scope, "Cycles closed", when, area, category)

        for area in [*areas, ALL_AREAS]:
            self.sums.append(
                ([closed(area, "Goal met"), closed(area, OTHERS)], closed(area, "Total"))
            )
        for category in ("Goal met", OTHERS, "Total"):
            self.sums.append(([closed(a, category) for a in areas], closed(ALL_AREAS, category)))
        by_outcome = [(scope, "Cycles closed by outcome", when, ALL_AREAS, o) for o in outcomes]
        self.sums.append((by_outcome, closed(ALL_AREAS, OTHERS)))

    def _impact(self, scope, when, present):
        groups = sorted({b for f, b, c in present if f == "Impact"})
        if not groups:
            return

        def impact(group, name):
            return (scope, "Impact", when, group, name)

        for name in IMPACT_COUNTS:
            parts = [impact(g, name) for g in groups if g != ALL_AREAS]
            self.sums.append((parts, impact(ALL_AREAS, name)))
        for group in groups:
            for small, big in [
                ("Students proficient before", "Students assessed before"),
                ("Students proficient after", "Students assessed after"),
                ("Cycles with evidence before and after", "Students assessed before"),
                ("Cycles with evidence before and after", "Students assessed after"),
            ]:
                self.limits.append(([impact(group, small)], [impact(group, big)]))
            cycles = impact(group, "Cycles with evidence before and after")
            closed = (scope, "Cycles closed", when, group, "Total")
            self.limits.append(([cycles], [closed]))
            # No cycle with evidence, no student assessed: a row of no cycles is empty.
            self.empty_with += [(impact(group, name), cycles) for name in IMPACT_COUNTS
                                if impact(group, name) != cycles]  # fmt: skip

    def _voice(self, scope, when, present):
        """Each question's answers add up to the answers."""
        total = (scope, VOICE, when, VOICE_TOTAL, "Total")
        for question in sorted({b for f, b, c in present if f == VOICE and b != VOICE_TOTAL}):
            answers = [(scope, VOICE, when, question, c) for f, b, c in present
                       if f == VOICE and b == question]  # fmt: skip
            self.sums.append((sorted(answers), total))

    def _minutes(self, scope, when, present):
        rows = sorted({b for f, b, c in present if f == "Coaching minutes"})
        kinds = sorted({c for f, b, c in present if f == "Coaching minutes" and c != "Total"})
        if not kinds or ALL_COACHES not in rows:
            return
        for row in rows:
            self.sums.append(
                ([(scope, "Coaching minutes", when, row, k) for k in kinds],
                 (scope, "Coaching minutes", when, row, "Total"))
            )  # fmt: skip
        for category in [*kinds, "Total"]:
            members = [(scope, "Coaching minutes", when, r, category) for r in rows]
            self.sums.append(
                ([m for m in members if m[3] != ALL_COACHES],
                 (scope, "Coaching minutes", when, ALL_COACHES, category))
            )  # fmt: skip

    def findings(self) -> list[Finding]:
        """Every hidden figure whose lowest and highest possible values meet."""
        self.relate()
        unknown = sorted(self.hidden | (self._mentioned() - set(self.shown)))
        solver = highspy.Highs()
        solver.setOptionValue("output_flag", False)
        x = {u: solver.addVariable(lb=0, type=highspy.HighsVarType.kInteger) for u in unknown}

        def constrain(weights: list[tuple[float, tuple]], kind: str) -> None:
            """sum(weight * figure) == 0 or <= 0; with no hidden figure in it, the printed
            figures must already agree, or the reports contradict themselves."""
            constant = sum(w * self.shown[f] for w, f in weights if f not in x)
            variables = [(w, x[f]) for w, f in weights if f in x]
            if not variables:
                holds = constant == 0 if kind == "=" else constant <= 1e-9
                assert holds, f"printed figures disagree: {weights}"
                return
            expression = sum(w * v for w, v in variables)
            solver.addConstr(expression == -constant if kind == "=" else expression <= -constant)

        for members, total in self.sums:
            if members:
                constrain([*((1, m) for m in members), (-1, total)], "=")
        for left, right in self.limits:
            if left and right:
                constrain([*((1, m) for m in left), *((-1, m) for m in right)], "<=")
        for percent, part, whole in self.rates:
            if percent is None:
                continue
            constrain([(-100, part), (int(percent) - 0.5, whole)], "<=")
            constrain([(100, part), (-(int(percent) + 0.5), whole)], "<=")

        # A figure zero with one that can only be zero is zero: write it down, look again.
        emptied, more = set(), True
        while more:
            more = False
            for figure, other in self.empty_with:
                if figure not in x or figure in emptied:
                    continue
                if other in x:
                    solver.maximize(x[other])
                    if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                        continue
                    zero = round(solver.val(x[other])) == 0
                else:
                    zero = self.shown.get(other) == 0
                if zero:
                    solver.addConstr(x[figure] == 0)
                    emptied.add(figure)
                    more = True

        findings = []
        for identity in unknown:
            solver.minimize(x[identity])
            assert solver.getModelStatus() == highspy.HighsModelStatus.kOptimal, identity
            low = round(solver.val(x[identity]))
            solver.maximize(x[identity])
            if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                continue  # no highest value: as large as you like
            high = round(solver.val(x[identity]))
            if low == high:
                findings.append(Finding(identity, low, high))
        return [f for f in findings if not self._empty_group(f, findings)]

    def _mentioned(self) -> set:
        every = set()
        for members, total in self.sums:
            every |= {*members, total}
        for left, right in self.limits:
            every |= {*left, *right}
        for _, part, whole in self.rates:
            every |= {part, whole}
        return every

    def _empty_group(self, finding: Finding, findings: list[Finding]) -> bool:
        """A zero worked out tells nothing when no hidden total it is part of stays open,
        or when a total it is part of, or a figure it cannot exceed, is known to be zero."""
        if finding.low != 0:
            return False
        known = {f.figure: f.low for f in findings} | self.shown
        for left, right in self.limits:
            if left == [finding.figure] and all(known.get(r) == 0 for r in right):
                return True  # no more than a figure known to be zero
        if any(known.get(o) == 0 for f, o in self.empty_with if f == finding.figure):
            return True  # zero with a figure known to be zero
        open_total = False
        for members, total in self.sums:
            if finding.figure not in members:
                continue
            if known.get(total) == 0:
                return True
            open_total = open_total or total not in known
        return not open_total
