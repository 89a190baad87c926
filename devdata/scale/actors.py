"""Who the benchmark signs in as, and which records it opens: real people and records of
the generated district, found the same way by `seed_scale` (which prints them) and
`bench`."""

from dataclasses import dataclass

from accounts.models import District, Membership, School, User
from coaching.models import Partnership, PartnershipMember
from cycles.models import Cycle
from observations.models import Observation

from .generate import MAIN_DISTRICT

Role = Membership.Role


@dataclass
class Actors:
    district: District
    school: School
    coach: User  # the first coach of the first school: the heavy one
    teacher: User  # in one of the coach's partnerships, in the improve phase if any is
    school_admin: User
    district_admin: User
    cycle: Cycle | None  # that teacher's open cycle
    observation: Observation | None  # shared, of that cycle
    draft: Observation | None  # the coach's newest draft, for the capture page


def _first_user(**where) -> User:
    return Membership.objects.filter(**where).order_by("pk").select_related("user").first().user


def find() -> Actors:
    """The people and records; at the smallest sizes some records may be missing (None)."""
    district = District.objects.get(name=MAIN_DISTRICT[0])
    school = School.objects.filter(district=district).order_by("pk").first()
    coach = _first_user(school=school, role=Role.COACH)
    active = Partnership.objects.filter(
        coach=coach, school=school, status=Partnership.Status.ACTIVE
    )
    cycles = Cycle.objects.filter(partnership__in=active).order_by("-started_on", "pk")
    cycle = (
        cycles.filter(phase=Cycle.Phase.IMPROVE, observations__status="shared").first()
        or cycles.exclude(phase=Cycle.Phase.CLOSED).first()
    )
    members = PartnershipMember.objects.filter(status=PartnershipMember.Status.ACCEPTED)
    if cycle is not None:
        members = members.filter(partnership=cycle.partnership_id)
    member = members.order_by("pk").select_related("teacher").first()
    observations = Observation.objects.filter(cycle=cycle).order_by("-observed_at")
    drafts = Observation.objects.filter(
        observer=coach, status=Observation.Status.DRAFT, cycle__partnership__in=active
    ).order_by("-observed_at")
    return Actors(
        district=district,
        school=school,
        coach=coach,
        teacher=member.teacher if member else _first_user(role=Role.TEACHER),
        school_admin=_first_user(school=school, role=Role.SCHOOL_ADMIN),
        district_admin=_first_user(district=district, role=Role.DISTRICT_ADMIN),
        cycle=cycle,
        observation=observations.filter(status=Observation.Status.SHARED).first(),
        draft=drafts.first(),
    )
