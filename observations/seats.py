"""Seat maps: the grid a room is laid out on, and what a map shows: a heat map of who spoke,
by seat, and the same in words."""

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import SeatLayout, SeatTap

LEVELS = 5


def layout_grid(
    rows: str | int | None, columns: str | int | None, gaps: list[str] | None
) -> list[list[dict]]:
    """The places the seat layout form draws, keyed "row-column", from what the form holds
    (posted or initial, so not yet checked): 5 by 6, as a new room, when a number is missing
    or not a number, and never more than the largest room a layout may have."""
    try:
        rows = min(int(rows or 5), SeatLayout.MAX_SIDE)
        columns = min(int(columns or 6), SeatLayout.MAX_SIDE)
    except (TypeError, ValueError):
        rows, columns = 5, 6
    gaps = set(gaps or [])
    return [
        [{"key": f"{r}-{c}", "gap": f"{r}-{c}" in gaps} for c in range(columns)]
        for r in range(rows)
    ]


def seat_counts(observation) -> dict:
    """Taps by seat and by kind: one query, however many taps."""
    by_seat, by_kind = {}, {}
    rows = observation.seat_taps.values_list("row", "column", "kind").annotate(n=Count("id"))
    for row, column, kind, n in rows.order_by():
        by_seat[(row, column)] = by_seat.get((row, column), 0) + n
        by_kind[kind] = by_kind.get(kind, 0) + n
    return {"by_seat": by_seat, "by_kind": by_kind}


def seat_heat(seat_map, counts) -> dict:
    by_seat = counts["by_seat"]
    busiest = max(by_seat.values(), default=0)
    grid = []
    for row in range(seat_map.rows):
        cells = []
        for column in range(seat_map.columns):
            n = by_seat.get((row, column), 0)
            cells.append(
                {
                    "row": row,
                    "column": column,
                    "seat": seat_map.has_seat(row, column),
                    "count": n,
                    "level": -(-LEVELS * n // busiest) if n else 0,
                }
            )
        grid.append(cells)
    seats, taps = seat_map.seat_count, sum(by_seat.values())
    spoke = sum(1 for n in by_seat.values() if n)
    kinds = [
        (label, counts["by_kind"].get(value, 0))
        for value, label in SeatTap.Kind.choices
        if counts["by_kind"].get(value)
    ]
    return {
        "grid": grid,
        "seats": seats,
        "spoke": spoke,
        "taps": taps,
        "spoke_percent": round(100 * spoke / seats) if seats else 0,
        "kinds": kinds,
        "summary": summary(seats, by_seat),
    }


def summary(seats: int, by_seat: dict) -> str:
    """E.g. "14 of 26 seats spoke; 3 seats had 52% of the talk": how widely talk spread, in
    words a screen reader says as well as a sighted reader sees the colours."""
    taps = sum(by_seat.values())
    if not taps:
        return _("No seat has been tapped yet (%(seats)d seats).") % {"seats": seats}
    spoke = sum(1 for n in by_seat.values() if n)
    line = ngettext(
        "%(spoke)d of %(seats)d seats spoke, %(taps)d time in all",
        "%(spoke)d of %(seats)d seats spoke, %(taps)d times in all",
        taps,
    ) % {"spoke": spoke, "seats": seats, "taps": taps}
    # The fewest seats that together had at least half the talk.
    held, top = 0, 0
    for n in sorted(by_seat.values(), reverse=True):
        held, top = held + n, top + 1
        if 2 * held >= taps:
            break
    if spoke > 1:
        share = round(100 * held / taps)
        # Translators: follows "14 of 26 seats spoke, 27 times in all".
        line += ngettext(
            "; %(top)d seat had %(share)d%% of the talk",
            "; %(top)d seats had %(share)d%% of the talk",
            top,
        ) % {"top": top, "share": share}
    return line + "."
