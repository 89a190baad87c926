"""Who may act on a cycle they can see (seeing is the selectors' business: 404 otherwise).

The coach steers the cycle; coach and teachers both record progress and write reflections;
a reflection is changed by its author alone. Whether the cycle's state allows an act is
said once, by `cycle_change_refusal()`, for the services and the pages alike.
"""

import datetime
from typing import Any

import rules
from django.utils.translation import gettext as _

from accounts.models import User
from coaching.rules import (
    is_partnership_coach,
    is_partnership_teacher,
    partnership_work_refusal,
)

from .models import Cycle, Goal, ProgressPoint, Reflection, SurveyReceipt


@rules.predicate
def is_cycle_coach(user: User, cycle: Cycle) -> bool:
    return is_partnership_coach(user, cycle.partnership)


@rules.predicate
def is_cycle_teacher(user: User, cycle: Cycle) -> bool:
    return is_partnership_teacher(user, cycle.partnership)


@rules.predicate
def is_reflection_author(user: User, reflection: Reflection) -> bool:
    return reflection.author_id == user.id


rules.add_perm("cycles.start_cycle", is_partnership_coach)
rules.add_perm("cycles.steer_cycle", is_cycle_coach)
rules.add_perm("cycles.add_progress", is_cycle_coach | is_cycle_teacher)
# The goal is set together: either of them proposes it, or a change to it, and the other
# accepts (goal_accept_refusal says who may, and when).
rules.add_perm("cycles.propose_goal", is_cycle_coach | is_cycle_teacher)
rules.add_perm("cycles.write_reflection", is_cycle_coach | is_cycle_teacher)
rules.add_perm("cycles.change_reflection", is_reflection_author)


@rules.predicate
def added_the_point(user: User, point: ProgressPoint) -> bool:
    return point.added_by_id == user.id


# Whoever added a progress point corrects it: nobody rewrites the other's figure.
rules.add_perm("cycles.change_progress", added_the_point)


def cycle_change_refusal(cycle: Cycle) -> str | None:
    """Why the cycle cannot move on, be closed, or take a goal, evidence, progress or an
    observation now; None while it is open in a running partnership."""
    if not cycle.is_open:
        return _("This cycle is closed: it can no longer change.")
    return partnership_work_refusal(cycle.partnership)


def progress_change_refusal(point: ProgressPoint) -> str | None:
    """Why a progress point can no longer be corrected or deleted: as for adding one, only
    while its cycle is open in a running partnership.

    The reports never read progress points (reports/counts.py counts closed cycles, their
    pre/post evidence and logged minutes), so no sealed term or released figure moves with
    one. A closed cycle's chart is what its outcome was decided on, and stays as it was."""
    return cycle_change_refusal(point.goal.cycle)


def goal_propose_refusal(cycle: Cycle) -> str | None:
    """Why no goal, or change to it, can be proposed now."""
    return cycle_change_refusal(cycle)


def goal_accept_refusal(goal: Goal, *, actor: User) -> str | None:
    """Why `actor` cannot accept the goal as proposed: the one who proposed it waits for the
    other to accept it or change it."""
    refusal = cycle_change_refusal(goal.cycle)
    if refusal is not None:
        return refusal
    if goal.is_agreed:
        return _("This goal is already agreed.")
    if goal.proposed_by_id == actor.id:
        return _("You proposed this goal: it waits for the other person to accept it or change it.")
    return None


def cycle_permissions(user: User, cycle: Cycle) -> dict[str, Any]:
    """What `user` may do on the cycle's page (and the teacher's home) now."""
    at_work = cycle_change_refusal(cycle) is None
    steer = user.has_perm("cycles.steer_cycle", cycle)
    goal = getattr(cycle, "goal", None)
    propose = at_work and user.has_perm("cycles.propose_goal", cycle)
    return {
        # Either of them proposes the goal or a change to it; the other accepts it.
        "propose_goal": propose,
        "accept_goal": propose
        and goal is not None
        and goal_accept_refusal(goal, actor=user) is None,
        # The coach's view of the cycle: what to set up next, what was not shared yet.
        "steer": steer,
        "change": steer and at_work,
        "observe": steer and at_work,
        # Evidence is measured against the goal, so it waits for one.
        "record_evidence": steer and at_work and getattr(cycle, "goal", None) is not None,
        "add_progress": at_work
        and getattr(cycle, "goal", None) is not None
        and user.has_perm("cycles.add_progress", cycle),
        "reflect": user.has_perm("cycles.write_reflection", cycle),
        # Work in the lessons (observe, choose what is looked for) waits for the same.
        "at_work": at_work,
    }


# A cycle's teachers are asked about its coaching for a term's length after it closes.
SURVEY_OPEN_DAYS = 90


def survey_refusal(cycle: Cycle, *, teacher: User, on: datetime.date | None = None) -> str | None:
    """Why `teacher` cannot answer the survey about this cycle's coaching now: only a
    teacher still in it, once it has closed, for SURVEY_OPEN_DAYS, once."""
    if not is_cycle_teacher(teacher, cycle):
        return _("Only the cycle's teachers are asked about its coaching.")
    if cycle.is_open:
        return _("You are asked about the coaching once the cycle has closed.")
    today = on or cycle.partnership.school.today()
    if cycle.ended_on and (today - cycle.ended_on).days > SURVEY_OPEN_DAYS:
        return _("This cycle closed too long ago to be asked about now.")
    if SurveyReceipt.objects.filter(cycle=cycle, teacher=teacher).exists():
        return _("You have already answered, or said no thanks, about this cycle.")
    return None
