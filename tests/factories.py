import datetime
import uuid
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from accounts.models import District, Membership, School, Term, User
from accounts.security import two_step_required
from coaching.models import (
    ActivityEntry,
    CoachNote,
    Meeting,
    NextStep,
    Partnership,
    PartnershipMember,
)
from cycles.models import Cycle, FocusArea, Goal, ProgressPoint, Reflection, Strategy
from observations.models import (
    ChosenLookFor,
    CommentBankPhrase,
    LookFor,
    LookForTemplate,
    Observation,
    ObservationNote,
    SeatMap,
    SeatTap,
    Tally,
)
from video.models import Video, VideoComment, video_storage


def sign_in(client, user):
    """Sign a test client in as `user`, second step included for those who need one."""
    client.force_login(user)
    if two_step_required(user, list(user.memberships.all())):
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="Test app", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "a-good-password")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"District {n}")


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    time_zone = "America/Chicago"


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Term {n}")
    starts_on = datetime.date(2026, 8, 17)
    ends_on = datetime.date(2026, 12, 18)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Membership.Role.TEACHER
    school = factory.SubFactory(SchoolFactory)
    district = None


def coach_at(school, **kwargs):
    return MembershipFactory(role=Membership.Role.COACH, school=school, **kwargs).user


def teacher_at(school, **kwargs):
    return MembershipFactory(role=Membership.Role.TEACHER, school=school, **kwargs).user


def school_admin_at(school, **kwargs):
    return MembershipFactory(role=Membership.Role.SCHOOL_ADMIN, school=school, **kwargs).user


def district_admin_of(district, **kwargs):
    return MembershipFactory(
        role=Membership.Role.DISTRICT_ADMIN, school=None, district=district, **kwargs
    ).user


def lead_of_district(district, **kwargs):
    """A lead coach of every school of the district."""
    return MembershipFactory(
        role=Membership.Role.LEAD_COACH, school=None, district=district, **kwargs
    ).user


def lead_at(school, **kwargs):
    return MembershipFactory(role=Membership.Role.LEAD_COACH, school=school, **kwargs).user


# Coaching ---------------------------------------------------------------------


class PartnershipFactory(DjangoModelFactory):
    """An active partnership; pass `teachers=[...]` to set its accepted members."""

    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    coach = factory.LazyAttribute(lambda p: coach_at(p.school))
    status = Partnership.Status.ACTIVE
    started_on = factory.LazyAttribute(lambda p: p.school.today() - datetime.timedelta(days=60))

    @factory.post_generation
    def teachers(obj, create, extracted, **kwargs):
        if not create:
            return
        status = (
            PartnershipMember.Status.INVITED
            if obj.status == Partnership.Status.INVITED
            else PartnershipMember.Status.ACCEPTED
        )
        for teacher in extracted if extracted is not None else [teacher_at(obj.school)]:
            PartnershipMember.objects.create(partnership=obj, teacher=teacher, status=status)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    partnership = factory.SubFactory(PartnershipFactory)
    kind = Meeting.Kind.PLANNING
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))
    agenda = "Look at student work together."


class NextStepFactory(DjangoModelFactory):
    class Meta:
        model = NextStep

    partnership = factory.SubFactory(PartnershipFactory)
    text = factory.Sequence(lambda n: f"Next step {n}")
    owner = NextStep.Owner.TEACHER
    due_on = factory.LazyAttribute(
        lambda s: s.partnership.school.today() + datetime.timedelta(days=5)
    )
    created_by = factory.SelfAttribute("partnership.coach")


class CoachNoteFactory(DjangoModelFactory):
    class Meta:
        model = CoachNote

    partnership = factory.SubFactory(PartnershipFactory)
    coach = factory.SelfAttribute("partnership.coach")
    text = "A working note."


class ActivityEntryFactory(DjangoModelFactory):
    class Meta:
        model = ActivityEntry

    coach = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    date = factory.LazyAttribute(lambda e: e.school.today())
    minutes = 30
    kind = ActivityEntry.Kind.OBSERVATION


# Cycles -----------------------------------------------------------------------


class StrategyFactory(DjangoModelFactory):
    class Meta:
        model = Strategy

    district = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda n: f"Strategy {n}")
    description = "What the teacher does, and why it helps students."
    checklist = "First\nSecond"


class CycleFactory(DjangoModelFactory):
    class Meta:
        model = Cycle

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Cycle {n}")
    focus_area = factory.LazyAttribute(
        lambda c: FocusArea.objects.filter(district=c.partnership.school.district).first()
    )
    phase = Cycle.Phase.IDENTIFY
    started_on = factory.LazyAttribute(
        lambda c: c.partnership.school.today() - datetime.timedelta(days=30)
    )


class GoalFactory(DjangoModelFactory):
    class Meta:
        model = Goal

    cycle = factory.SubFactory(CycleFactory, phase=Cycle.Phase.LEARN)
    statement = "80% of students will explain their reasoning."
    measure = "Share of students explaining"
    unit = "%"
    baseline = Decimal(30)
    target = Decimal(80)
    target_date = factory.LazyAttribute(
        lambda g: g.cycle.partnership.school.today() + datetime.timedelta(days=30)
    )
    # Agreed by both, as most goals a page shows are; pass agreed_at=None for a proposal.
    agreed_at = factory.LazyFunction(timezone.now)


class ProgressPointFactory(DjangoModelFactory):
    class Meta:
        model = ProgressPoint

    goal = factory.SubFactory(GoalFactory)
    recorded_on = factory.LazyAttribute(
        lambda p: p.goal.cycle.partnership.school.today() - datetime.timedelta(days=3)
    )
    value = Decimal(45)
    added_by = factory.SelfAttribute("goal.cycle.partnership.coach")


