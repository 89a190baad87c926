"""Small-cell suppression: the one place that decides which report figures may be shown.

A figure computed over fewer than K distinct teachers is hidden ("fewer than K"). A table
that shows totals would let a hidden figure be worked out by subtraction, so more figures
are hidden with it (complementary suppression) until no hidden figure can be solved for
from the equations the shown ones give: each row and column summing to its total, and the
totals summing to the grand total.
"""

from dataclasses import dataclass
from fractions import Fraction


@dataclass(eq=False)
class Cell:
    value: float
    teachers: int  # distinct teachers behind the figure
    hidden: bool = False
    complement: bool = False  # hidden only so that another hidden figure stays hidden

    @property
    def shown(self):
        return not self.hidden


def is_small(cell: Cell, k: int) -> bool:
    return 0 < cell.teachers < k


def suppress(
    rows: list[list[Cell]],
    k: int,
    *,
    row_totals: list[Cell] | None = None,
    column_totals: list[Cell] | None = None,
    grand_total: Cell | None = None,
) -> None:
    """Mark cells hidden, in place. Totals are optional; pass the ones the table shows."""
    every = [c for row in rows for c in row] + (row_totals or []) + (column_totals or [])
    every += [grand_total] if grand_total else []
    for cell in every:
        if is_small(cell, k):
            cell.hidden = True

    lines: list[list[Cell]] = []  # each: cells, then the total they add up to
    if row_totals:
        lines += [[*row, total] for row, total in zip(rows, row_totals, strict=True)]
    if column_totals:
        lines += [[*(row[j] for row in rows), t] for j, t in enumerate(column_totals)]
    if grand_total and row_totals:
        lines.append([*row_totals, grand_total])
    if grand_total and column_totals:
        lines.append([*column_totals, grand_total])

    # Only the small figures need protecting: a complement that can be worked out reveals
    # a figure that could have been shown anyway.
    while exposed := [c for c in _solvable(lines) if is_small(c, k)]:
        partner = _partner_for(exposed[0], lines)
        if partner is None:
            break
        partner.hidden = partner.complement = True


def _partner_for(cell: Cell, lines) -> Cell | None:
    """The shown figure to hide with `cell`: one that makes it unsolvable if any does,
    looking first in its own lines, then in the whole table; among those, the one whose
    hiding costs the reader least (smallest group first). Failing that, the least telling
    figure of its own lines, and the search goes on from there."""

    def ranked(members):
        unique = {id(m): m for m in members if m.shown}
        return sorted(
            unique.values(), key=lambda c: (c.value == 0, c.teachers == 0, c.teachers, c.value)
        )

    near = ranked(m for line in lines if any(m is cell for m in line) for m in line)
    anywhere = ranked(m for line in lines for m in line)
    for candidate in near + anywhere:
        candidate.hidden = True
        protects = not any(c is cell for c in _solvable(lines))
        candidate.hidden = False
        if protects:
            return candidate
    return (near or anywhere or [None])[0]


def _solvable(lines) -> list[Cell]:
    """Hidden members whose value the shown members of the lines fix exactly.

    Row-reduces the equations over the hidden members only: a hidden member is fixed when
    its pivot row has no free member beside it.
    """
    unknowns: list[Cell] = []
    for line in lines:
        for member in line:
            if member.hidden and not any(member is u for u in unknowns):
                unknowns.append(member)
    if not unknowns:
        return []
    index = {id(u): n for n, u in enumerate(unknowns)}
    matrix = []
    for line in lines:
        row = [Fraction(0)] * len(unknowns)
        for member, sign in zip(line, [1] * (len(line) - 1) + [-1], strict=True):
            if member.hidden:
                row[index[id(member)]] += sign
        if any(row):
            matrix.append(row)

    pivots = []
    rank = 0
    for column in range(len(unknowns)):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][column]
        matrix[rank] = [value / lead for value in matrix[rank]]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column]:
                factor = matrix[r][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        pivots.append(column)
        rank += 1
    free = set(range(len(unknowns))) - set(pivots)
    return [
        unknowns[column] for r, column in enumerate(pivots) if not any(matrix[r][f] for f in free)
    ]


def shown(cell, k):
    """How a page shows a figure: its value, "fewer than K", "hidden", or a dash."""
    if cell is None:
        return "—"
    if isinstance(cell, dict):
        if cell["hidden"] == "small":
            return f"fewer than {k}"
        if cell["hidden"]:
            return "hidden"
        return cell["value"]
    return cell
