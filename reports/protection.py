"""Which report figures may be shown: the one place that decides, for a whole release.

A figure about fewer than K distinct teachers is hidden, and so is a zero beside it ("none
stopped" in a row of two would say how both ended). Hiding is not enough when the reader
can do arithmetic: a row adds up to its total, a district to its schools, students
proficient are among those assessed, and last release's figures are remembered. So the
figures of every table of a district, with all of that, are one system of equations and
inequalities; further figures are hidden (complements) until no hidden figure has only
one possible value, which integer programming (HiGHS) decides. Figures decided by an
earlier release keep their state.

docs/reports-privacy.md explains this in words.
"""

import logging
import random
from collections import defaultdict
from dataclasses import dataclass, field

import highspy

logger = logging.getLogger(__name__)


class ProtectionError(RuntimeError):
    """No figure is left to hide: the release must not be made."""


@dataclass(eq=False)
class Cell:
    key: str
    value: int
    teachers: int  # distinct teachers the figure is about
    about_teachers: bool = True  # False: coaches' time not linked to any teacher, say
    published: bool = True  # False: a figure the page never prints, but its sums do
    hidden: bool = False
    frozen: bool = False  # shown or hidden by an earlier release, and so for good
    tie: str = ""  # figures of one group (an impact row) are shown or hidden together


@dataclass
class Figures:
    """Cells by key, and the sums they obey: each line is (members, total)."""

    cells: dict[str, Cell] = field(default_factory=dict)
    lines: list[tuple[list[str], str]] = field(default_factory=list)
    # What else a reader knows: each (left, right) says the left figures add up to no more
    # than the right ones (students proficient are among those assessed, say).
    limits: list[tuple[list[str], list[str]]] = field(default_factory=list)

    def add(self, cell: Cell) -> Cell:
        self.cells[cell.key] = cell
        return cell

    def sums(self, members: list[str], total: str) -> None:
        present = [m for m in members if m in self.cells]
        if total in self.cells and present:
            self.lines.append((present, total))

    def at_most(self, left: list[str], right: list[str]) -> None:
        if all(key in self.cells for key in [*left, *right]):
            self.limits.append((left, right))

    def lines_of(self) -> dict[str, list[int]]:
        index = defaultdict(list)
        for number, (members, total) in enumerate(self.lines):
            for key in {*members, total}:
                index[key].append(number)
        return index


def is_small(cell: Cell, k: int) -> bool:
    return cell.about_teachers and 0 < cell.teachers < k


def protect(figures: Figures, k: int) -> None:
    """Mark cells hidden, in place, until no hidden figure can be worked out."""
    ties = defaultdict(list)
    for cell in figures.cells.values():
        if cell.tie:
            ties[cell.tie].append(cell)
    for cell in figures.cells.values():
        if not cell.frozen:
            cell.hidden = not cell.published or is_small(cell, k) or cell.hidden
    # A zero beside a small hidden group would say what its teachers did not do ("none
    # stopped" in a row of two): within a hidden total, zeros are hidden too.
    changed = True
    while changed:
        changed = False
        for members, total in figures.lines:
            if not figures.cells[total].hidden:
                continue
            for key in members:
                cell = figures.cells[key]
                if cell.value == 0 and not cell.hidden and not cell.frozen:
                    changed = bool(_hide(cell, ties)) or changed
        for group in ties.values():
            if any(c.hidden for c in group) and not all(c.hidden for c in group):
                changed = bool(_hide(group[0], ties)) or changed
    index = figures.lines_of()
    # One search over everything, then each figure found is mended where it stands (a
    # search around it alone), and the whole is searched again until nothing is found.
    while exposed := exposed_cells(figures):
        for start in exposed:
            while found := exposed_cells(figures, first=True, around=({start.key}, index)):
                cell = found[0]
                partner = _partner(figures, cell, ties, index)
                if partner is None:
                    raise ProtectionError(f"nothing left to hide beside {cell.key}")
                logger.debug("%s can be worked out: %s is hidden too", cell.key, partner.key)
                _hide(partner, ties)


