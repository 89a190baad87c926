"""Counters the services keep as they go, worked out again from the rows.

A service moves a partnership's last activity on as it acts (`partnership_touch`). Records
written in bulk (the scale generator) or moved back to when they happened (the demo's
history) never went through that moment, so both work it out here, the one place that says
which rows an act leaves behind. (An observation's counters have theirs beside the service
that keeps them: `observations.services.observations_recount`.)
"""

from django.db.models import F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from coaching.models import ActivityEntry, Meeting, NextStep, Partnership, PartnershipMember
from cycles.models import Goal, PhaseChange, ProgressPoint
from observations.models import Observation

# What each act that moves the last activity on (`partnership_touch`) leaves in the rows:
# (rows, the way from them to their partnership, the moment of the act).
TRACES = [
    # partnership_accept; partnership_remove_teacher
    (
        PartnershipMember.objects.exclude(status=PartnershipMember.Status.DECLINED),
        "partnership",
        "responded_at",
    ),
    (PartnershipMember.objects.all(), "partnership", "left_at"),
    # meeting_schedule, meeting_update, meeting_hold
    (Meeting.objects.all(), "partnership", "created_at"),
    (Meeting.objects.all(), "partnership", "updated_at"),
    (Meeting.objects.all(), "partnership", "held_at"),
    # next_step_add, next_step_mark
    (NextStep.objects.all(), "partnership", "created_at"),
    (NextStep.objects.all(), "partnership", "done_at"),
    # activity_log with a partnership (and meeting_hold's entry)
    (ActivityEntry.objects.all(), "partnership", "created_at"),
    # cycle_start, cycle_advance_phase, cycle_close
    (PhaseChange.objects.all(), "cycle__partnership", "changed_at"),
    # goal_propose, goal_accept; progress_add (and observation_feed_goal)
    (Goal.objects.all(), "cycle__partnership", "updated_at"),
    (ProgressPoint.objects.all(), "goal__cycle__partnership", "created_at"),
    # observation_start
    (Observation.objects.all(), "cycle__partnership", "created_at"),
]
# partnership_resume and meeting_cancel leave no row to tell of them: a recount forgets them.


def _latest(rows: QuerySet, way: str, moment: str) -> Subquery:
    return Subquery(
        rows.filter(**{way: OuterRef("pk")})
        .order_by()
        .values(way)
        .annotate(latest=Max(moment))
        .values("latest")
    )


def partnerships_recount_last_activity(partnerships: QuerySet[Partnership]) -> int:
    """Set each partnership's `last_activity_at` to its latest act the rows show, or to its
    invitation when nothing has happened since. Returns how many were set."""
    latest = [Coalesce(_latest(rows, way, moment), F("created_at")) for rows, way, moment in TRACES]
    return partnerships.update(last_activity_at=Greatest(F("created_at"), *latest))
