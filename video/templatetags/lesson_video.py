"""Lesson video on the pages of the floors below, which never import it (docs/architecture.md,
side channels): a cycle lists the videos its reader may watch, and a lesson's page shows
the comments on its videos beside the notes."""

from django import template

from cycles.rules import cycle_change_refusal
from observations.models import AccessEvent

from .. import selectors, services

register = template.Library()


@register.simple_tag(takes_context=True)
def videos_of_cycle(context, cycle):
    """The cycle's videos that the person reading the page may watch."""
    user = context["request"].user
    return list(selectors.videos_of_cycle(user, cycle).select_related("owner")[:20])


@register.simple_tag
def videos_may_be_added_to(cycle):
    """Whether a lesson of the cycle may be recorded now (open, in a running partnership)."""
    return cycle_change_refusal(cycle) is None


@register.simple_tag(takes_context=True)
def video_comments_of(context, observation):
    """(video, comments) for each playable video of the lesson the reader may watch; the
    read is written in its teacher's access log, as watching it would be."""
    user = context["request"].user
    found = []
    for video in selectors.videos_of_observation(user, observation):
        comments = list(selectors.comments_seen_by(user, video))
        if comments:
            services.log_video(user, video, AccessEvent.Action.READ)
            found.append((video, comments))
    return found
