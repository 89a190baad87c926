"""Reads of coaching records, always scoped to the person asking.

Every read of a partnership, meeting, next step or note starts from
`partnerships_visible_to`, so the evaluator-isolation rule lives in one place.
"""

import datetime
from collections.abc import Iterable
from uuid import UUID

from django.db.models import Model, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404

from accounts.models import Membership, School, User
from accounts.selectors import administered_schools, schools_where
from core.translated import Text

from .models import ActivityEntry, CoachNote, Meeting, NextStep, Partnership, PartnershipMember

Member = PartnershipMember.Status

MEMBERS_WITH_TEACHERS = Prefetch(
    "members", queryset=PartnershipMember.objects.select_related("teacher").with_presence()
)


def members_with_teachers(path: str) -> Prefetch:
    """MEMBERS_WITH_TEACHERS of a partnership reached through `path` ("partnership")."""
    return Prefetch(f"{path}__members", queryset=MEMBERS_WITH_TEACHERS.queryset)


# A teacher who left a team before leaving the school took part in it all the same.
TOOK_PART = [Member.ACCEPTED, Member.LEFT]
# Partnerships where work goes on, or will once resumed.
RUNNING = [Partnership.Status.ACTIVE, Partnership.Status.PAUSED]


def took_part_in_a_partnership(user: User) -> bool:
    """Whether a teacher was ever in a partnership, so has records of their own to take away."""
    return PartnershipMember.objects.filter(teacher=user, status__in=TOOK_PART).exists()


def left_at(teacher: User, partnership_field: str) -> Subquery:
    """When `teacher` left the partnership at `partnership_field` (None while they are in it).
    What they take away holds what they were part of until then and nothing after."""
    return Subquery(
        PartnershipMember.objects.filter(
            teacher=teacher, partnership=OuterRef(partnership_field)
        ).values("left_at")[:1]
    )


def before_leaving(moment: datetime.datetime, left: datetime.datetime | None) -> bool:
    return left is None or moment < left


def partnerships_taken_part_in(teacher: User) -> QuerySet[Partnership]:
    """The teacher's own partnerships for their records: closed ones and ones they left
    included, wherever they are now; each with `left_at`, the teacher's."""
    joined = PartnershipMember.objects.filter(teacher=teacher, status__in=TOOK_PART)
    return (
        Partnership.objects.filter(pk__in=joined.values("partnership_id"))
        .annotate(left_at=left_at(teacher, "pk"))
        .select_related("coach", "school")
        .prefetch_related(
            Prefetch("members", queryset=PartnershipMember.objects.select_related("teacher"))
        )
        .order_by("created_at")
    )


def meetings_while_in(partnership: Partnership) -> list[Meeting]:
    """The meetings of a partnership from `partnerships_taken_part_in`, until its teacher left."""
    return meetings_while_in_each([partnership])[partnership.pk]


def meetings_while_in_each(partnerships: Iterable[Partnership]) -> dict[UUID, list[Meeting]]:
    """`meetings_while_in` for many partnerships at once (one query), by partnership id."""
    left = {p.pk: when_left(p) for p in partnerships}
    found: dict[UUID, list[Meeting]] = {pk: [] for pk in left}
    for m in Meeting.objects.filter(partnership__in=list(left)).order_by("starts_at"):
        if before_leaving(m.starts_at, left[m.partnership_id]):
            found[m.partnership_id].append(m)
    return found


def next_steps_while_in(partnership: Partnership) -> list[NextStep]:
    return next_steps_while_in_each([partnership])[partnership.pk]


def next_steps_while_in_each(partnerships: Iterable[Partnership]) -> dict[UUID, list[NextStep]]:
    left = {p.pk: when_left(p) for p in partnerships}
    found: dict[UUID, list[NextStep]] = {pk: [] for pk in left}
    for s in NextStep.objects.filter(partnership__in=list(left)).order_by("created_at"):
        if before_leaving(s.created_at, left[s.partnership_id]):
            found[s.partnership_id].append(s)
    return found


def when_left(record: Model) -> datetime.datetime | None:
    """The `left_at` that `partnerships_taken_part_in` (or `cycles_taken_part_in`) gave a
    record: when the teacher left its partnership, or None."""
    return getattr(record, "left_at", None)


def partnerships_visible_to(user: User, *, with_invitations: bool = False) -> QuerySet[Partnership]:
    """Partnerships the user coaches (at a school where they still coach) or has joined.

    With `with_invitations`, also those the user is invited to and has not answered. A
    school the user administers is excluded whatever else they are there: failing closed.
    """
    if not user.is_authenticated:
        return Partnership.objects.none()
    # A teacher who left the partnership, or the school, no longer reads it (leaving means
    # leaving); what they were part of stays theirs in "My records".
    statuses = [Member.ACCEPTED, Member.INVITED] if with_invitations else [Member.ACCEPTED]
    places = PartnershipMember.objects.filter(teacher=user, status__in=statuses).at_their_school()
    return Partnership.objects.filter(
        Q(coach=user, school__in=schools_where(user, Membership.Role.COACH).values("pk"))
        | Q(pk__in=places.values("partnership_id"))
    ).exclude(school__in=administered_schools(user).values("pk"))


def get_partnership(user: User, pk: UUID, *, with_invitations: bool = False) -> Partnership:
    queryset = partnerships_visible_to(user, with_invitations=with_invitations)
    return get_object_or_404(
        queryset.select_related("school", "coach").prefetch_related(MEMBERS_WITH_TEACHERS), pk=pk
    )


