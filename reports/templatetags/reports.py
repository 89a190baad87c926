"""How report pages show a figure; no view is imported here (tags sit below views)."""

from django import template
from django.utils.translation import gettext as _

from reports.tables import HIDDEN

register = template.Library()


@register.simple_tag
def figure(value, suffix=""):
    """A report figure as shown: its value, "hidden", or a dash where there is none."""
    if value is None:
        return "—"
    if value == HIDDEN:
        # Translators: a report figure not shown, to protect teachers (a “cifra” in Spanish).
        return _("hidden")
    return f"{value}{suffix}"
