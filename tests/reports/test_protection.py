"""The one place that decides which figures are hidden, on small tables written by hand."""

import copy

import pytest

from reports.protection import (
    Cell,
    Figures,
    ProtectionError,
    _show_what_is_known_anyway,
    exposed_cells,
    protect,
)

K = 5


def table(rows: dict[str, list[tuple[int, int]]], totals=True):
    """A table of (value, teachers) cells by row, with row and column totals that add up."""
    figures = Figures()
    names = list(rows)
    width = len(next(iter(rows.values())))
    for name, cells in rows.items():
        for j, (value, teachers) in enumerate(cells):
            figures.add(Cell(f"{name}|{j}", value, teachers))
        if totals:
            figures.add(Cell(f"{name}|*", sum(v for v, _ in cells), sum(t for _, t in cells)))
            figures.sums([f"{name}|{j}" for j in range(width)], f"{name}|*")
    if totals:
        for j in [*range(width), "*"]:
            column = [figures.cells[f"{n}|{j}"] for n in names]
            figures.add(
                Cell(f"*|{j}", sum(c.value for c in column), sum(c.teachers for c in column))
            )
            figures.sums([f"{n}|{j}" for n in names], f"*|{j}")
    return figures


def hidden(figures):
    return {key for key, cell in figures.cells.items() if cell.hidden}


def test_a_figure_about_fewer_than_k_teachers_is_hidden_and_k_is_shown():
    figures = table({"a": [(4, 4), (5, 5)]}, totals=False)
    protect(figures, K)
    assert hidden(figures) == {"a|0"}


def test_a_lone_hidden_figure_in_a_sum_takes_a_second_with_it():
    figures = table({"a": [(2, 2), (9, 9), (8, 8)], "b": [(7, 7), (9, 9), (6, 6)]})
    protect(figures, K)
    assert "a|0" in hidden(figures)
    assert exposed_cells(figures) == []
    # Its row and its column each hide one more, and the sums still add up around them.
    assert sum(key.startswith("a|") for key in hidden(figures)) >= 2
    assert sum(key.endswith("|0") for key in hidden(figures)) >= 2


def test_a_zero_beside_a_small_hidden_group_is_hidden_too():
    # Two teachers, both "not met": printing the row's zeros would say what both did.
    figures = table({"small": [(0, 0), (2, 2), (0, 0)], "big": [(6, 6), (5, 5), (7, 7)]})
    protect(figures, K)
    assert {"small|0", "small|1", "small|2", "small|*"} <= hidden(figures)
    assert exposed_cells(figures) == []


def test_a_zero_in_a_row_of_k_or_more_is_shown():
    figures = table({"a": [(6, 6), (0, 0), (5, 5)], "b": [(7, 7), (0, 0), (9, 9)]})
    protect(figures, K)
    assert hidden(figures) == set()


def test_hidden_ones_are_not_known_from_a_total_of_ones():
    # Eight groups of one teacher, a total of eight: hiding zeros as well as ones leaves
    # each hidden figure anywhere from 0 to 8.
    figures = table({"a": [(1, 1)] * 8 + [(0, 0)] * 3, "b": [(6, 6)] * 11})
    protect(figures, K)
    assert exposed_cells(figures) == []


def test_a_district_minus_one_school_does_not_give_the_other_school():
    figures = Figures()
    for key, value in [("riverside", 5), ("hillcrest", 4), ("district", 9)]:
        figures.add(Cell(key, value, value))
    figures.sums(["riverside", "hillcrest"], "district")
    protect(figures, K)
    assert "hillcrest" in hidden(figures)
    assert len(hidden(figures)) == 2
    assert exposed_cells(figures) == []


def test_what_an_earlier_release_showed_stays_shown_and_protection_works_around_it():
    figures = Figures()
    for key, value, teachers in [("t1", 9, 9), ("t2", 3, 3), ("year", 12, 12), ("t3", 7, 7)]:
        figures.add(Cell(key, value, teachers))
    figures.sums(["t1", "t2", "t3"], "year")
    figures.cells["t1"].frozen = True
    protect(figures, K)
    assert not figures.cells["t1"].hidden
    assert "t2" in hidden(figures)
    assert exposed_cells(figures) == []


def test_a_group_of_figures_is_shown_or_hidden_together():
    figures = Figures()
    for key, value, teachers in [("cycles", 3, 3), ("students", 75, 3)]:
        figures.add(Cell(key, value, teachers, tie="area"))
    figures.add(Cell("other", 9, 2, tie="other area"))
    figures.cells["students"].teachers = 9  # as if about enough teachers on its own
    protect(figures, K)
    assert hidden(figures) == {"cycles", "students", "other"}


