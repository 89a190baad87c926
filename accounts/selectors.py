"""Reads of people, places and roles."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from .models import District, Membership, RoleInvitation, School, User

# When a person holds several roles, the one shown first is the one they most likely came for.
ROLE_ORDER: list[str] = [
    Membership.Role.COACH,
    Membership.Role.TEACHER,
    Membership.Role.SCHOOL_ADMIN,
    Membership.Role.DISTRICT_ADMIN,
    Membership.Role.LEAD_COACH,
]


def memberships_of(user: User) -> list[Membership]:
    """Every role the user holds, in the order the role switcher lists them."""
    memberships = Membership.objects.filter(user=user).select_related("school", "district")
    return sorted(memberships, key=lambda m: (ROLE_ORDER.index(m.role), m.pk))


def choose_active_membership(
    memberships: list[Membership], chosen_id: int | None
) -> Membership | None:
    """The membership chosen in the switcher, or the first one when none (or a stale one) is."""
    for membership in memberships:
        if membership.pk == chosen_id:
            return membership
    return memberships[0] if memberships else None


def administered_schools(user: User) -> QuerySet[School]:
    """Schools the user administers, directly or as administrator of their district.

    Coaching records at these schools are closed to the user whatever other role they hold:
    an evaluator must never read the coaching of a teacher they evaluate.
    """
    # Two semi-joins on the user's own memberships: an OR across two joins made PostgreSQL
    # pair every school with every membership before filtering (13-17 ms at district scale).
    roles = Membership.objects.filter(user=user)
    return School.objects.filter(
        Q(pk__in=roles.filter(role=Membership.Role.SCHOOL_ADMIN).values("school_id"))
        | Q(district__in=roles.filter(role=Membership.Role.DISTRICT_ADMIN).values("district_id"))
    )


def administered_districts(user: User) -> QuerySet[District]:
    return District.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.DISTRICT_ADMIN
    )


def schools_where(user: User, role: str) -> QuerySet[School]:
    return School.objects.filter(memberships__user=user, memberships__role=role)


def teachers_at(school: School) -> QuerySet[User]:
    """Teachers of a school who may be coached there: administrators of it are left out."""
    admins = User.objects.filter(
        Q(memberships__school=school, memberships__role=Membership.Role.SCHOOL_ADMIN)
        | Q(
            memberships__district=school.district_id,
            memberships__role=Membership.Role.DISTRICT_ADMIN,
        )
    )
    return (
        User.objects.filter(
            is_active=True, memberships__school=school, memberships__role=Membership.Role.TEACHER
        )
        .exclude(pk__in=admins.values("pk"))
        .order_by("full_name")
    )


def roles_in(schools: Iterable[School], districts: Iterable[District]) -> QuerySet[Membership]:
    """The roles held at these schools or districts: what their administrators manage."""
    return Membership.objects.filter(Q(school__in=schools) | Q(district__in=districts))


def people_in(schools: Iterable[School], districts: Iterable[District]) -> QuerySet[User]:
    """Everyone with a role at these schools or districts, by name; each carries the roles
    they hold there as `roles_here`. The people pages of their administrators read this."""
    here = roles_in(schools, districts).select_related("school", "district")
    # A semi-join rather than a join and DISTINCT over every column of 10,000 people.
    return (
        User.objects.filter(pk__in=roles_in(schools, districts).values("user_id"))
        .order_by("full_name")
        .prefetch_related(Prefetch("memberships", queryset=here, to_attr="roles_here"))
    )


def sign_in_locked(user: User) -> bool:
    """Whether failed sign-ins have locked this person out from some address just now."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        username=user.email,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=since,
    ).exists()


def invitations_waiting_for(user: User) -> QuerySet:
    """Roles offered to this person that they have not yet answered."""
    return user.role_invitations.filter(status=RoleInvitation.Status.PENDING).select_related(
        "school", "district", "invited_by"
    )


def invitations_on_the_people_page(
    schools: Iterable[School], districts: Iterable[District]
) -> QuerySet:
    """Invitations waiting for an answer, and those declined in the last 30 days: the same
    for a new person (who declines through their welcome link) and for anyone else."""
    declined_since = timezone.now() - datetime.timedelta(days=30)
    return (
        RoleInvitation.objects.filter(Q(school__in=schools) | Q(district__in=districts))
        .filter(
            Q(status=RoleInvitation.Status.PENDING)
            | Q(status=RoleInvitation.Status.DECLINED, answered_at__gte=declined_since)
        )
        .select_related("school", "district", "user")
    )


def invitations_waiting_at(schools: Iterable[School], districts: Iterable[District]) -> QuerySet:
    """Roles the administrator's schools offered, not yet answered: to new people and to
    people of other districts alike."""
    return RoleInvitation.objects.filter(
        Q(school__in=schools) | Q(district__in=districts),
        status=RoleInvitation.Status.PENDING,
    ).select_related("school", "district")


def person_for_first_district_sign_in(email: str) -> User | None:
    """The person a district account's first sign-in is linked to: someone Tandem already
    has at that address, given a role or invited to one by an administrator, or brought in
    by a roster. Nobody else, so that signing in never adds anyone."""
    return (
        User.objects.filter(email__iexact=email.strip())
        .filter(
            Q(memberships__isnull=False) | Q(role_invitations__status=RoleInvitation.Status.PENDING)
        )
        .distinct()
        .first()
    )
