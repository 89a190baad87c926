"""Lets the cycle page list its observations without the cycles app importing this one."""

import uuid

from django import template
from django.utils.html import format_html

from observations.selectors import look_fors_waiting, observations_of_cycle

register = template.Library()


@register.simple_tag(takes_context=True)
def observations_of(context, cycle):
    # The cycle's list names no teachers (the cycle is theirs): no need to fetch them.
    return list(observations_of_cycle(context["request"].user, cycle))


@register.simple_tag
def look_fors_for_next_lesson(cycle):
    return list(look_fors_waiting(cycle))


@register.simple_tag
def next_lesson_look_fors_of(partnership):
    """For a planning meeting: the open cycle of the partnership and its look-fors waiting
    for the next lesson, or None when no cycle is open."""
    cycle = partnership.cycles.exclude(phase="closed").first()
    if cycle is None:
        return None
    return {"cycle": cycle, "look_fors": list(look_fors_waiting(cycle))}


@register.simple_tag
def submission_key():
    """A one-time key for a one-tap form shown many times on a page: each copy is saved
    once however often it is tapped (accounts.mixins.save_once)."""
    return format_html('<input type="hidden" name="submission" value="{}">', uuid.uuid4())
