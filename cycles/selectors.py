"""Reads of cycles, goals and reflections, scoped through the partnerships a person can see."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from coaching.selectors import partnerships_visible_to

from .models import Cycle, FocusArea, Reflection, Strategy


def cycles_visible_to(user) -> QuerySet[Cycle]:
    return Cycle.objects.filter(partnership__in=partnerships_visible_to(user))


def get_cycle(user, pk) -> Cycle:
    return get_object_or_404(
        cycles_visible_to(user)
        .select_related(
            "partnership__school__district",
            "partnership__coach",
            "focus_area",
            "goal__strategy",
        )
        .prefetch_related("partnership__members__teacher"),
        pk=pk,
    )


def open_cycles_of(partnership_ids) -> dict:
    """The open cycle of each partnership (at most one each), by partnership id."""
    cycles = Cycle.objects.filter(partnership_id__in=partnership_ids).exclude(
        phase=Cycle.Phase.CLOSED
    )
    return {cycle.partnership_id: cycle for cycle in cycles}


def reflections_visible_to(user) -> QuerySet[Reflection]:
    # Private reflections are their author's alone; shared ones belong to the partnership.
    return Reflection.objects.filter(cycle__in=cycles_visible_to(user)).filter(
        Q(author=user) | Q(visibility=Reflection.Visibility.SHARED)
    )


def reflections_on(user, cycle) -> QuerySet[Reflection]:
    return (
        Reflection.objects.filter(cycle=cycle)
        .filter(Q(author=user) | Q(visibility=Reflection.Visibility.SHARED))
        .select_related("author")
    )


def get_reflection(user, pk) -> Reflection:
    return get_object_or_404(
        reflections_visible_to(user).select_related("cycle__partnership", "author"), pk=pk
    )


def focus_areas_of(district) -> QuerySet[FocusArea]:
    return FocusArea.objects.filter(district=district)


def strategies_for(user) -> QuerySet[Strategy]:
    """The strategy libraries of the districts the user works in."""
    return Strategy.objects.filter(
        Q(district__schools__memberships__user=user) | Q(district__memberships__user=user)
    ).distinct()


def get_strategy(user, pk) -> Strategy:
    return get_object_or_404(strategies_for(user).select_related("focus_area"), pk=pk)


def current_cycle_in(partnership_ids) -> Cycle | None:
    """The open cycle among a teacher's partnerships (one at a time, by rule), for the home.

    `partnership_ids` come from the teacher's scope (coaching.selectors.partnership_ids_at).
    """
    return (
        Cycle.objects.filter(partnership_id__in=partnership_ids)
        .exclude(phase=Cycle.Phase.CLOSED)
        .select_related("partnership__coach", "focus_area", "goal")
        .prefetch_related("partnership__members")
        .first()
    )
