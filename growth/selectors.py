"""Reads of coaches' growth: who a lead may support, whom they support, and a coach's
growth records as the coach or their lead reads them. What is not theirs is 404.

Evaluator isolation holds for coaches too: a person who administers (or teaches at) a school
where a coach coaches is never that coach's lead, whatever roles they hold, and a support
that comes to break the rule (a new administrator's role, say) stops being read at once.
"""

import datetime
from collections import Counter
from collections.abc import Sequence
from uuid import UUID

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Membership, School, User
from accounts.selectors import administered_schools
from coaching.models import ActivityEntry, Partnership, PartnershipMember
from core.translated import Text
from cycles.models import Cycle
from observations.selectors import responses_waiting_in

from .models import (
    Competency,
    GrowthCycle,
    GrowthMeeting,
    GrowthReflection,
    GrowthStep,
    LeadSupport,
)

Role = Membership.Role
OPEN = [LeadSupport.Status.OFFERED, LeadSupport.Status.ACTIVE]


def lead_schools(lead: User) -> QuerySet[School]:
    """The schools whose coaches a lead supports: where they hold the role, or every school
    of a district where they hold it."""
    roles = Membership.objects.filter(user=lead, role=Role.LEAD_COACH)
    return School.objects.filter(
        Q(pk__in=roles.values("school_id")) | Q(district__in=roles.values("district_id"))
    )


def coaches_within_reach(lead: User) -> QuerySet[User]:
    """Coaches the lead may support now: coaching at one of the lead's schools, on an open
    account, and not the lead themselves; and at no school where the lead administers (an
    evaluator) or teaches (a colleague of the teachers whose answers the lead would read)."""
    taught = Membership.objects.filter(user=lead, role=Role.TEACHER).values("school_id")
    isolated = (
        Membership.objects.filter(role=Role.COACH)
        .filter(Q(school__in=administered_schools(lead)) | Q(school__in=taught))
        .values("user_id")
    )
    coaching_here = Membership.objects.filter(
        role=Role.COACH, school__in=lead_schools(lead)
    ).values("user_id")
    return (
        User.objects.filter(is_active=True, pk__in=coaching_here)
        .exclude(pk__in=isolated)
        .exclude(pk=lead.pk)
        .order_by("full_name")
    )


def coaches_to_offer(lead: User) -> QuerySet[User]:
    """Coaches in reach who have no lead yet and no offer of this lead's waiting."""
    taken = LeadSupport.objects.filter(
        Q(status=LeadSupport.Status.ACTIVE) | Q(lead=lead, status=LeadSupport.Status.OFFERED)
    ).values("coach_id")
    return coaches_within_reach(lead).exclude(pk__in=taken)


def supports_of(lead: User) -> QuerySet[LeadSupport]:
    """The coaches the lead supports, and those they offered to support, still in reach."""
    return (
        LeadSupport.objects.filter(lead=lead, status__in=OPEN, coach__in=coaches_within_reach(lead))
        .select_related("coach")
        .order_by("status", "coach__full_name")
    )


def get_support(lead: User, pk: UUID) -> LeadSupport:
    """A coach the lead supports now: an offer not yet accepted shows nothing of the coach."""
    return get_object_or_404(supports_of(lead).filter(status=LeadSupport.Status.ACTIVE), pk=pk)


def get_support_of_party(user: User, pk: UUID) -> LeadSupport:
    """An offer or support the user is the lead or the coach of, to end it."""
    return get_object_or_404(
        LeadSupport.objects.filter(Q(lead=user) | Q(coach=user)), pk=pk, status__in=OPEN
    )


def _in_reach(support: LeadSupport) -> bool:
    return coaches_within_reach(support.lead).filter(pk=support.coach_id).exists()


def lead_of(coach: User) -> LeadSupport | None:
    """The coach's lead, while they support the coach and may."""
    support = (
        LeadSupport.objects.filter(coach=coach, status=LeadSupport.Status.ACTIVE)
        .select_related("lead")
        .first()
    )
    return support if support and _in_reach(support) else None


def offers_to(coach: User) -> list[LeadSupport]:
    """Leads offering to support the coach, not yet answered."""
    offers = LeadSupport.objects.filter(coach=coach, status=LeadSupport.Status.OFFERED)
    return [offer for offer in offers.select_related("lead") if _in_reach(offer)]


def get_offer(coach: User, pk: UUID) -> LeadSupport:
    offer = get_object_or_404(
        LeadSupport.objects.select_related("lead"), pk=pk, coach=coach, status__in=OPEN
    )
    if not _in_reach(offer):
        raise Http404
    return offer


def supports_led_now(lead: User) -> QuerySet[LeadSupport]:
    """The lead's supports under way, of coaches still in reach."""
    return LeadSupport.objects.filter(lead=lead, status=LeadSupport.Status.ACTIVE).filter(
        coach__in=coaches_within_reach(lead)
    )


def growth_cycles_readable_by(user: User) -> QuerySet[GrowthCycle]:
    """The coach's own growth cycles; and, of a coach the user leads now, the one under way
    and those that went on while the user led them (a new lead starts from now)."""
    led = Q()
    for coach, started_at in supports_led_now(user).values_list("coach_id", "started_at"):
        since = started_at.date() if started_at else None
        led |= Q(coach=coach) & (Q(closed_on=None) | Q(closed_on__gte=since))
    return (
        GrowthCycle.objects.filter(Q(coach=user) | led)
        if led
        else GrowthCycle.objects.filter(coach=user)
    )


def get_growth_cycle(user: User, pk: UUID) -> GrowthCycle:
    return get_object_or_404(
        growth_cycles_readable_by(user).select_related("coach", "competency"), pk=pk
    )


