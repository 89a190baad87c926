"""Reads of cycles, goals and reflections, scoped through the partnerships a person can see."""

import datetime
from collections.abc import Iterable
from uuid import UUID

from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import District, User
from coaching.models import Meeting, NextStep, Partnership
from coaching.selectors import (
    before_leaving,
    left_at,
    members_with_teachers,
    partnerships_taken_part_in,
    partnerships_visible_to,
    when_left,
)

from .models import (
    SURVEY_QUESTIONS,
    Cycle,
    FocusArea,
    Goal,
    ProgressPoint,
    Reflection,
    Strategy,
    SurveyAnswer,
    SurveyReceipt,
)
from .rules import SURVEY_OPEN_DAYS


def cycles_visible_to(user: User) -> QuerySet[Cycle]:
    return Cycle.objects.filter(partnership__in=partnerships_visible_to(user))


def get_cycle(user: User, pk: UUID) -> Cycle:
    return get_object_or_404(
        cycles_visible_to(user)
        .select_related(
            "partnership__school__district",
            "partnership__coach",
            "focus_area",
            "goal__strategy",
            "goal__proposed_by",
        )
        .prefetch_related(members_with_teachers("partnership")),
        pk=pk,
    )


def meetings_in_cycle(cycle: Cycle) -> QuerySet[Meeting]:
    """The partnership's meetings held or planned between the cycle's first and last day."""
    meetings = cycle.partnership.meetings.filter(starts_at__date__gte=cycle.started_on)
    if cycle.ended_on:
        meetings = meetings.filter(starts_at__date__lte=cycle.ended_on)
    return meetings


def open_next_steps_of(partnership: Partnership) -> QuerySet[NextStep]:
    """The partnership's next steps not yet done, whichever cycle they came from."""
    return partnership.next_steps.filter(done_at__isnull=True)


def open_cycles_of(partnership_ids: Iterable[UUID]) -> dict:
    """The open cycle of each partnership (at most one each), by partnership id."""
    cycles = (
        Cycle.objects.filter(partnership_id__in=partnership_ids)
        .exclude(phase=Cycle.Phase.CLOSED)
        # What the coach may do with it depends on its goal (rules), and who proposed it
        # is named on the coach's home.
        .select_related("goal__proposed_by")
    )
    return {cycle.partnership_id: cycle for cycle in cycles}


def goals_visible_to(user: User) -> QuerySet[Goal]:
    return Goal.objects.filter(cycle__in=cycles_visible_to(user))


def reflections_visible_to(user: User) -> QuerySet[Reflection]:
    # Private reflections are their author's alone; shared ones belong to the partnership.
    return Reflection.objects.filter(cycle__in=cycles_visible_to(user)).filter(
        Q(author=user) | Q(visibility=Reflection.Visibility.SHARED)
    )


def reflections_on(user: User, cycle: Cycle) -> QuerySet[Reflection]:
    return (
        Reflection.objects.filter(cycle=cycle)
        .filter(Q(author=user) | Q(visibility=Reflection.Visibility.SHARED))
        .select_related("author")
    )


def get_reflection(user: User, pk: UUID) -> Reflection:
    return get_object_or_404(
        reflections_visible_to(user).select_related("cycle__partnership", "author"), pk=pk
    )


def focus_areas_of(district: District) -> QuerySet[FocusArea]:
    return FocusArea.objects.filter(district=district)


def strategies_for(user: User) -> QuerySet[Strategy]:
    """The strategy libraries of the districts the user works in."""
    return Strategy.objects.filter(
        Q(district__schools__memberships__user=user) | Q(district__memberships__user=user)
    ).distinct()


def get_strategy(user: User, pk: UUID) -> Strategy:
    return get_object_or_404(strategies_for(user).select_related("focus_area"), pk=pk)


def current_cycle_in(partnership_ids: Iterable[UUID]) -> Cycle | None:
    """The open cycle among a teacher's partnerships (one at a time, by rule), for the home.

    `partnership_ids` come from the teacher's scope (coaching.selectors.partnership_ids_at).
    """
    return (
        Cycle.objects.filter(partnership_id__in=partnership_ids)
        .exclude(phase=Cycle.Phase.CLOSED)
        .select_related("partnership__coach", "focus_area", "goal__proposed_by")
        .prefetch_related(members_with_teachers("partnership"))
        .first()
    )


