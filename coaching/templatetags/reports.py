from django import template

from coaching.reports.views import shown

register = template.Library()


@register.simple_tag(takes_context=True)
def figure(context, cell):
    """A report figure as shown: its value, "fewer than K", or "hidden"."""
    return shown(cell, context["k"])


@register.simple_tag
def bars(headings, values, total, width=380, step=20):
    """Geometry of a horizontal bar chart: one row per heading, widths relative to `total`."""
    return [
        {
            "heading": heading,
            "value": value,
            "y": index * step,
            "width": round(width * value / total) if total else 0,
        }
        for index, (heading, value) in enumerate(zip(headings, values, strict=True))
    ]