def _hide(cell: Cell, ties) -> list[Cell]:
    changed = [c for c in (ties[cell.tie] if cell.tie else [cell]) if not c.hidden]
    for c in changed:
        c.hidden = True
    return changed


def exposed_cells(figures: Figures, *, first: bool = False, around=None) -> list[Cell]:
    """Hidden figures a reader can work out from the shown ones and the sums.

    A zero worked out counts only where it is part of a hidden total that stays hidden:
    there it narrows what that total's teachers did; elsewhere it is a group of nobody.
    `around` (keys, with the line index) limits the search to the sums that reach them.
    """
    known = determined(figures, around=around)
    exposed = []
    for key, value in known.items():
        if value == 0 and not _inside_open_total(figures, key, known):
            continue
        exposed.append(figures.cells[key])
        if first:
            break
    return exposed


def _inside_open_total(figures: Figures, key: str, known: dict) -> bool:
    """Whether a zero narrows a hidden group: it lies in a hidden total that stays open,
    and no total it lies in is known to be empty (which would say as much already)."""
    for left, right in figures.limits:
        if left == [key] and all(_known(figures, other, known) == 0 for other in right):
            return False  # no more than a figure known to be zero
    inside_open = False
    for members, total in figures.lines:
        if key not in members:
            continue
        cell = figures.cells[total]
        value = known.get(total, None if cell.hidden else cell.value)
        if value == 0:
            return False
        inside_open = inside_open or value is None
    return inside_open


def _known(figures: Figures, key: str, known: dict):
    cell = figures.cells[key]
    return known.get(key, None if cell.hidden else cell.value)


def _partner(figures: Figures, cell: Cell, ties, index) -> Cell | None:
    """The shown figure to hide so that `cell` cannot be worked out: among its own sums
    first, then the sums of the hidden figures beside it, the least telling (fewest
    teachers, smallest value) whose hiding leaves nothing nearby that can be worked out."""
    near_lines = set(index[cell.key])
    near = {key for n in near_lines for key in [*figures.lines[n][0], figures.lines[n][1]]}
    beside = {key for key in near if figures.cells[key].hidden}
    far = {
        key
        for hidden in beside
        for n in index[hidden]
        for key in [*figures.lines[n][0], figures.lines[n][1]]
    }
    fallback = None
    for pool in (near, far - near):
        candidates = sorted(
            (
                figures.cells[key]
                for key in pool
                if not figures.cells[key].hidden
                and not figures.cells[key].frozen
                and figures.cells[key].published
            ),
            key=lambda c: (c.teachers, c.value, c.key),
        )
        fallback = fallback or (candidates[0] if candidates else None)
        for candidate in candidates[:12]:
            changed = _hide(candidate, ties)
            around = ({cell.key} | {c.key for c in changed}, index)
            safe = not exposed_cells(figures, first=True, around=around)
            for c in changed:
                c.hidden = False
            if safe:
                return candidate
    return fallback


def determined(figures: Figures, *, around=None) -> dict[str, int]:
    """Hidden figures whose value the shown ones and the sums fix, with that value.

    With `around`, it looks only at the hidden figures connected to those keys by sums.
    """
    cells = figures.cells
    lines = figures.lines
    if around is not None:
        lines = [figures.lines[n] for n in _reach(figures, *around)]
    equations = []
    for members, total in lines:
        terms = {}
        constant = 0
        for key, sign in [*((m, 1) for m in members), (total, -1)]:
            cell = cells[key]
            if cell.hidden:
                terms[key] = terms.get(key, 0) + sign
            else:
                constant -= sign * cell.value
        terms = {key: coefficient for key, coefficient in terms.items() if coefficient}
        if terms:
            equations.append((terms, constant))

    known = _propagate(equations)
    reached = {key for terms, _ in equations for key in terms}
    rest = []
    for kind, rows in (("=", equations), ("<=", _inequalities(figures, reached, around))):
        for terms, constant in rows:
            constant -= sum(c * known[key] for key, c in terms.items() if key in known)
            terms = {key: c for key, c in terms.items() if key not in known}
            if terms:
                rest.append((terms, kind, constant))
    unknown = {key for terms, _, _ in rest for key in terms}
    for component in _components(rest, unknown):
        known.update(_fixed_by_search(component))
    return known