def growth_cycles_of(user: User, coach: User) -> QuerySet[GrowthCycle]:
    """A coach's growth cycles that `user` (the coach, or their lead) reads, newest first."""
    return growth_cycles_readable_by(user).filter(coach=coach).select_related("competency")


def _theirs_with(user: User) -> Q:
    """What of a growth cycle a lead reads: what was written in their support, now."""
    return Q(support__lead=user, support__status=LeadSupport.Status.ACTIVE)


def reflections_for(user: User, cycle: GrowthCycle) -> QuerySet[GrowthReflection]:
    """The coach reads all their reflections; their lead only those shared with them."""
    reflections = cycle.reflections.select_related("answered_by", "shared_with__lead")
    if cycle.coach_id == user.id:
        return reflections
    return reflections.filter(shared_with__lead=user, shared_with__status=LeadSupport.Status.ACTIVE)


def meetings_for(user: User, cycle: GrowthCycle) -> QuerySet[GrowthMeeting]:
    """The coach reads all their conversations; a lead those held in their support."""
    meetings = cycle.meetings.select_related("written_by")
    return meetings if cycle.coach_id == user.id else meetings.filter(_theirs_with(user))


def get_reflection(user: User, pk: UUID) -> GrowthReflection:
    reflection = get_object_or_404(
        GrowthReflection.objects.filter(cycle__in=growth_cycles_readable_by(user)).select_related(
            "cycle", "shared_with"
        ),
        pk=pk,
    )
    if (
        reflection.cycle.coach_id != user.id
        and not reflections_for(user, reflection.cycle).filter(pk=reflection.pk).exists()
    ):
        raise Http404
    return reflection


def get_meeting(user: User, pk: UUID) -> GrowthMeeting:
    meeting = get_object_or_404(
        GrowthMeeting.objects.filter(cycle__in=growth_cycles_readable_by(user)).select_related(
            "cycle"
        ),
        pk=pk,
    )
    if not meetings_for(user, meeting.cycle).filter(pk=meeting.pk).exists():
        raise Http404
    return meeting


def get_growth_step(user: User, pk: UUID) -> GrowthStep:
    return get_object_or_404(
        GrowthStep.objects.filter(cycle__in=growth_cycles_readable_by(user)).select_related(
            "cycle"
        ),
        pk=pk,
    )


def competencies_for(coach: User) -> QuerySet[Competency]:
    """The competencies of the districts the coach coaches in."""
    districts = Membership.objects.filter(user=coach, role=Role.COACH).values("school__district_id")
    return Competency.objects.filter(district__in=districts)


def home_school(coach: User) -> School | None:
    """The school whose time the coach's growth is dated in: the first they coach at. A
    lead at the district has no school of their own; the coach's days are what count."""
    return (
        School.objects.filter(memberships__user=coach, memberships__role=Role.COACH)
        .order_by("memberships__pk")
        .first()
    )


def school_year_start(today: datetime.date) -> datetime.date:
    return datetime.date(today.year if today.month >= 8 else today.year - 1, 8, 1)


def _by_key_if_enough(rows: list[tuple[str, set]], keys: Sequence[tuple[str, Text]]) -> dict | None:
    """Counts of cycles by key, when the cycles counted concern at least REPORT_MIN_GROUP
    different teachers; None otherwise (a lead never learns how a few teachers fared)."""
    teachers = set().union(*(t for _, t in rows)) if rows else set()
    if len(teachers) < settings.REPORT_MIN_GROUP:
        return None
    counted = Counter(key for key, _ in rows)
    return {"rows": [(label, counted[key]) for key, label in keys], "total": len(rows)}


def activity_figures(coach: User, today: datetime.date, schools: QuerySet[School]) -> dict:
    """What a lead sees of a coach's work this school year at `schools` (the lead's): their
    time by kind, their cycles by phase and by outcome (over enough teachers), and how many
    teachers' answers to feedback wait for them. Never a teacher's name, goal or
    observation."""
    since = school_year_start(today)
    minutes = dict(
        ActivityEntry.objects.filter(coach=coach, school__in=schools)
        .filter(date__gte=since, date__lte=today)
        .order_by()
        .values_list("kind")
        .annotate(total=Sum("minutes"))
    )
    kinds = [(label, minutes.get(kind, 0)) for kind, label in ActivityEntry.Kind.choices]
    partnerships = Partnership.objects.filter(coach=coach, school__in=schools)
    cycles = list(
        Cycle.objects.filter(partnership__in=partnerships)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=since))
        .order_by()
        .values_list("partnership_id", "phase", "outcome")
    )
    teachers: dict = {}
    for partnership, teacher in PartnershipMember.objects.filter(
        partnership__in={p for p, _, _ in cycles}, status=PartnershipMember.Status.ACCEPTED
    ).values_list("partnership_id", "teacher_id"):
        teachers.setdefault(partnership, set()).add(teacher)
    open_rows = [(phase, teachers.get(p, set())) for p, phase, _ in cycles if phase != "closed"]
    closed_rows = [
        (outcome, teachers.get(p, set())) for p, phase, outcome in cycles if phase == "closed"
    ]
    return {
        "since": since,
        "minutes": kinds,
        "minutes_total": sum(m for _, m in kinds),
        "phases": _by_key_if_enough(open_rows, Cycle.Phase.choices[:-1]),
        "outcomes": _by_key_if_enough(closed_rows, Cycle.Outcome.choices),
        "answers_waiting": responses_waiting_in(
            coach, partnerships.values_list("pk", flat=True)
        ).count(),
        "min_group": settings.REPORT_MIN_GROUP,
    }
