"""Reads of coaching records, always scoped to the person asking.

Every read of a partnership, meeting, next step or note starts from
`partnerships_visible_to`, so the evaluator-isolation rule lives in one place.
"""

import datetime

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from accounts.models import Membership
from accounts.selectors import administered_schools, schools_where

from .models import ActivityEntry, CoachNote, Meeting, NextStep, Partnership, PartnershipMember

Member = PartnershipMember.Status

MEMBERS_WITH_TEACHERS = Prefetch(
    "members", queryset=PartnershipMember.objects.select_related("teacher")
)


def partnerships_visible_to(user, *, with_invitations=False) -> QuerySet[Partnership]:
    """Partnerships the user coaches (at a school where they still coach) or has joined.

    With `with_invitations`, also those the user is invited to and has not answered. A
    school the user administers is excluded whatever else they are there: failing closed.
    """
    if not user.is_authenticated:
        return Partnership.objects.none()
    statuses = [Member.ACCEPTED, Member.INVITED] if with_invitations else [Member.ACCEPTED]
    places = PartnershipMember.objects.filter(teacher=user, status__in=statuses)
    return Partnership.objects.filter(
        Q(coach=user, school__in=schools_where(user, Membership.Role.COACH).values("pk"))
        | Q(pk__in=places.values("partnership_id"))
    ).exclude(school__in=administered_schools(user).values("pk"))


def get_partnership(user, pk, *, with_invitations=False) -> Partnership:
    queryset = partnerships_visible_to(user, with_invitations=with_invitations)
    return get_object_or_404(
        queryset.select_related("school", "coach").prefetch_related(MEMBERS_WITH_TEACHERS), pk=pk
    )


def get_meeting(user, pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.filter(partnership__in=partnerships_visible_to(user))
        .select_related("partnership__school", "partnership__coach", "activity_entry")
        .prefetch_related("partnership__members__teacher"),
        pk=pk,
    )


def get_next_step(user, pk) -> NextStep:
    return get_object_or_404(
        NextStep.objects.filter(partnership__in=partnerships_visible_to(user))
        .select_related("partnership__coach")
        .prefetch_related("partnership__members__teacher"),
        pk=pk,
    )


def meetings_of(partnership) -> QuerySet[Meeting]:
    return partnership.meetings.all()


def next_steps_of(partnership) -> QuerySet[NextStep]:
    return partnership.next_steps.select_related("meeting")


def coach_notes_of(user, partnership) -> QuerySet[CoachNote]:
    # Notes are the author's alone: even a later coach of the partnership never reads them.
    return CoachNote.objects.filter(coach=user, partnership=partnership)


def partnership_ids_at(user, school, *, as_role) -> list:
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


def open_next_steps_in(partnership_ids) -> QuerySet[NextStep]:
    """Next steps not yet done in running partnerships among these, soonest first."""
    return (
        NextStep.objects.filter(
            partnership_id__in=partnership_ids,
            partnership__status__in=[Partnership.Status.ACTIVE, Partnership.Status.PAUSED],
            done_at__isnull=True,
        )
        .select_related("partnership")
        .prefetch_related("partnership__members")  # who may tick each step
        .order_by("due_on", "created_at")
    )


def upcoming_meetings_in(partnership_ids, *, now) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(
            partnership_id__in=partnership_ids, starts_at__gte=now, held_at__isnull=True
        )
        .select_related("partnership")
        .order_by("starts_at")
    )


def activity_of(user, school) -> QuerySet[ActivityEntry]:
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


def get_activity_entry(user, school, pk) -> ActivityEntry:
    return get_object_or_404(activity_of(user, school), pk=pk)


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def minutes_by_kind(user, school, *, first_day, last_day) -> list[tuple[str, int]]:
    """The coach's minutes per activity kind between two days, every kind listed."""
    totals = dict(
        activity_of(user, school)
        .filter(date__range=(first_day, last_day))
        .order_by()
        .values_list("kind")
        .annotate(total=Sum("minutes"))
    )
    return [(label, totals.get(kind, 0)) for kind, label in ActivityEntry.Kind.choices]


def invitations_for(user) -> QuerySet[PartnershipMember]:
    """Invitations the teacher has not answered yet, in partnerships still open."""
    return (
        PartnershipMember.objects.filter(teacher=user, status=Member.INVITED)
        .exclude(partnership__status=Partnership.Status.CLOSED)
        .exclude(partnership__school__in=administered_schools(user).values("pk"))
        .select_related("partnership__coach", "partnership__school")
    )
