"""Reads of observations. The rule, in one place: the observing coach reads their own
observations, drafts included; an observed teacher reads them once shared; nobody else,
ever. Both go through `cycles_visible_to`, so evaluator isolation holds here too."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse

from cycles.models import Reflection
from cycles.selectors import cycles_visible_to

from .models import AccessEvent, Observation, ObservationResponse

Status = Observation.Status


def observations_visible_to(user) -> QuerySet[Observation]:
    if not user.is_authenticated:
        return Observation.objects.none()
    observed = Observation.teachers.through.objects.filter(user=user)
    return Observation.objects.filter(cycle__in=cycles_visible_to(user)).filter(
        Q(observer=user) | Q(status=Status.SHARED, pk__in=observed.values("observation_id"))
    )


def get_observation(user, pk) -> Observation:
    return get_object_or_404(
        observations_visible_to(user)
        .select_related("cycle__partnership__school", "cycle__goal", "observer")
        .prefetch_related(
            "teachers",
            "cycle__partnership__members",
            Prefetch("responses", queryset=ObservationResponse.objects.select_related("teacher")),
        ),
        pk=pk,
    )


def observations_of_cycle(user, cycle) -> QuerySet[Observation]:
    return observations_visible_to(user).filter(cycle=cycle)


def responses_waiting_in(coach, partnership_ids) -> QuerySet[ObservationResponse]:
    """Teachers' answers the observing coach has not opened since they were written.

    `partnership_ids` come from the coach's scope (coaching.selectors.partnership_ids_at).
    The flagged observations come first, so the cost is that of the answers waiting, not of
    every lesson the coach has observed.
    """
    waiting = Observation.objects.filter(
        observer=coach, answers_unseen=True, cycle__partnership_id__in=partnership_ids
    )
    return (
        ObservationResponse.objects.filter(observation__in=waiting, unseen_by_observer=True)
        .select_related("teacher", "observation")
        .order_by("-updated_at")
    )


def drafts_of(coach, partnership_ids) -> QuerySet[Observation]:
    """The coach's observations not yet shared: feedback still to write or to send."""
    return (
        Observation.objects.filter(
            observer=coach, status=Status.DRAFT, cycle__partnership_id__in=partnership_ids
        )
        .prefetch_related("teachers")
        .order_by("-observed_at")
    )


def feedback_waiting_in(teacher, partnership_ids) -> QuerySet[Observation]:
    """Shared observations of the teacher, in these partnerships, not yet answered."""
    answered = ObservationResponse.objects.filter(observation=OuterRef("pk"), teacher=teacher)
    return (
        Observation.objects.filter(
            cycle__partnership_id__in=partnership_ids, status=Status.SHARED, teachers=teacher
        )
        .exclude(observer=teacher)
        .exclude(Exists(answered))
        .select_related("observer")
        .order_by("-shared_at")
    )


def shared_with(teacher) -> QuerySet[Observation]:
    """Every observation of the teacher's lessons shared with them, newest first, each with
    when they answered (`answered_at`, None while waiting)."""
    mine = ObservationResponse.objects.filter(observation=OuterRef("pk"), teacher=teacher)
    return (
        observations_visible_to(teacher)
        .filter(status=Status.SHARED, teachers=teacher)
        .exclude(observer=teacher)
        .annotate(
            answered_at=Subquery(mine.values("acknowledged_at")[:1]),
            answer_updated_at=Subquery(mine.values("updated_at")[:1]),
        )
        .select_related("observer", "cycle")
        .order_by("-observed_at")
    )


def access_events_of(user, *, include_own=False) -> QuerySet[AccessEvent]:
    """What was read or changed of the user's confidential records: theirs alone to see."""
    events = AccessEvent.objects.filter(subject=user).select_related("actor")
    if include_own:
        return events
    # A download of everything stays in sight even when it was the teacher's own: had
    # someone else signed in as them, this is the line that would tell.
    return events.exclude(Q(actor=user) & ~Q(action=AccessEvent.Action.EXPORTED))


def record_links(user, events) -> dict:
    """Where each logged record can be opened by `user` now, by record id: two queries for a
    page of the access log. A record they can no longer open (a draft, a closed-off cycle)
    gets no link."""
    kinds = AccessEvent.Kind
    ids = {kind: [e.record_id for e in events if e.kind == kind] for kind in kinds.values}
    links = {}
    if ids[kinds.OBSERVATION]:
        visible = observations_visible_to(user).filter(pk__in=ids[kinds.OBSERVATION])
        for pk in visible.values_list("pk", flat=True):
            links[pk] = reverse("observations:detail", args=[pk])
    if ids[kinds.REFLECTION]:
        reflections = Reflection.objects.filter(
            author=user, pk__in=ids[kinds.REFLECTION], cycle__in=cycles_visible_to(user)
        )
        for pk, cycle_id in reflections.values_list("pk", "cycle_id"):
            links[pk] = reverse("cycles:detail", args=[cycle_id]) + f"#reflection-{pk}"
    return links
