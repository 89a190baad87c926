"""Who the cluster run signs in as, and what each opens: every coach of the generated
district with their cycle and a lesson they shared, teachers of those coaches with their
own cycle, and the district's administrator, who reads the report."""

from dataclasses import dataclass

from accounts.models import District, Membership, User
from coaching.models import Partnership, PartnershipMember
from cycles.models import Cycle
from devdata.scale.generate import MAIN_DISTRICT
from observations.models import Observation


@dataclass
class Person:
    user: User
    role: str
    paths: list[str]  # opened one after another, round and round


def _open_cycles(**where):
    return (
        Cycle.objects.filter(partnership__status=Partnership.Status.ACTIVE, **where)
        .exclude(phase=Cycle.Phase.CLOSED)
        .order_by("-started_on", "pk")
    )


def coaches_and_teachers(teachers: int) -> tuple[list[Person], District]:
    district = District.objects.get(name=MAIN_DISTRICT[0])
    coaches = User.objects.filter(
        memberships__school__district=district, memberships__role=Membership.Role.COACH
    ).distinct()
    people, taught = [], []
    for coach in coaches.order_by("pk"):
        cycle = _open_cycles(partnership__coach=coach).first()
        shared = (
            Observation.objects.filter(observer=coach, status=Observation.Status.SHARED)
            .order_by("-observed_at")
            .first()
        )
        if cycle is None or shared is None:
            continue
        people.append(
            Person(
                coach, "coach", ["/coach/", f"/cycles/{cycle.pk}/", f"/observations/{shared.pk}/"]
            )
        )
        taught.append(coach)
    members = (
        PartnershipMember.objects.filter(
            status=PartnershipMember.Status.ACCEPTED,
            partnership__coach__in=taught,
            partnership__status=Partnership.Status.ACTIVE,
        )
        .select_related("teacher")
        .order_by("pk")
    )
    seen = set()
    for member in members:
        if len(seen) == teachers:
            break
        cycle = _open_cycles(partnership=member.partnership_id).first()
        if member.teacher_id in seen or cycle is None:
            continue
        seen.add(member.teacher_id)
        people.append(Person(member.teacher, "teacher", ["/teacher/", f"/cycles/{cycle.pk}/"]))
    if not taught or not seen:
        raise RuntimeError("The generated district has no coach or teacher with an open cycle.")
    return people, district


def district_admin(district: District) -> User:
    return (
        Membership.objects.filter(district=district, role=Membership.Role.DISTRICT_ADMIN)
        .order_by("pk")
        .select_related("user")
        .first()
        .user
    )
