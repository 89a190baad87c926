"""Reads of observations. The rule, in one place: the observing coach reads their own
observations, drafts included; an observed teacher reads them once shared; nobody else,
ever. Both go through `cycles_visible_to`, so evaluator isolation holds here too."""

from collections import defaultdict
from collections.abc import Iterable
from uuid import UUID

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Membership, School, User
from coaching.models import join_names
from coaching.selectors import left_at, members_with_teachers
from core.translated import said
from cycles.models import Cycle, Reflection
from cycles.selectors import cycles_visible_to

from .models import (
    AccessEvent,
    ChosenLookFor,
    CommentBankPhrase,
    LookForTemplate,
    Observation,
    ObservationNote,
    ObservationResponse,
    SeatLayout,
    SeatMap,
)
from .seats import seat_counts, seat_heat

Role = Membership.Role

Status = Observation.Status


def _lessons_of_theirs(user: User) -> Q:
    """Of the observations in cycles `user` reads, those theirs to read: the ones they made,
    and the ones shared with them as a teacher of the lesson."""
    observed = Observation.teachers.through.objects.filter(user=user)
    return Q(observer=user) | Q(status=Status.SHARED, pk__in=observed.values("observation_id"))


def observations_visible_to(user: User) -> QuerySet[Observation]:
    if not user.is_authenticated:
        return Observation.objects.none()
    return Observation.objects.filter(cycle__in=cycles_visible_to(user)).filter(
        _lessons_of_theirs(user)
    )


def get_observation(user: User, pk: UUID) -> Observation:
    return get_object_or_404(
        observations_visible_to(user)
        .select_related("cycle__partnership__school", "cycle__goal", "observer")
        .prefetch_related(
            "teachers",
            # With their presence: whether the lesson can still be shared asks it (rules).
            members_with_teachers("cycle__partnership"),
            Prefetch("responses", queryset=ObservationResponse.objects.select_related("teacher")),
        ),
        pk=pk,
    )


def answers_readable_by(user: User, observation: Observation) -> list[ObservationResponse]:
    """A teacher's answer to feedback is theirs and the observing coach's: a colleague
    observed in the same lesson never reads it, on any page, e-mail or export."""
    return [
        response
        for response in observation.responses.all()
        if user.id in (observation.observer_id, response.teacher_id)
    ]


def notes_visible_to(user: User) -> QuerySet[ObservationNote]:
    """The notes of every lesson the user may read: as its lesson (`evidence_of`)."""
    return ObservationNote.objects.filter(observation__in=observations_visible_to(user))


def answers_visible_to(user: User) -> QuerySet[ObservationResponse]:
    """`answers_readable_by` over every lesson at once: an answer is its teacher's and the
    observing coach's, never a colleague's observed in the same lesson."""
    return ObservationResponse.objects.filter(observation__in=observations_visible_to(user)).filter(
        Q(teacher=user) | Q(observation__observer=user)
    )


def observations_of_cycle(user: User, cycle: Cycle) -> QuerySet[Observation]:
    """The observations of a cycle the user reads (`cycle` comes from get_cycle): whether
    they read the cycle is answered, so only which of its lessons are theirs is asked, and
    the page does not build the cycles' scope a second time."""
    if not user.is_authenticated:
        return Observation.objects.none()
    return Observation.objects.filter(cycle=cycle).filter(_lessons_of_theirs(user))


def responses_waiting_in(
    coach: User, partnership_ids: Iterable[UUID]
) -> QuerySet[ObservationResponse]:
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


def drafts_of(coach: User, partnership_ids: Iterable[UUID], *, limit: int = 10) -> list[dict]:
    """The coach's newest observations not yet shared, as their home lists them: whose
    lesson, when, how many notes, and whether feedback is written (its words not read)."""
    written = ExpressionWrapper(
        ~Q(strengths="") | ~Q(wonderings="") | ~Q(next_steps=""), output_field=BooleanField()
    )
    drafts = list(
        Observation.objects.filter(
            observer=coach, status=Status.DRAFT, cycle__partnership_id__in=partnership_ids
        )
        .order_by("-observed_at")
        .values("pk", "observed_at", "note_count", feedback_written=written)[:limit]
    )
    teachers = defaultdict(list)
    observed = Observation.teachers.through.objects.filter(
        observation_id__in=[draft["pk"] for draft in drafts]
    )
    for pk, name in observed.order_by("user__full_name").values_list(
        "observation_id", "user__full_name"
    ):
        teachers[pk].append(name)
    return [{**draft, "teacher_names": join_names(teachers[draft["pk"]])} for draft in drafts]


def feedback_waiting_in(teacher: User, partnership_ids: Iterable[UUID]) -> QuerySet[Observation]:
    """Shared observations of the teacher, in these partnerships, not yet answered."""
    answered = ObservationResponse.objects.filter(observation=OuterRef("pk"), teacher=teacher)
    return (
        Observation.objects.filter(
            cycle__partnership_id__in=partnership_ids, status=Status.SHARED, teachers=teacher
        )
        .exclude(observer=teacher)
        .exclude(Exists(answered))
        .order_by("-shared_at")
    )