class ReflectionFactory(DjangoModelFactory):
    class Meta:
        model = Reflection

    cycle = factory.SubFactory(CycleFactory)
    author = factory.SubFactory(UserFactory)
    prompt = "What did you notice?"
    text = "A reflection."
    visibility = Reflection.Visibility.SHARED


# Observations -----------------------------------------------------------------


class ObservationFactory(DjangoModelFactory):
    """A draft observation of the cycle's teachers; pass status="shared" to share it."""

    class Meta:
        model = Observation
        skip_postgeneration_save = True

    cycle = factory.SubFactory(CycleFactory)
    observer = factory.SelfAttribute("cycle.partnership.coach")
    subject = "Maths"
    status = Observation.Status.DRAFT
    shared_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == Observation.Status.SHARED else None
    )
    strengths = "Students explained their thinking."

    @factory.post_generation
    def teachers(obj, create, extracted, **kwargs):
        if create:
            obj.teachers.set(extracted or obj.cycle.partnership.teachers.all())


class ObservationNoteFactory(DjangoModelFactory):
    class Meta:
        model = ObservationNote

    observation = factory.SubFactory(ObservationFactory)
    text = factory.Sequence(lambda n: f"Note {n}")


class TallyFactory(DjangoModelFactory):
    class Meta:
        model = Tally

    observation = factory.SubFactory(ObservationFactory)
    label = factory.Sequence(lambda n: f"Tally {n}")
    count = 3


class LookForTemplateFactory(DjangoModelFactory):
    class Meta:
        model = LookForTemplate
        skip_postgeneration_save = True

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Look-fors {n}")

    @factory.post_generation
    def look_fors(obj, create, extracted, **kwargs):
        if create:
            for i, text in enumerate(extracted or ["Students explain their reasoning"], 1):
                LookFor.objects.create(template=obj, description=text, position=i)


class ChosenLookForFactory(DjangoModelFactory):
    """A look-for of a cycle's observation (or, with observation=None, of its next lesson),
    chosen by the cycle's first teacher."""

    class Meta:
        model = ChosenLookFor

    observation = factory.SubFactory(ObservationFactory)
    cycle = factory.SelfAttribute("observation.cycle")
    origin = factory.Sequence(lambda n: f"own:{n}")
    source = ChosenLookFor.Source.OWN
    description = factory.Sequence(lambda n: f"Students ask question {n}")
    chosen_by = factory.LazyAttribute(lambda o: o.cycle.partnership.teachers.first())


def seat_map_for(observation, rows=4, columns=5, taps=()):
    """A laid-out room on the observation, with a tap on each (row, column) given."""
    SeatMap.objects.create(
        observation=observation, name="Period 2", rows=rows, columns=columns, gaps=[]
    )
    SeatTap.objects.bulk_create(SeatTap(observation=observation, row=r, column=c) for r, c in taps)


class CommentBankPhraseFactory(DjangoModelFactory):
    """A phrase in a coach's comment bank."""

    class Meta:
        model = CommentBankPhrase

    coach = factory.SubFactory(UserFactory)
    kind = CommentBankPhrase.Kind.STRENGTHS
    text = factory.Sequence(lambda n: f"Students explained their thinking to a partner ({n}).")


def _stored(name: str, data: bytes) -> str:
    """A file in the video store, as the worker would have left it."""
    storage = video_storage()
    storage.delete(name)
    return storage.save(name, ContentFile(data))


class VideoFactory(DjangoModelFactory):
    """A teacher's lesson video, ready to play (a few bytes stand for the MP4 and poster)."""

    class Meta:
        model = Video

    cycle = factory.SubFactory(CycleFactory)
    owner = factory.LazyAttribute(lambda v: v.cycle.partnership.teachers.first())
    added_by = factory.SelfAttribute("owner")
    title = "Fractions lesson"
    client_id = factory.LazyFunction(uuid.uuid4)
    declared_bytes = 1000
    received_bytes = 1000
    status = Video.Status.READY
    duration = 120.0
    talk = factory.LazyFunction(lambda: [[1.0, 10.0], [14.0, 60.0]])
    file = factory.LazyAttribute(
        lambda v: _stored(f"{v.client_id}/lesson.mp4", b"\0\0\0\x18ftypmp42" + b"\0" * 200)
    )
    poster = factory.LazyAttribute(
        lambda v: _stored(f"{v.client_id}/poster.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 50)
    )


class VideoCommentFactory(DjangoModelFactory):
    class Meta:
        model = VideoComment

    video = factory.SubFactory(VideoFactory)
    author = factory.SelfAttribute("video.owner")
    moment = 12.0
    text = "Students turned to talk here."


# Coaching the coaches -----------------------------------------------------------


def lead_support(lead, coach):
    """`lead` supports `coach`: offered and accepted."""
    from growth.models import LeadSupport

    return LeadSupport.objects.create(
        lead=lead, coach=coach, status=LeadSupport.Status.ACTIVE, started_at=timezone.now()
    )


def growth_cycle(coach, goal="Ask more than I tell in debriefs", **kwargs):
    """A coach's growth cycle, begun today at the coach's school."""
    from growth.models import GrowthCycle
    from growth.selectors import home_school

    kwargs.setdefault("started_on", home_school(coach).today())
    return GrowthCycle.objects.create(coach=coach, goal=goal, **kwargs)
