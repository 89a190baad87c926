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
from collections import defaultdict
from dataclasses import dataclass, field

import highspy
import numpy as np

logger = logging.getLogger(__name__)
TOLERANCE = 1e-6
NEAR = 3  # steps from sum to sum within which a figure is mended before the whole is searched


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
    complement: bool = False  # hidden only so that another hidden figure stays unknown


@dataclass
class Figures:
    """Cells by key, and the sums they obey: each line is (members, total)."""

    cells: dict[str, Cell] = field(default_factory=dict)
    lines: list[tuple[list[str], str]] = field(default_factory=list)
    # What else a reader knows: each (left, right) says the left figures add up to no more
    # than the right ones (students proficient are among those assessed, say).
    limits: list[tuple[list[str], list[str]]] = field(default_factory=list)
    # Figures that are 0 whenever another one is, by figure: an area with no cycle closed
    # has no students in its impact row, however the sums leave them open.
    empty_with: dict[str, list[str]] = field(default_factory=dict)

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

    def zero_with(self, key: str, other: str) -> None:
        """Say that `key` is 0 whenever `other` is."""
        if key in self.cells and other in self.cells:
            self.empty_with.setdefault(key, []).append(other)

    def part(self, prefix: str) -> "Figures":
        """The figures whose keys start with `prefix`, with the sums and limits among them
        alone (the cells are the same objects: hiding one there hides it here)."""

        def inside(keys):
            return all(key.startswith(prefix) for key in keys)

        return Figures(
            {key: cell for key, cell in self.cells.items() if key.startswith(prefix)},
            [(members, total) for members, total in self.lines if inside([*members, total])],
            [(left, right) for left, right in self.limits if inside([*left, *right])],
            {key: others for key, others in self.empty_with.items() if inside([key, *others])},
        )

    def lines_of(self) -> dict[str, list[int]]:
        """Which sums each figure is in, by number: the sums first, then the limits."""
        index = defaultdict(list)
        for number, (_, plus, minus) in enumerate(self.relations()):
            for key in {*plus, *minus}:
                index[key].append(number)
        return index

    def relations(self) -> list[tuple[str, list[str], list[str]]]:
        """Every sum and limit as (kind, added, subtracted): added - subtracted = or <= 0."""
        return [("=", members, [total]) for members, total in self.lines] + [
            ("<=", left, right) for left, right in self.limits
        ]


def is_small(cell: Cell, k: int) -> bool:
    return cell.about_teachers and 0 < cell.teachers < k


def protect(figures: Figures, k: int, *, parts: list[str] = ()) -> None:
    """Mark cells hidden, in place, until no hidden figure can be worked out.

    `parts`: key prefixes (one per school) whose own sums are settled before the whole.
    """
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
    # A school's figures are worked out mostly from its own sums: settled on those first,
    # the whole district then has far less left to mend. Searching the whole district
    # round every figure found is what made a large district's first release take hours.
    for prefix in parts:
        _settle(figures.part(prefix), ties)
    _settle(figures, ties)
    _show_what_is_known_anyway(figures, ties)


def _settle(figures: Figures, ties) -> None:
    """One search over everything, then each figure found is mended where it stands (a
    search of the sums near it), and the whole is searched again until nothing is found."""
    index = figures.lines_of()
    while exposed := exposed_cells(figures):
        hidden_before = sum(cell.hidden for cell in figures.cells.values())
        for start in exposed:
            _mend(figures, start, ties, index, NEAR)
        if sum(cell.hidden for cell in figures.cells.values()) == hidden_before:
            # Worked out only through sums far from it: mend it with all of them in view,
            # and at worst beside it all the same, so that each pass hides a figure.
            _mend(figures, exposed[0], ties, index, None)
            if sum(cell.hidden for cell in figures.cells.values()) == hidden_before:
                partner = _partner(figures, exposed[0], ties, index)
                if partner is None:
                    raise ProtectionError(f"nothing left to hide beside {exposed[0].key}")
                _hide(partner, ties, complement=True)


def _mend(figures: Figures, start: Cell, ties, index, steps) -> None:
    """Hide complements until nothing within `steps` sums of `start` can be worked out."""
    while found := exposed_cells(figures, around=({start.key}, index, steps)):
        for number, cell in enumerate(found):
            # Each search is long across a district: every figure it found is mended, the
            # later ones only while their own sums still give them away.
            if number and cell.key not in determined(figures, around=({cell.key}, index, 1)):
                continue
            partner = _partner(figures, cell, ties, index)
            if partner is None:
                raise ProtectionError(f"nothing left to hide beside {cell.key}")
            logger.debug("%s can be worked out: %s is hidden too", cell.key, partner.key)
            _hide(partner, ties, complement=True)