def _inequalities(figures: Figures, reached: set[str], around) -> list:
    """The limits, as (terms, constant) meaning terms <= constant, over hidden figures."""
    rows = []
    for left, right in figures.limits:
        terms, constant = {}, 0
        for key, sign in [*((k, 1) for k in left), *((k, -1) for k in right)]:
            cell = figures.cells[key]
            if cell.hidden:
                terms[key] = terms.get(key, 0) + sign
            else:
                constant -= sign * cell.value
        terms = {key: c for key, c in terms.items() if c}
        if terms and (around is None or reached.intersection(terms)):
            rows.append((terms, constant))
    return rows


def _reach(figures: Figures, keys, index) -> list[int]:
    """Numbers of the sums that connect the hidden figures reachable from `keys`."""
    seen, todo, reached = set(keys), list(keys), set()
    while todo:
        key = todo.pop()
        for number in index[key]:
            if number in reached:
                continue
            reached.add(number)
            members, total = figures.lines[number]
            for other in [*members, total]:
                if other not in seen and figures.cells[other].hidden:
                    seen.add(other)
                    todo.append(other)
    return sorted(reached)


def _propagate(equations) -> dict[str, int]:
    """Values forced by an equation with a single unknown, repeatedly substituted."""
    fixed: dict[str, int] = {}
    changed = True
    while changed:
        changed = False
        for terms, constant in equations:
            open_terms = {key: c for key, c in terms.items() if key not in fixed}
            if len(open_terms) != 1:
                continue
            rest = constant - sum(c * fixed[key] for key, c in terms.items() if key in fixed)
            ((key, coefficient),) = open_terms.items()
            fixed[key] = rest // coefficient if coefficient else 0
            changed = True
    return fixed


def _components(equations, unknown):
    parent = {key: key for key in unknown}

    def root(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for terms, _, _ in equations:
        keys = list(terms)
        for key in keys[1:]:
            parent[root(key)] = root(keys[0])
    groups = defaultdict(lambda: {"keys": [], "equations": []})
    for key in unknown:
        groups[root(key)]["keys"].append(key)
    for row in equations:
        groups[root(next(iter(row[0])))]["equations"].append(row)
    return list(groups.values())


def _fixed_by_search(component) -> dict[str, int]:
    """The unknowns whose lowest and highest integer values coincide, with that value."""
    keys = sorted(component["keys"])
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    x = {key: solver.addVariable(lb=0, type=highspy.HighsVarType.kInteger) for key in keys}
    for terms, kind, constant in component["equations"]:
        expression = sum(c * x[key] for key, c in terms.items())
        solver.addConstr(expression == constant if kind == "=" else expression <= constant)

    def solve(objective, sense):
        (solver.minimize if sense < 0 else solver.maximize)(objective)
        if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return {key: round(solver.val(x[key])) for key in keys}

    # Two solutions that differ in a figure prove it open: a few random directions settle
    # most figures before each of the rest is pushed down and up on its own. The
    # randomness only chooses where to look; it decides nothing by itself.
    seen = defaultdict(set)
    probe = random.Random(len(keys))  # noqa: S311
    for _ in range(3):
        direction = sum(probe.choice((-1, 1)) * x[key] for key in keys)
        for sense in (-1, 1):
            solution = solve(direction, sense)
            for key, value in (solution or {}).items():
                seen[key].add(value)
    fixed = {}
    for key in keys:
        if len(seen[key]) > 1:
            continue
        low, high = solve(x[key], -1), solve(x[key], 1)
        if low is not None and high is not None and low[key] == high[key]:
            fixed[key] = low[key]
    return fixed
