"""Lets the meeting page (coaching, a floor below) show the cycle it prepares, without the
coaching app importing this one."""

from typing import Any

from django import template
from django.db.models import Q

from coaching.models import Meeting

from ..charts import progress_chart
from ..models import Cycle

register = template.Library()


def cycle_of_meeting(meeting: Meeting) -> Cycle | None:
    """The cycle running on the meeting's day (cycles.selectors.meetings_in_cycle, read the
    other way), else the partnership's open cycle: a meeting is prepared for the work under
    way, and one before any cycle prepares the first."""
    day = meeting.partnership.school.local_date(meeting.starts_at)
    # One read: the cycles that ran on that day, and the open one (a handful at most).
    candidates = list(
        Cycle.objects.filter(partnership_id=meeting.partnership_id)
        .filter(Q(started_on__lte=day, ended_on__gte=day) | ~Q(phase=Cycle.Phase.CLOSED))
        .select_related("goal")
    )
    dated = [c for c in candidates if c.ended_on is not None]
    return (dated or candidates or [None])[0]


@register.simple_tag
def preparation_of(meeting: Meeting) -> dict[str, Any] | None:
    """The meeting's cycle, its goal and its progress chart; None before any cycle."""
    cycle = cycle_of_meeting(meeting)
    if cycle is None:
        return None
    goal = getattr(cycle, "goal", None)
    points = list(goal.progress.all()) if goal else []
    return {
        "cycle": cycle,
        "goal": goal,
        "points": points,
        "chart": progress_chart(goal, points) if goal and goal.chartable else None,
    }