def test_limits_a_reader_knows_count_too():
    # Proficient students are among those assessed: 25 of 25 is no secret once both are
    # pinned down from the sums.
    figures = Figures()
    for key, value, teachers in [("assessed", 25, 2), ("proficient", 25, 2), ("all", 25, 9)]:
        figures.add(Cell(key, value, teachers))
    figures.sums(["assessed"], "all")
    figures.at_most(["proficient"], ["assessed"])
    protect(figures, K)
    assert "all" in hidden(figures)


def test_it_refuses_to_release_when_nothing_is_left_to_hide():
    figures = Figures()
    for key, value, teachers in [("a", 2, 2), ("b", 9, 9), ("total", 11, 11)]:
        figures.add(Cell(key, value, teachers, frozen=key != "a"))
    figures.sums(["a", "b"], "total")
    with pytest.raises(ProtectionError):
        protect(figures, K)


def test_a_complement_that_ends_up_known_anyway_is_shown_again():
    # A total hidden beside two shown zeros is 0 all the same: hidden, it only puzzles.
    figures = Figures()
    for key, value in [("met", 0), ("other", 0), ("total", 0)]:
        figures.add(Cell(key, value, 0))
    figures.sums(["met", "other"], "total")
    figures.cells["total"].hidden = figures.cells["total"].complement = True
    _show_what_is_known_anyway(figures, {})
    assert hidden(figures) == set()


def test_a_complement_still_uncertain_stays_hidden():
    figures = table({"a": [(2, 2), (9, 9), (8, 8)], "b": [(7, 7), (9, 9), (6, 6)]})
    protect(figures, K)
    complements = {key for key, cell in figures.cells.items() if cell.complement}
    assert complements
    assert complements <= hidden(figures)


def test_schools_settled_on_their_own_sums_are_settled_again_across_the_district():
    # Each school alone is safe once it hides a second figure in its row; the district's
    # column sums would then give a school's small group away (district minus the other).
    figures = Figures()
    rows = {"s1": [(3, 3), (9, 9)], "s2": [(6, 6), (9, 9)]}
    for scope, cells in rows.items():
        for j, (value, teachers) in enumerate(cells):
            figures.add(Cell(f"{scope}|{j}", value, teachers))
        figures.add(Cell(f"{scope}|*", sum(v for v, _ in cells), sum(t for _, t in cells)))
        figures.sums([f"{scope}|0", f"{scope}|1"], f"{scope}|*")
    for j in ["0", "1", "*"]:
        figures.add(Cell(f"d|{j}", *(sum(figures.cells[f"{s}|{j}"].value for s in rows),) * 2))
        figures.sums([f"s1|{j}", f"s2|{j}"], f"d|{j}")
    figures.sums(["d|0", "d|1"], "d|*")
    protect(figures, K, parts=["s1|", "s2|"])
    assert "s1|0" in hidden(figures)
    assert exposed_cells(figures) == []
    assert sum(key.startswith("s2|") for key in hidden(figures)) >= 2


def test_an_empty_row_is_no_complement_for_a_reader_knows_it_is_empty():
    # An impact table: area A's small row, area B with no cycle closed (so no student in
    # its row either), area C, and the totals. Hiding B beside A would protect nothing.
    figures = Figures()
    rows = {"A": (3, 60, 3), "B": (0, 0, 0), "C": (10, 200, 10), "*": (13, 260, 13)}
    for row, (cycles, students, teachers) in rows.items():
        figures.add(Cell(f"{row}|cycles", cycles, teachers, tie=row))
        figures.add(Cell(f"{row}|students", students, teachers, tie=row))
    figures.sums([f"{row}|students" for row in "ABC"], "*|students")
    figures.add(Cell("B closed", 0, 0))
    figures.at_most(["B|cycles"], ["B closed"])
    figures.zero_with("B|students", "B|cycles")
    protect(figures, K)
    assert {"A|cycles", "A|students"} <= hidden(figures)
    assert not figures.cells["B|students"].hidden
    # Whatever is hidden, a reader who fills the empty row with zeros finds nothing out.
    reader = copy.deepcopy(figures)
    reader.empty_with = {}
    for key in ("B|cycles", "B|students"):
        reader.cells[key].hidden = False
    assert exposed_cells(reader) == []
