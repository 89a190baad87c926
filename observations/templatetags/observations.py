"""Lets the cycle page list its observations without the cycles app importing this one."""

from django import template

from observations.selectors import observations_of_cycle

register = template.Library()


@register.simple_tag(takes_context=True)
def observations_of(context, cycle):
    return list(observations_of_cycle(context["request"].user, cycle).prefetch_related("teachers"))