def get_meeting(user: User, pk: UUID) -> Meeting:
    return get_object_or_404(
        Meeting.objects.filter(partnership__in=partnerships_visible_to(user))
        .select_related("partnership__school", "partnership__coach", "activity_entry")
        .prefetch_related(members_with_teachers("partnership")),
        pk=pk,
    )


def get_next_step(user: User, pk: UUID) -> NextStep:
    return get_object_or_404(
        NextStep.objects.filter(partnership__in=partnerships_visible_to(user))
        .select_related("partnership__coach")
        .prefetch_related(members_with_teachers("partnership")),
        pk=pk,
    )


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """Every meeting of the partnerships the user can see (for search across them)."""
    return Meeting.objects.filter(partnership__in=partnerships_visible_to(user))


def next_steps_visible_to(user: User) -> QuerySet[NextStep]:
    return NextStep.objects.filter(partnership__in=partnerships_visible_to(user))


def coach_notes_visible_to(user: User) -> QuerySet[CoachNote]:
    # As `coach_notes_of`: the author's alone, and only in partnerships they still see.
    return CoachNote.objects.filter(coach=user, partnership__in=partnerships_visible_to(user))


def meetings_of(partnership: Partnership) -> QuerySet[Meeting]:
    return partnership.meetings.all()


def next_steps_of(partnership: Partnership) -> QuerySet[NextStep]:
    return partnership.next_steps.select_related("meeting")


def coach_notes_of(user: User, partnership: Partnership) -> QuerySet[CoachNote]:
    # Notes are the author's alone: even a later coach of the partnership never reads them.
    return CoachNote.objects.filter(coach=user, partnership=partnership)


def partnership_ids_at(user: User, school: School, *, as_role: str) -> list:
    """Ids of the user's partnerships at a school, as its coach or as a teacher in it.

    Fetched once per home page; the page's other lists filter on these ids, which is far
    cheaper than rebuilding the scope as a subquery in each of them.
    """
    partnerships = partnerships_visible_to(user).filter(school=school)
    if as_role == Membership.Role.COACH:
        partnerships = partnerships.filter(coach=user)
    else:
        partnerships = partnerships.exclude(coach=user)
    return list(partnerships.values_list("pk", flat=True))


def running_partnerships_in(partnership_ids: Iterable[UUID]) -> list:
    """The active and paused partnerships among these, each with its status and its
    coach's name: what a teacher's home says of them while no cycle is under way."""
    return list(
        Partnership.objects.filter(pk__in=partnership_ids, status__in=RUNNING)
        .order_by("coach__full_name")
        .values("status", "coach__full_name")
    )


def open_next_steps_in(partnership_ids: Iterable[UUID]) -> QuerySet[NextStep]:
    """Next steps not yet done in running partnerships among these, soonest first."""
    return (
        NextStep.objects.filter(
            partnership_id__in=partnership_ids,
            partnership__status__in=RUNNING,
            done_at__isnull=True,
        )
        .select_related("partnership")
        .order_by("due_on", "created_at")
    )


def upcoming_meetings_in(
    partnership_ids: Iterable[UUID], *, now: datetime.datetime
) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(
            partnership_id__in=partnership_ids, starts_at__gte=now, held_at__isnull=True
        )
        .select_related("partnership")
        .order_by("starts_at")
    )


def activity_of(user: User, school: School) -> QuerySet[ActivityEntry]:
    return (
        ActivityEntry.objects.filter(coach=user, school=school)
        .select_related("partnership")
        .prefetch_related(
            Prefetch(
                "partnership__members",
                queryset=PartnershipMember.objects.select_related("teacher"),
            )
        )
    )


def get_activity_entry(user: User, school: School, pk: UUID) -> ActivityEntry:
    return get_object_or_404(activity_of(user, school), pk=pk)


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def minutes_by_kind(
    user: User, school: School, *, first_day: datetime.date, last_day: datetime.date
) -> list[tuple[Text, int]]:
    """The coach's minutes per activity kind between two days, every kind listed."""
    totals = dict(
        activity_of(user, school)
        .filter(date__range=(first_day, last_day))
        .order_by()
        .values_list("kind")
        .annotate(total=Sum("minutes"))
    )
    return [(label, totals.get(kind, 0)) for kind, label in ActivityEntry.Kind.choices]


def teachers_partnered_with(coach: User, school: School) -> dict[int, str]:
    """The teachers at `school` already in one of the coach's open partnerships, or invited
    to one and not yet answering: teacher id to their place's status (Member).

    Only the coach's own partnerships: whether another coach coaches a teacher is that
    partnership's business, and is never said to anyone outside it (DESIGN §3)."""
    places = PartnershipMember.objects.filter(
        partnership__coach=coach,
        partnership__school=school,
        status__in=[Member.ACCEPTED, Member.INVITED],
    ).exclude(partnership__status=Partnership.Status.CLOSED)
    partnered: dict[int, str] = {}
    for teacher_id, status in places.values_list("teacher_id", "status"):
        # In one partnership and invited to another: the partnership says the most.
        if partnered.get(teacher_id) != Member.ACCEPTED:
            partnered[teacher_id] = status
    return partnered


def invitations_for(user: User) -> QuerySet[PartnershipMember]:
    """Invitations the teacher has not answered yet, in partnerships still open."""
    return (
        PartnershipMember.objects.filter(teacher=user, status=Member.INVITED)
        .exclude(partnership__status=Partnership.Status.CLOSED)
        .exclude(partnership__school__in=administered_schools(user).values("pk"))
    )
