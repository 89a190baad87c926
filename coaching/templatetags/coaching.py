"""How coaching pages name the people a record concerns."""

from django import template

register = template.Library()


@register.filter
def with_whom(partnership, user) -> str:
    """`{{ partnership|with_whom:user }}`: the teachers to their coach, the coach to a
    teacher. Never an id or a date: a partnership is the people in it."""
    return partnership.label_for(user)
