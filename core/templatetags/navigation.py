"""The main navigation, marking where the person is (`aria-current`) for eyes and screen
readers alike; and links on every row of a list, resolved cheaply."""

import functools
import uuid

from django import template
from django.template import Context
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context: Context, view_name: str, label: str, *also: str) -> str:
    """A navigation item: the current page when the request resolved to `view_name`, or to
    one of the `also` names or namespaces ("coaching:" covers every coaching page).

    Written here rather than from a template: every page draws some ten of them, and a
    template each cost more than the rest of the navigation."""
    match = context["request"].resolver_match
    here = match.view_name if match else ""
    names = (view_name, *also)
    href = get_script_prefix() + _path_of(view_name)
    if here == view_name:
        current = "page"
    elif any(here == n or (n.endswith(":") and here.startswith(n)) for n in names):
        current = "true"
    else:
        return format_html(
            '<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>', href, label
        )
    return format_html(
        '<li class="nav-item"><a class="nav-link active" href="{}" aria-current="{}">{}</a></li>',
        href,
        current,
        label,
    )


@functools.cache
def _path_of(view_name: str) -> str:
    """The path of a view taking no argument, without the script prefix, resolved once."""
    return reverse(view_name).removeprefix(get_script_prefix())


_MARKER = uuid.UUID(int=0)


@functools.cache
def _around_marker(view_name: str) -> tuple[str, str]:
    """The path of `view_name` before and after its one UUID, without the script prefix."""
    head, tail = reverse(view_name, args=[_MARKER]).split(str(_MARKER))
    return head.removeprefix(get_script_prefix()), tail


@register.simple_tag
def path(view_name: str, pk: object) -> str:
    """`{% url view_name pk %}` for a view taking one UUID, for links on every row of a list:
    the pattern is resolved once per process rather than once per row (a coach's home has
    a hundred links)."""
    if not isinstance(pk, uuid.UUID):
        return reverse(view_name, args=[pk])
    head, tail = _around_marker(view_name)
    return f"{get_script_prefix()}{head}{pk}{tail}"
