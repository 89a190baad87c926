import datetime
import re
from decimal import Decimal
from itertools import combinations, pairwise

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from cycles.charts import HEIGHT, LABEL_SIZE, progress_chart
from cycles.models import ProgressPoint
from tests.factories import GoalFactory, ProgressPointFactory

pytestmark = pytest.mark.django_db

# Goals as coaches write them: (baseline, target, unit, progress values).
GOALS = {
    "the issue's goal": ("12", "66", "%", ["20", "41", "58"]),
    "a half-way point": ("30", "80", "%", ["35", "62.5"]),
    "a count of students": ("9", "22", "students", ["11", "14"]),
    "a falling goal": ("12", "3", "referrals", ["10", "7"]),
    "large numbers": ("1200", "4500", "words", ["2000"]),
    "small numbers": ("0.5", "3.2", "min", ["1.25"]),
    "a point past the target": ("40", "85", "%", ["55", "100"]),
    "a target close to the baseline": ("50", "56", "%", ["95"]),
}


def chart_for(baseline, target, unit, values):
    goal = GoalFactory(baseline=Decimal(baseline), target=Decimal(target), unit=unit)
    start = goal.cycle.started_on
    points = [
        ProgressPoint(goal=goal, recorded_on=start + datetime.timedelta(days=3 * i), value=v)
        for i, v in enumerate(map(Decimal, values), start=1)
    ]
    return progress_chart(goal, points), goal


def tick_values(chart):
    return sorted(Decimal(re.search(r"-?[\d.]+", label)[0]) for _, label in chart.y_ticks)


def phone_font_size():
    """The largest size `.chart-label` is given: the one phones use, where the chart's
    600 units shrink to about 300 pixels, so its text takes the most room."""
    css = (settings.BASE_DIR / "static/css/tandem.css").read_text()
    rules = re.findall(r"\.chart-label\s*{[^}]*?font-size:\s*(\d+)px", css)
    return max(map(int, rules))


# Advance widths in em of DejaVu Sans, the widest of the usual sans-serif faces (the one
# Linux browsers fall back to): a label that fits in these fits in Roboto or San Francisco.
WIDTHS = {**dict.fromkeys("0123456789", 0.64), "%": 0.95, ".": 0.32, ",": 0.32, " ": 0.32}
ASCENT, DESCENT = 0.76, 0.24


def text_boxes(svg, font_size):
    """(text, left, top, right, bottom) of every <text> of the chart, as a browser lays it."""
    for attributes, text in re.findall(r"<text([^>]*)>([^<]*)</text>", svg):
        node = dict(re.findall(r'([\w-]+)="([^"]*)"', attributes))
        width = sum(WIDTHS.get(c, 0.7 if c.islower() else 0.76) for c in text) * font_size
        x, y = float(node["x"]), float(node["y"])
        anchor = node.get("text-anchor", "start")
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        if node.get("dominant-baseline") == "middle":
            top, bottom = y - font_size / 2, y + font_size / 2
        else:
            top, bottom = y - ASCENT * font_size, y + DESCENT * font_size
        yield text, left, top, left + width, bottom


def rendered_svg(chart, goal):
    html = render_to_string("cycles/_chart.html", {"chart": chart, "cycle": goal.cycle})
    return re.search(r"<svg.*</svg>", html, re.DOTALL)[0]


def test_points_above_the_baseline_are_drawn_higher(cycle):
    goal = cycle.goal  # baseline 30, target 80
    low = ProgressPointFactory(goal=goal, value=Decimal(35))
    high = ProgressPointFactory(
        goal=goal, value=Decimal(70), recorded_on=low.recorded_on + datetime.timedelta(days=1)
    )
    chart = progress_chart(goal, [low, high])
    assert chart.target_y < chart.points[1].y < chart.points[0].y < chart.baseline_y <= HEIGHT
    assert chart.points[0].x < chart.points[1].x


def test_a_falling_goal_draws_its_target_below_the_baseline():
    goal = GoalFactory(baseline=Decimal(12), target=Decimal(3), unit="referrals")
    chart = progress_chart(goal, [])
    assert chart.target_y > chart.baseline_y
    assert "no progress points yet" in chart.description


