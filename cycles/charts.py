"""The goal's progress chart, drawn on the server as SVG geometry: no script, no CDN."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format, number_format

WIDTH, HEIGHT = 600, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 36


@dataclass
class ChartPoint:
    x: float
    y: float
    label: str


@dataclass
class ProgressChart:
    width: int
    height: int
    polyline: str
    points: list[ChartPoint]
    baseline_y: float
    target_y: float
    target_x: float
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM
    description: str = ""


def _number(value: Decimal) -> str:
    return number_format(value.normalize() if value == value.to_integral() else value)


def progress_chart(goal, points) -> ProgressChart:
    """Geometry for the progress points of `goal`, with its baseline and target as lines."""
    start = goal.cycle.started_on
    end = max(
        [goal.target_date, start + datetime.timedelta(days=7)] + [p.recorded_on for p in points]
    )
    values = [goal.baseline, goal.target, *(p.value for p in points)]
    low, high = min(values), max(values)
    pad = (high - low) * Decimal("0.1") or Decimal(1)
    low, high = low - pad, high + pad

    def x(day: datetime.date) -> float:
        span = (end - start).days or 1
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - start).days / span, 1)

    def y(value: Decimal) -> float:
        return round(TOP + float((high - value) / (high - low)) * (HEIGHT - TOP - BOTTOM), 1)

    unit = goal.unit
    chart_points = [
        ChartPoint(
            x(p.recorded_on),
            y(p.value),
            f"{date_format(p.recorded_on, 'M j')}: {_number(p.value)} {unit}",
        )
        for p in points
    ]
    ticks = [low + (high - low) * Decimal(i) / 4 for i in range(5)]
    description = (
        f"Baseline {_number(goal.baseline)} {unit}, target {_number(goal.target)} {unit} by "
        f"{date_format(goal.target_date)}; "
    )
    if points:
        latest = points[-1]
        description += (
            f"{len(points)} progress point{'s' if len(points) > 1 else ''}, latest "
            f"{_number(latest.value)} {unit} on {date_format(latest.recorded_on)}."
        )
    else:
        description += "no progress points yet."
    return ProgressChart(
        width=WIDTH,
        height=HEIGHT,
        polyline=" ".join(f"{p.x},{p.y}" for p in chart_points),
        points=chart_points,
        baseline_y=y(goal.baseline),
        target_y=y(goal.target),
        target_x=x(goal.target_date),
        y_ticks=[(y(t), _number(t.quantize(Decimal("0.1")))) for t in ticks],
        x_ticks=[(x(start), date_format(start, "M j")), (x(end), date_format(end, "M j"))],
        description=description,
    )