def shared_with(teacher: User) -> QuerySet[Observation]:
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


def access_events_of(user: User, *, include_own: bool = False) -> QuerySet[AccessEvent]:
    """What was read or changed of the user's confidential records: theirs alone to see."""
    events = AccessEvent.objects.filter(subject=user).select_related("actor")
    if include_own:
        return events
    # A download of everything stays in sight even when it was the teacher's own: had
    # someone else signed in as them, this is the line that would tell.
    return events.exclude(Q(actor=user) & ~Q(action=AccessEvent.Action.EXPORTED))


def record_links(user: User, events: Iterable[AccessEvent]) -> dict:
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
    # The teacher's own videos; one deleted since answers them 404, as deleted things do.
    for pk in ids[kinds.VIDEO]:
        links[pk] = reverse("video:detail", args=[pk])
    return links


# The look-for library. Templates are no one's confidential record: everyone in a district
# reads its templates and those of their own school(s); administrators keep them.


def templates_readable_by(user: User) -> QuerySet[LookForTemplate]:
    if not user.is_authenticated:
        return LookForTemplate.objects.none()
    memberships = Membership.objects.filter(user=user)
    schools = memberships.filter(school__isnull=False).values("school_id")
    districts = School.objects.filter(pk__in=schools).values("district_id")
    # A role held at the district (its administrators', a district lead coach's) reads its
    # library too.
    held_at_district = memberships.filter(district__isnull=False).values("district_id")
    run_districts = memberships.filter(role=Role.DISTRICT_ADMIN).values("district_id")
    return LookForTemplate.objects.filter(
        Q(school__isnull=True, district__in=districts)
        | Q(school__isnull=True, district__in=held_at_district)
        | Q(school__in=schools)
        # A district's administrators see what each of its schools added.
        | Q(district__in=run_districts)
    ).select_related("school")


def templates_managed_by(membership: Membership | None) -> QuerySet[LookForTemplate]:
    """What the active role may change: a school administrator their school's templates, a
    district administrator the district's own; nobody else any."""
    if membership is None:
        return LookForTemplate.objects.none()
    if membership.role == Role.SCHOOL_ADMIN:
        return LookForTemplate.objects.filter(school=membership.school_id)
    if membership.role == Role.DISTRICT_ADMIN:
        return LookForTemplate.objects.filter(district=membership.district_id, school=None)
    return LookForTemplate.objects.none()


def templates_for_school(school: School) -> QuerySet[LookForTemplate]:
    """The library a cycle at `school` chooses from: the district's and the school's own."""
    return (
        LookForTemplate.objects.filter(district=school.district_id)
        .filter(Q(school=None) | Q(school=school))
        .prefetch_related("look_fors")
    )


def look_for_options(cycle: Cycle) -> dict:
    """Every look-for the teacher may choose for the cycle, by origin key: the cycle goal's
    learning targets, its strategy's checklist, and the library's templates."""
    options = {}
    goal = getattr(cycle, "goal", None)
    if goal is not None:
        for number, target in enumerate(goal.learning_target_items):
            options[f"goal:{number}"] = {
                "source": ChosenLookFor.Source.GOAL,
                "section": _("The goal’s learning targets"),
                "description": target[:200],
            }
        if goal.strategy is not None:
            for number, item in enumerate(goal.strategy.checklist_items):
                options[f"strategy:{number}"] = {
                    "source": ChosenLookFor.Source.STRATEGY,
                    "section": goal.strategy.said("title")[:80],
                    "description": item[:200],
                }
    for template in templates_for_school(cycle.partnership.school):
        for look_for in template.look_fors.all():
            options[f"library:{look_for.pk}"] = {
                "source": ChosenLookFor.Source.LIBRARY,
                "section": look_for.section,
                "description": look_for.description,
                "prompt": look_for.prompt,
                "translations": look_for.translations,
                "counted": look_for.counted,
                "template": template,
                "template_version": template.version,
            }
    return options


def look_for_groups(options: dict, others: dict, picked: set) -> tuple[dict, set]:
    """`look_for_options` grouped for the page that chooses them, by library template or else
    by section: each group lists (key, option, what someone else chose of it, or None). Also
    returns which groups start open."""
    groups: dict[str, list] = {}
    open_groups: set[str] = set()
    for key, option in options.items():
        template = option.get("template")
        group = template.said("name") if template else said(option, "section")
        groups.setdefault(group, []).append((key, option, others.get(key)))
        # The goal's and the strategy's own are few and first to consider; a library
        # template opens when something in it is ticked, so a long library stays short.
        if not template or key in picked or key in others:
            open_groups.add(group)
    return groups, (open_groups if len(groups) > 2 else set(groups))


def look_fors_waiting(cycle: Cycle) -> QuerySet[ChosenLookFor]:
    """What the cycle's next lesson will be watched for."""
    return cycle.look_fors.filter(observation=None).select_related("chosen_by")