def _show_what_is_known_anyway(figures: Figures, ties) -> None:
    """A complement that ended up known from the others protects nothing: showing it adds
    nothing a reader could not work out, and spares them a puzzling "hidden"."""
    known = determined(figures)
    for key in known:
        cell = figures.cells[key]
        group = ties[cell.tie] if cell.tie else [cell]
        if all(c.complement and c.key in known for c in group):
            for c in group:
                c.hidden = c.complement = False


def _hide(cell: Cell, ties, *, complement=False) -> list[Cell]:
    changed = [c for c in (ties[cell.tie] if cell.tie else [cell]) if not c.hidden]
    for c in changed:
        c.hidden = True
        c.complement = complement
    return changed


def exposed_cells(figures: Figures, *, first: bool = False, around=None, known=None) -> list[Cell]:
    """Hidden figures a reader can work out from the shown ones and the sums.

    A zero worked out counts only where it is part of a hidden total that stays open:
    there it narrows what that total's teachers did; elsewhere it is a group of nobody.
    `around` (keys, with the line index) limits the search to the sums that reach them;
    `known`, what `determined` already found there.
    """
    if known is None:
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
    if any(_known(figures, other, known) == 0 for other in figures.empty_with.get(key, ())):
        return False  # zero with a figure known to be zero
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
    relations = figures.relations()
    near = {key for n in index[cell.key] for key in [*relations[n][1], *relations[n][2]]}
    beside = {key for key in near if figures.cells[key].hidden}
    far = {
        key
        for hidden in beside
        for n in index[hidden]
        for key in [*relations[n][1], *relations[n][2]]
    }
    fallback = cheapest = None
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
        cheapest = cheapest or (candidates[0] if candidates else None)
        for candidate in candidates[:8]:
            changed = _hide(candidate, ties)
            keys = {cell.key} | {c.key for c in changed}
            # Of use only if it is itself uncertain once hidden: a 0 hidden beside two
            # shown 0s is known all the same, protects nothing and puzzles the reader. Most
            # candidates are given away by their own sums, and those few are quick to ask.
            # A group (an impact row) is of use if any of its figures stays unknown.
            hiding = {c.key for c in changed}
            useful = bool(hiding - determined(figures, around=(keys, index, 1)).keys())
            safe = False
            if useful:
                # Judged by the sums near them: across a district those reach every
                # school, and `protect` searches the whole again before it is done.
                known = determined(figures, around=(keys, index, NEAR))
                useful = bool(hiding - known.keys())
                safe = useful and not exposed_cells(figures, first=True, known=known)
            for c in changed:
                c.hidden = False
            if safe:
                return candidate
            fallback = fallback or (candidate if useful else None)
    return fallback or cheapest


def determined(figures: Figures, *, around=None) -> dict[str, int]:
    """Hidden figures whose value the shown ones and the sums fix, with that value.

    With `around` (keys, the line index and optionally a number of steps), it looks only
    at the hidden figures connected to those keys by sums and limits, within that many
    steps from one sum to the next.
    """
    relations = figures.relations()
    if around is not None:
        relations = [relations[n] for n in _reach(figures, relations, *around)]
    # Figures zero with one known to be zero are known: put them in, and look again.
    zero_with = {
        key
        for _, plus, minus in relations
        for key in [*plus, *minus]
        if key in figures.empty_with and figures.cells[key].hidden
    }
    zero: set[str] = set()
    while True:
        known = _solve(figures, relations, zero) | dict.fromkeys(zero, 0)
        found = {
            key
            for key in zero_with - known.keys()
            if any(_known(figures, other, known) == 0 for other in figures.empty_with[key])
        }
        if not found:
            return known
        zero |= found


def _solve(figures: Figures, relations, zero: set[str]) -> dict[str, int]:
    """Hidden figures the relations fix, the `zero` ones counted as shown zeros."""
    rows = []
    for kind, plus, minus in relations:
        terms, constant = {}, 0
        for key, sign in [*((k, 1) for k in plus), *((k, -1) for k in minus)]:
            cell = figures.cells[key]
            if key in zero:
                continue
            if cell.hidden:
                terms[key] = terms.get(key, 0) + sign
            else:
                constant -= sign * cell.value
        terms = {key: c for key, c in terms.items() if c}
        if terms:
            rows.append((terms, kind, constant))

    known = _propagate([(terms, constant) for terms, kind, constant in rows if kind == "="])
    rest = []
    for terms, kind, constant in rows:
        constant -= sum(c * known[key] for key, c in terms.items() if key in known)
        terms = {key: c for key, c in terms.items() if key not in known}
        if terms:
            rest.append((terms, kind, constant))
    unknown = {key for terms, _, _ in rest for key in terms}
    for component in _components(rest, unknown):
        known.update(_fixed_by_search(component))
    return known


