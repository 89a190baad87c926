"""Lets the cycle page list its observations without the cycles app importing this one."""

import uuid

from django import template
from django.utils.html import format_html

from observations.access import log_observation
from observations.models import AccessEvent, Observation
from observations.rules import look_for_choice_permissions, observation_feed_goal_refusal
from observations.selectors import (
    look_fors_waiting,
    observations_of_cycle,
    observations_visible_to,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def observations_of(context, cycle):
    # The cycle's list names no teachers (the cycle is theirs): no need to fetch them.
    return list(observations_of_cycle(context["request"].user, cycle))


@register.simple_tag
def look_fors_for_next_lesson(cycle):
    return list(look_fors_waiting(cycle))


@register.simple_tag(takes_context=True)
def look_for_choice_of(context, cycle):
    """What the person may do with the look-fors of the cycle's next lessons now
    (`rules.look_for_choice_permissions`), for the card that lists them on cycle and
    meeting pages."""
    return look_for_choice_permissions(context["request"].user, cycle)


@register.simple_tag(takes_context=True)
def last_shared_feedback_of(context, partnership):
    """For a meeting page: the feedback last shared in the partnership that the person may
    read, or None. Its words are shown, so the read is written in the teacher's access log,
    as on the observation's own page."""
    observation = (
        observations_visible_to(context["request"].user)
        .filter(cycle__partnership=partnership, status=Observation.Status.SHARED)
        .select_related("observer")
        .prefetch_related("teachers")
        .order_by("-shared_at")
        .first()
    )
    if observation is not None:
        log_observation(context["request"].user, observation, AccessEvent.Action.READ)
    return observation


@register.simple_tag
def submission_key():
    """A one-time key for a one-tap form shown many times on a page: each copy is saved
    once however often it is tapped (core.views.save_once)."""
    return format_html('<input type="hidden" name="submission" value="{}">', uuid.uuid4())


@register.filter
def goal_takes(observation, unit):
    """Whether a figure of the lesson in `unit` is offered for the goal's progress: the
    service asks the same rule (`observation_feed_goal_refusal`), so no button is refused."""
    return observation_feed_goal_refusal(observation, unit) is None
