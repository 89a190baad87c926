"""How report pages show a figure; no view is imported here (tags sit below views)."""

from django import template

from reports.suppression import shown

register = template.Library()


@register.simple_tag(takes_context=True)
def figure(context, cell):
    """A report figure as shown: its value, "fewer than K", or "hidden"."""
    return shown(cell, context["k"])
