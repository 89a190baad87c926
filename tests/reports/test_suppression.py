"""Small-cell suppression, with property-based tests that no figure over fewer than K
teachers can be worked out from what a table with totals shows.

The oracle here is independent of the implementation: a hidden entry is fixed when adding
"this entry alone" to the shown equations does not raise their rank."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.suppression import Cell, suppress

K = 5


def test_a_figure_over_fewer_than_k_teachers_is_hidden():
    cells = [[Cell(3, 3), Cell(8, 8)]]
    suppress(cells, K)
    assert [c.hidden for c in cells[0]] == [True, False]


def test_zero_and_k_or_more_are_shown():
    cells = [[Cell(0, 0), Cell(5, 5)]]
    suppress(cells, K)
    assert not any(c.hidden for c in cells[0])


def test_a_lone_hidden_cell_in_a_totalled_row_takes_a_second_with_it():
    cells = [[Cell(2, 2), Cell(9, 9), Cell(6, 6)]]
    totals = [Cell(17, 17)]
    suppress(cells, K, row_totals=totals)
    assert [c.hidden for c in cells[0]] == [True, False, True]  # the smaller partner
    assert cells[0][2].complement


def test_with_nothing_else_to_hide_the_total_goes():
    cells = [[Cell(2, 2)]]
    totals = [Cell(2, 2)]
    suppress(cells, K, row_totals=totals)
    assert totals[0].hidden


def test_hiding_for_a_row_can_oblige_a_column():
    cells = [[Cell(2, 2), Cell(7, 7)], [Cell(6, 6), Cell(8, 8)]]
    row_totals, column_totals = [Cell(9, 9), Cell(14, 14)], [Cell(8, 8), Cell(15, 15)]
    suppress(cells, K, row_totals=row_totals, column_totals=column_totals)
    assert all(c.hidden for row in cells for c in row)


# The property: no hidden value is fixed by the equations the shown totals give --------


def determined_unknowns(rows, row_totals, column_totals, grand_total):
    """Indices of hidden entries whose value the shown figures fix exactly."""
    entries = [c for row in rows for c in row] + row_totals + column_totals + [grand_total]
    unknown = [i for i, c in enumerate(entries) if c.hidden]
    position = {i: n for n, i in enumerate(unknown)}
    width = len(rows[0])
    equations = []  # each: coefficients over all entries, sum == 0

    def line(cell_indices, total_index):
        coefficients = dict.fromkeys(cell_indices, 1)
        coefficients[total_index] = -1
        equations.append(coefficients)

    cells = len(rows) * width
    for r in range(len(rows)):
        line([r * width + j for j in range(width)], cells + r)
    for j in range(width):
        line([r * width + j for r in range(len(rows))], cells + len(rows) + j)
    grand = len(entries) - 1
    line([cells + r for r in range(len(rows))], grand)
    line([cells + len(rows) + j for j in range(width)], grand)

    # Only the unknowns' coefficients matter for what can be solved.
    matrix = [
        [Fraction(eq.get(i, 0)) for i in unknown]
        for eq in equations
        if any(i in eq and entries[i].hidden for i in eq)
    ]
    base = rank(matrix)
    fixed = []
    for i in unknown:
        probe = [Fraction(int(position[i] == n)) for n in range(len(unknown))]
        if rank([*matrix, probe]) == base:
            fixed.append(i)
    return fixed


def rank(matrix):
    rows = [row[:] for row in matrix]
    rank_found, columns = 0, len(rows[0]) if rows else 0
    for col in range(columns):
        pivot = next((r for r in range(rank_found, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank_found], rows[pivot] = rows[pivot], rows[rank_found]
        for r in range(len(rows)):
            if r != rank_found and rows[r][col] != 0:
                factor = rows[r][col] / rows[rank_found][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank_found], strict=True)]
        rank_found += 1
    return rank_found


tables = st.integers(1, 4).flatmap(
    lambda height: st.integers(1, 4).flatmap(
        lambda width: st.lists(
            st.lists(st.integers(0, 12), min_size=width, max_size=width),
            min_size=height,
            max_size=height,
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(tables, st.integers(3, 6))
def test_no_small_figure_can_be_worked_out_from_a_table_with_totals(counts, k):
    rows = [[Cell(n, n) for n in row] for row in counts]
    row_totals = [Cell(sum(row), sum(row)) for row in counts]
    column_totals = [Cell(sum(col), sum(col)) for col in zip(*counts, strict=True)]
    total = sum(map(sum, counts))
    grand_total = Cell(total, total)

    suppress(rows, k, row_totals=row_totals, column_totals=column_totals, grand_total=grand_total)

    shown = [c for row in rows for c in row] + row_totals + column_totals + [grand_total]
    assert not [c for c in shown if c.shown and 0 < c.teachers < k]
    small = [i for i, c in enumerate(shown) if 0 < c.teachers < k]
    assert set(determined_unknowns(rows, row_totals, column_totals, grand_total)).isdisjoint(small)