def test_the_description_is_a_text_alternative(cycle):
    chart = progress_chart(cycle.goal, [ProgressPointFactory(goal=cycle.goal, value=Decimal(44))])
    assert chart.description.startswith("Baseline 30 %, target 80 %")
    assert "1 progress point, latest 44 %" in chart.description


def test_the_description_dates_days_as_the_goal_beside_it_does(cycle):
    cycle.goal.target_date = datetime.date(2027, 1, 4)
    point = ProgressPointFactory(goal=cycle.goal, recorded_on=datetime.date(2026, 11, 9))
    chart = progress_chart(cycle.goal, [point])
    assert "by Jan 4, 2027;" in chart.description
    assert "on Nov 9, 2026." in chart.description


def test_the_issues_goal_is_read_against_round_ticks_in_percent():
    chart, _ = chart_for("12", "66", "%", ["20", "41", "58"])
    assert [label for _, label in chart.y_ticks] == ["0%", "20%", "40%", "60%", "80%"]


@pytest.mark.parametrize(("baseline", "target", "unit", "values"), GOALS.values(), ids=GOALS)
def test_ticks_are_round_steps_covering_baseline_target_and_every_point(
    baseline, target, unit, values
):
    chart, _ = chart_for(baseline, target, unit, values)
    ticks = tick_values(chart)
    steps = {b - a for a, b in pairwise(ticks)}
    assert len(steps) == 1, ticks
    step = steps.pop()
    mantissa = step.scaleb(-step.adjusted()).normalize()
    assert mantissa in {1, 2, Decimal("2.5"), 5}, step
    assert all(tick % step == 0 for tick in ticks), ticks
    assert 3 <= len(ticks) <= 6, ticks
    shown = [Decimal(v) for v in [baseline, target, *values]]
    assert ticks[0] <= min(shown)
    assert max(shown) <= ticks[-1]


def test_a_percentage_never_runs_past_100_or_below_0():
    chart, _ = chart_for("40", "85", "%", ["55", "100"])
    ticks = tick_values(chart)
    assert ticks[-1] == 100
    assert ticks[0] >= 0


def test_a_short_unit_is_on_every_tick_label():
    chart, _ = chart_for("0.5", "3.2", "min", ["1.25"])
    assert all(label.endswith(" min") for _, label in chart.y_ticks)


def test_a_long_unit_names_the_axis_once_and_leaves_the_ticks_short():
    chart, goal = chart_for("9", "22", "students", ["11", "14"])
    assert all(label.isdigit() for _, label in chart.y_ticks)
    texts = [text for text, *_ in text_boxes(rendered_svg(chart, goal), 22)]
    assert texts.count("students") == 1


def test_the_margins_are_measured_at_the_size_phones_show_labels_at():
    assert phone_font_size() == LABEL_SIZE


@pytest.mark.parametrize(("baseline", "target", "unit", "values"), GOALS.values(), ids=GOALS)
def test_no_label_is_cut_off_or_covers_another_on_a_phone(baseline, target, unit, values):
    chart, goal = chart_for(baseline, target, unit, values)
    font_size = phone_font_size()
    boxes = list(text_boxes(rendered_svg(chart, goal), font_size))
    for text, left, top, right, bottom in boxes:
        assert left >= 0, f"{text!r} is cut off at the left"
        assert top >= 0, f"{text!r} is cut off at the top"
        assert right <= chart.width, f"{text!r} is cut off at the right"
        assert bottom <= chart.height, f"{text!r} is cut off at the bottom"
    for (a, *box_a), (b, *box_b) in combinations(boxes, 2):
        apart = (
            box_a[2] <= box_b[0]
            or box_b[2] <= box_a[0]
            or box_a[3] <= box_b[1]
            or box_b[3] <= box_a[1]
        )
        assert apart, f"{a!r} and {b!r} overlap"


def test_the_y_labels_end_left_of_the_plot():
    chart, goal = chart_for("30", "80", "%", ["35", "62.5"])
    boxes = text_boxes(rendered_svg(chart, goal), phone_font_size())
    tick_labels = {label for _, label in chart.y_ticks}
    for text, _, _, right, _ in boxes:
        if text in tick_labels:
            assert right < chart.plot_left
