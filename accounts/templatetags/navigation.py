"""The main navigation, marking where the person is (`aria-current`) for eyes and screen
readers alike."""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("includes/nav_link.html", takes_context=True)
def nav_link(context, view_name, label, *also):
    """A navigation item: the current page when the request resolved to `view_name`, or to
    one of the `also` names or namespaces ("coaching:" covers every coaching page)."""
    match = context["request"].resolver_match
    here = match.view_name if match else ""
    names = (view_name, *also)
    current = any(here == n or (n.endswith(":") and here.startswith(n)) for n in names)
    return {
        "href": reverse(view_name),
        "label": label,
        "current": "page" if here == view_name else ("true" if current else ""),
    }