def seat_layouts_of(observation: Observation) -> QuerySet[SeatLayout]:
    return observation.cycle.partnership.seat_layouts.all()


def seat_layout_likely(
    observation: Observation, layouts: Iterable[SeatLayout], seat_map: SeatMap | None
) -> SeatLayout | None:
    """The room to offer first: the one the lesson uses; for a new lesson the class of the
    same period if there is one, else the room used last."""
    if seat_map is not None:
        return next((x for x in layouts if x.pk == seat_map.layout_id), None)
    if not layouts:
        return None
    period = observation.period.casefold()
    same = [x for x in layouts if period and period in x.name.casefold()]
    return same[0] if same else max(layouts, key=lambda x: x.changed_at)


def evidence_of(observation: Observation) -> dict:
    """An observation's evidence, grouped by look-for: each with its counter and the notes
    tagged with it, then the notes and tallies of no look-for, and the seat map. A fixed
    handful of queries, however much was captured."""
    look_fors = list(observation.look_fors.select_related("tally", "chosen_by"))
    notes = list(observation.notes.all())
    tagged: dict[object, list[ObservationNote]] = {look_for.pk: [] for look_for in look_fors}
    untagged: list[ObservationNote] = []
    by_id: dict[object, ChosenLookFor] = {look_for.pk: look_for for look_for in look_fors}
    for note in notes:
        # The look-for a note is tagged with, for the page to name without another query.
        note.tag = by_id.get(note.look_for_id)  # type: ignore[attr-defined]
        tagged.get(note.look_for_id, untagged).append(note)
    seat_map = SeatMap.objects.filter(observation=observation).first()
    tallies = list(observation.tallies.all())
    return {
        "look_fors": [
            {"look_for": f, "tally": getattr(f, "tally", None), "notes": tagged[f.pk]}
            for f in look_fors
        ],
        "notes": notes,
        "untagged_notes": untagged,
        "tallies": tallies,
        "other_tallies": [t for t in tallies if t.look_for_id is None],
        "seat_map": seat_map,
        "heat": seat_heat(seat_map, seat_counts(observation)) if seat_map else None,
    }


def observations_shared_with_in(teacher: User, cycle: Cycle) -> list[Observation]:
    """For the teacher's own records: the lessons of a cycle from `cycles_taken_part_in` in
    which they were observed and the feedback shared, until they left the team; each with
    everything seen and their own answer only (`my_responses`): a colleague observed in the
    same lesson answers for themselves."""
    return observations_shared_with_in_each(teacher, [cycle])[cycle.pk]


def observations_shared_with_in_each(
    teacher: User, cycles: Iterable[Cycle]
) -> dict[UUID, list[Observation]]:
    """`observations_shared_with_in` for many cycles at once, by cycle id: a fixed handful
    of queries however many cycles and lessons."""
    found: dict[UUID, list[Observation]] = {cycle.pk: [] for cycle in cycles}
    # Until they left the team (`left_at`, as `cycles_taken_part_in` reads it): nothing
    # observed afterwards is theirs.
    observations = (
        Observation.objects.filter(
            cycle__in=list(found), status=Observation.Status.SHARED, teachers=teacher
        )
        .exclude(observer=teacher)
        .annotate(teacher_left_at=left_at(teacher, "cycle__partnership_id"))
        .filter(Q(teacher_left_at=None) | Q(observed_at__lt=F("teacher_left_at")))
    )
    for observation in (
        observations.select_related("observer", "seat_map")
        .prefetch_related(
            "notes",
            "tallies",
            "seat_taps",
            Prefetch("look_fors", queryset=ChosenLookFor.objects.select_related("chosen_by")),
            Prefetch(
                "responses",
                queryset=ObservationResponse.objects.filter(teacher=teacher),
                to_attr="my_responses",
            ),
        )
        .order_by("observed_at")
    ):
        found[observation.cycle_id].append(observation)
    return found


# A coach's comment bank is theirs alone: another person's phrase does not exist (404).
def comment_bank_of(user: User) -> QuerySet[CommentBankPhrase]:
    if not user.is_authenticated:
        return CommentBankPhrase.objects.none()
    return CommentBankPhrase.objects.filter(coach=user)


def get_phrase(user: User, pk: UUID) -> CommentBankPhrase:
    return get_object_or_404(comment_bank_of(user), pk=pk)


def comment_bank_grouped(user: User) -> list[tuple[str, str, list[CommentBankPhrase]]]:
    """The person's phrases under each kind, in the feedback form's order: (the form's
    field, its heading, the phrases), every kind listed even when it has none."""
    phrases = list(comment_bank_of(user))
    Kind = CommentBankPhrase.Kind
    headings = {
        Kind.STRENGTHS: _("Strengths"),
        Kind.WONDERINGS: _("Wonderings"),
        Kind.NEXT_STEPS: _("Next steps"),
    }
    return [(kind.value, headings[kind], [p for p in phrases if p.kind == kind]) for kind in Kind]
