"""The goal's progress chart, drawn on the server as SVG geometry: no script, no CDN."""

import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

WIDTH, HEIGHT = 600, 260
RIGHT, BOTTOM = 16, 36

# The labels' size in the chart's own units on a phone (`.chart-label` in tandem.css). The
# 600 units shrink to about 300 pixels there, so this is where text takes the most room;
# margins are measured at this size.
LABEL_SIZE = 22
ASCENT = 0.76  # of an em, above the baseline, in the widest usual sans-serif face
GAP = 8  # between a tick label and the plot, and between neighbouring labels

# Advance widths in em of DejaVu Sans, the widest of the usual sans-serif faces and the one
# Linux browsers fall back to: a label measured with these fits in Roboto or San Francisco.
_WIDTHS = {**dict.fromkeys("0123456789", 0.64), "%": 0.95, ".": 0.32, ",": 0.32, " ": 0.32}

# Ticks step by 1, 2, 2.5 or 5 times a power of ten: values a reader can add up at a glance.
_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))
_MAX_INTERVALS = 5  # six ticks stay legible in the chart's height on a phone


@dataclass
class ChartPoint:
    x: float
    y: float
    label: str


@dataclass
class ChartLabel:
    x: float
    y: float
    text: str


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
    plot_left: int = 0
    plot_right: int = WIDTH - RIGHT
    plot_top: int = 0
    plot_bottom: int = HEIGHT - BOTTOM
    y_label_x: int = 0
    # The unit, once above the axis, when it is too long to repeat on every tick.
    axis_title: str = ""
    axis_title_y: int = 0
    line_labels: list[ChartLabel] = field(default_factory=list)
    description: str = ""


def _number(value: Decimal) -> str:
    return number_format(value.normalize() if value == value.to_integral() else value)


def _text_width(text: str) -> float:
    """How wide `text` is at the phone's label size, erring on the wide side."""
    return LABEL_SIZE * sum(_WIDTHS.get(c, 0.7 if c.islower() else 0.76) for c in text)


def _ticks(low: Decimal, high: Decimal) -> list[Decimal]:
    """The fewest round ticks, at most six, that reach from `low` to `high`."""
    power = ((high - low) / _MAX_INTERVALS).adjusted()
    for exponent in range(power, power + 3):
        for mantissa in _STEPS:
            step = mantissa.scaleb(exponent)
            first = int((low / step).to_integral_value(ROUND_FLOOR))
            last = int((high / step).to_integral_value(ROUND_CEILING))
            if last - first <= _MAX_INTERVALS:
                return [(step * i).normalize() for i in range(first, max(last, first + 1) + 1)]
    raise AssertionError("a step of 100 times the span always fits")  # pragma: no cover


def _tick_label(value: Decimal, unit: str) -> str:
    if unit == "%":
        return f"{_number(value)}%"
    # A short unit fits on every tick; a longer one is said once, as the axis title.
    if len(unit) <= 3:
        return f"{_number(value)} {unit}"
    return _number(value)


