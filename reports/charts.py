"""Bar charts the server draws as inline SVG.

The chart is laid out in CSS pixels, with no viewBox: a viewBox scales the whole drawing,
text included, to the width of the screen, which left 7 px labels on a phone. Here only
the bars stretch (as percentages of the chart's width), and the text stays the size the
stylesheet gives it. Each bar's heading and value sit on a line of their own above it, so
neither is clipped however narrow the screen.
"""

from coaching.models import ActivityEntry

ROW = 44  # pixels from one bar's heading to the next: label line, bar, gap
LABEL_BASELINE = 16
BAR_TOP = 22
BAR_HEIGHT = 14


def bar_chart(headings, values) -> dict:
    """Geometry of a horizontal bar chart whose longest bar fills the chart's width."""
    # Time coaches are taken off coaching: the figure administrators most need to notice.
    # Its heading is read in the reader's language, so it is looked up here, not at import.
    warning = str(dict(ActivityEntry.Kind.choices)[ActivityEntry.Kind.NON_COACHING])
    largest = max(values, default=0)
    bars = [
        {
            "heading": heading,
            "value": value,
            "label_y": index * ROW + LABEL_BASELINE,
            "bar_y": index * ROW + BAR_TOP,
            "width": f"{round(100 * value / largest, 2):g}%" if largest else "0%",
            "warning": str(heading) == warning,
        }
        for index, (heading, value) in enumerate(zip(headings, values, strict=True))
    ]
    return {"bars": bars, "height": len(bars) * ROW, "bar_height": BAR_HEIGHT}