def _reach(figures: Figures, relations, keys, index, steps=None) -> list[int]:
    """Numbers of the sums and limits that connect the hidden figures reachable from
    `keys`, in at most `steps` sums from them (None: however many)."""
    seen, frontier, reached = set(keys), list(keys), set()
    while frontier and steps != 0:
        steps = None if steps is None else steps - 1
        following = []
        for key in frontier:
            for number in index[key]:
                if number in reached:
                    continue
                reached.add(number)
                _, plus, minus = relations[number]
                for other in [*plus, *minus]:
                    if other not in seen and figures.cells[other].hidden:
                        seen.add(other)
                        following.append(other)
        frontier = following
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
    """The unknowns whose lowest and highest values coincide, with that value.

    Linear programming (HiGHS) on the figures as real numbers: a figure fixed there is
    fixed among whole numbers too. One program finds the figures that cannot be above zero
    at all, and a solution in which all the others are. Every solution found since is a
    witness: a figure seen at two values is free. Random directions over the figures
    still in doubt reach corners that free most of them; each one left is then pushed down
    and up on its own. The randomness only chooses where to look.
    """
    keys = sorted(component["keys"])
    n = len(keys)
    found = _never_above_zero(keys, component["equations"])
    if found is None:
        return {}
    always_zero, inside = found
    solver = _program(keys, component["equations"])
    lowest, highest = np.array(inside), np.array(inside)

    def solve(columns, costs, sense) -> bool:
        nonlocal lowest, highest
        every = np.zeros(n)
        every[columns] = costs
        solver.changeColsCost(n, np.arange(n, dtype=np.int32), every)
        solver.changeObjectiveSense(sense)
        solver.run()
        if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return False
        values = np.asarray(solver.getSolution().col_value)
        lowest, highest = np.minimum(lowest, values), np.maximum(highest, values)
        return True

    def in_doubt() -> np.ndarray:
        doubt = highest - lowest <= TOLERANCE
        doubt[list(always_zero)] = False
        return np.flatnonzero(doubt)

    senses = (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize)
    probe = np.random.default_rng(n)
    doubt = in_doubt()
    while len(doubt):
        direction = probe.choice((-1.0, 1.0), size=len(doubt))
        for sense in senses:
            solve(doubt, direction, sense)
        still = in_doubt()
        if len(still) == len(doubt):
            break  # the corners free no more of them
        doubt = still
    fixed = {keys[index]: 0 for index in always_zero}
    for index in doubt:
        if highest[index] - lowest[index] > TOLERANCE:
            continue  # freed by an earlier figure's push
        pushed = all(solve([index], [1.0], sense) for sense in senses)
        if pushed and highest[index] - lowest[index] <= TOLERANCE:
            fixed[keys[index]] = round(lowest[index])
    return fixed


def _program(keys, equations, *, scaled=False) -> highspy.Highs:
    """The equations and limits as a linear program over the figures (all at least zero),
    built in one go from sparse rows; with `scaled`, their constants times a last column."""
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    index = {key: n for n, key in enumerate(keys)}
    columns = len(keys) + (1 if scaled else 0)
    solver.addVars(columns, np.zeros(columns), np.full(columns, highspy.kHighsInf))
    lower, upper, starts, indices, values = [], [], [], [], []
    for terms, kind, constant in equations:
        starts.append(len(indices))
        indices += [index[key] for key in terms]
        values += [float(c) for c in terms.values()]
        if scaled:
            indices.append(len(keys))
            values.append(-float(constant))
            constant = 0
        lower.append(constant if kind == "=" else -highspy.kHighsInf)
        upper.append(constant)
    if starts:
        solver.addRows(
            len(starts),
            np.array(lower, dtype=float),
            np.array(upper, dtype=float),
            len(indices),
            np.array(starts, dtype=np.int32),
            np.array(indices, dtype=np.int32),
            np.array(values, dtype=float),
        )
    return solver


def _never_above_zero(keys, equations) -> tuple[set[int], list[float]] | None:
    """The figures that are zero in every solution, from one linear program (Freund, Roundy
    and Todd, 1985): scaled up by a last column, every figure that can be above zero at
    all can be at least 1 at once, so its `room` reaches 1. With them, a solution in which
    all the others are above zero. None: no solution at all."""
    n = len(keys)
    solver = _program(keys, equations, scaled=True)
    solver.changeColBounds(n, 1.0, highspy.kHighsInf)  # the scale
    solver.addVars(n, np.zeros(n), np.ones(n))  # room, one per figure
    for index in range(n):
        solver.addRow(
            -highspy.kHighsInf, 0.0, 2, np.array([n + 1 + index, index], dtype=np.int32),
            np.array([1.0, -1.0]),
        )  # fmt: skip
    solver.changeColsCost(n, np.arange(n + 1, 2 * n + 1, dtype=np.int32), np.ones(n))
    solver.changeObjectiveSense(highspy.ObjSense.kMaximize)
    solver.run()
    if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    values = solver.getSolution().col_value
    scale = values[n]
    always_zero = {index for index in range(n) if values[n + 1 + index] < 0.5}
    return always_zero, [values[index] / scale for index in range(n)]