def cycles_taken_part_in(teacher: User) -> QuerySet[Cycle]:
    """The cycles of the teacher's own records: those begun before they left the team."""
    return (
        Cycle.objects.filter(partnership__in=partnerships_taken_part_in(teacher).values("pk"))
        .annotate(left_at=left_at(teacher, "partnership_id"))
        .filter(Q(left_at=None) | Q(created_at__lt=F("left_at")))
        .select_related("focus_area", "goal__strategy", "partnership__school")
        .order_by("started_on", "created_at")
    )


def progress_while_in(cycle: Cycle) -> list:
    """Progress on the goal of a cycle from `cycles_taken_part_in`, until its teacher left."""
    return progress_while_in_each([cycle])[cycle.pk]


def progress_while_in_each(cycles: Iterable[Cycle]) -> dict[UUID, list[ProgressPoint]]:
    """`progress_while_in` for many cycles at once (one query), by cycle id."""
    cycles = list(cycles)
    found: dict[UUID, list[ProgressPoint]] = {cycle.pk: [] for cycle in cycles}
    by_goal = {goal.pk: cycle for cycle in cycles if (goal := getattr(cycle, "goal", None))}
    points = ProgressPoint.objects.filter(goal__in=list(by_goal)).order_by(
        "recorded_on", "created_at"
    )
    for point in points:
        cycle = by_goal[point.goal_id]
        if before_leaving(point.created_at, when_left(cycle)):
            found[cycle.pk].append(point)
    return found


def reflections_written_by(teacher: User, cycle: Cycle) -> list[Reflection]:
    """Every reflection the teacher wrote in a cycle, private ones included: they are theirs."""
    return reflections_written_by_each(teacher, [cycle])[cycle.pk]


def reflections_written_by_each(
    teacher: User, cycles: Iterable[Cycle]
) -> dict[UUID, list[Reflection]]:
    found: dict[UUID, list[Reflection]] = {cycle.pk: [] for cycle in cycles}
    written = Reflection.objects.filter(cycle__in=list(found), author=teacher)
    for reflection in written.order_by("created_at"):
        found[reflection.cycle_id].append(reflection)
    return found


def get_progress_point(user: User, cycle_pk: UUID, pk: int) -> ProgressPoint:
    """A progress point of a cycle the person sees; any other is 404, as if it did not exist."""
    cycle = get_cycle(user, cycle_pk)
    point = get_object_or_404(
        ProgressPoint.objects.select_related("added_by", "goal"), pk=pk, goal__cycle=cycle
    )
    point.goal.cycle = cycle  # already fetched, with what the rules ask of it
    return point


def surveys_waiting_for(
    teacher: User, partnership_ids: Iterable[UUID], *, today: datetime.date
) -> QuerySet[Cycle]:
    """Cycles of the teacher's partnerships (`partnership_ids`, from their scope) closed in
    the last SURVEY_OPEN_DAYS, whose survey they have neither answered nor declined,
    newest first."""
    since = today - datetime.timedelta(days=SURVEY_OPEN_DAYS)
    return (
        Cycle.objects.filter(
            partnership_id__in=partnership_ids, phase=Cycle.Phase.CLOSED, ended_on__gte=since
        )
        .exclude(pk__in=SurveyReceipt.objects.filter(teacher=teacher).values("cycle_id"))
        .order_by("-ended_on")
    )


def voice_of(coach: User, schools: QuerySet | None = None) -> dict:
    """What the coach's teachers said about the coaching, as the coach and their lead read
    it: the answers of the groups already shown (at `schools`, a lead's, when given),
    counted together, and their comments in alphabetical order. No date or order of
    answering is read."""
    shown = SurveyAnswer.objects.filter(group__coach=coach, group__closed_on__isnull=False)
    if schools is not None:
        shown = shown.filter(group__school__in=schools)
    answers = list(shown.order_by().values_list("useful", "safe", "again", "comment"))
    questions = []
    for index, (_, text, labels) in enumerate(SURVEY_QUESTIONS):
        counted = [row[index] for row in answers]
        questions.append(
            {
                "text": text,
                "answers": [
                    {
                        "label": label,
                        "count": counted.count(value),
                        "percent": round(100 * counted.count(value) / len(answers))
                        if answers
                        else 0,
                    }
                    for value, label in labels.items()
                ],
            }
        )
    comments = sorted((row[3] for row in answers if row[3]), key=str.casefold)
    return {"answered": len(answers), "questions": questions, "comments": comments}