def progress_chart(goal, points) -> ProgressChart:
    """Geometry for the progress points of `goal`, with its baseline and target as lines."""
    start = goal.cycle.started_on
    end = max(
        [goal.target_date, start + datetime.timedelta(days=7)] + [p.recorded_on for p in points]
    )
    values = [goal.baseline, goal.target, *(p.value for p in points)]
    ticks = _ticks(min(values), max(values))
    low, high = ticks[0], ticks[-1]

    unit = goal.unit
    tick_labels = [_tick_label(t, unit) for t in ticks]
    axis_title = unit if len(unit) > 3 else ""
    line_height = math.ceil(LABEL_SIZE * ASCENT)
    # The line labels sit above their lines: the top line's must not leave the picture, and
    # must clear the axis title when there is one.
    title_bottom = line_height + LABEL_SIZE // 2 if axis_title else 0
    top = title_bottom + line_height + GAP
    left = math.ceil(max(map(_text_width, tick_labels))) + 2 * GAP
    bottom = HEIGHT - BOTTOM
    right = WIDTH - RIGHT

    def x(day: datetime.date) -> float:
        span = (end - start).days or 1
        return round(left + (right - left) * (day - start).days / span, 1)

    def y(value: Decimal) -> float:
        return round(top + float((high - value) / (high - low)) * (bottom - top), 1)

    # A day as the goal's agreement is dated beside the chart; a tick's day, shorter.
    day, short_day = _("M j, Y"), _("M j")
    chart_points = [
        ChartPoint(
            x(p.recorded_on),
            y(p.value),
            f"{date_format(p.recorded_on, short_day)}: {_number(p.value)} {unit}",
        )
        for p in points
    ]
    # Read by screen readers in place of the picture: the figures, whole sentences.
    lines = {
        "baseline": _number(goal.baseline),
        "target": _number(goal.target),
        "unit": unit,
        "target_date": date_format(goal.target_date, day),
    }
    if points:
        latest = points[-1]
        description = ngettext(
            "Baseline %(baseline)s %(unit)s, target %(target)s %(unit)s by %(target_date)s; "
            "%(count)d progress point, latest %(latest)s %(unit)s on %(latest_date)s.",
            "Baseline %(baseline)s %(unit)s, target %(target)s %(unit)s by %(target_date)s; "
            "%(count)d progress points, latest %(latest)s %(unit)s on %(latest_date)s.",
            len(points),
        ) % {
            **lines,
            "count": len(points),
            "latest": _number(latest.value),
            "latest_date": date_format(latest.recorded_on, day),
        }
    else:
        description = (
            _(
                "Baseline %(baseline)s %(unit)s, target %(target)s %(unit)s by %(target_date)s; "
                "no progress points yet."
            )
            % lines
        )
    return ProgressChart(
        width=WIDTH,
        height=HEIGHT,
        polyline=" ".join(f"{p.x},{p.y}" for p in chart_points),
        points=chart_points,
        baseline_y=y(goal.baseline),
        target_y=y(goal.target),
        target_x=x(goal.target_date),
        y_ticks=[(y(t), label) for t, label in zip(ticks, tick_labels, strict=True)],
        x_ticks=[(x(start), date_format(start, short_day)), (x(end), date_format(end, short_day))],
        plot_left=left,
        plot_top=top,
        y_label_x=left - GAP,
        axis_title=axis_title,
        axis_title_y=line_height,
        line_labels=_line_labels(y(goal.baseline), y(goal.target), right),
        description=description,
    )


def _line_labels(baseline_y: float, target_y: float, right: int) -> list[ChartLabel]:
    """ "baseline" and "target" at the right end, just above their lines; when the lines are
    too close for one label above the other, the baseline's steps aside to the left."""
    # Translators: the label on the chart's line of the figure the goal aims to reach.
    target_text = pgettext("chart line", "target")
    # Translators: the label on the chart's line of the figure the goal starts from.
    baseline_text = pgettext("chart line", "baseline")
    target = ChartLabel(right, target_y - GAP // 2, target_text)
    baseline_x = right
    if abs(baseline_y - target_y) < LABEL_SIZE + GAP // 2:
        baseline_x = right - math.ceil(_text_width(target_text)) - GAP
    return [ChartLabel(baseline_x, baseline_y - GAP // 2, baseline_text), target]


def chart_change(goal, before: list, after: list) -> dict:
    """What templates/cycles/_chart_change.html shows to confirm a change of the goal's
    points: the latest value and the chart, before and after. A goal set together may not
    have its lines yet (baseline, target, date): the change is then told in numbers."""
    after = sorted(after, key=lambda p: (p.recorded_on, p.created_at))
    return {
        "before": progress_chart(goal, before) if goal.chartable else None,
        "after": progress_chart(goal, after) if goal.chartable else None,
        "latest_before": before[-1].value if before else None,
        "latest_after": after[-1].value if after else None,
    }
