"""Demo observations: shared ones with feedback and answers, and drafts still being written.

Each open cycle past its identify phase gets its observations once; running again adds none.
"""

import datetime

from coaching.models import PartnershipMember
from cycles.demo import free_time, meeting_calendar, school_days
from cycles.models import Cycle

from .models import AccessEvent, Observation, ObservationNote, ObservationResponse, Tally

NOTES = [
    "T opens with a question on the board: 'Which is bigger, 3/4 or 2/3? How do you know?'",
    "12 of 24 students write an answer within the first minute.",
    "T: 'Turn to your partner and convince them.' Pairs talk; noise rises, on task.",
    "Student at table 3 draws two bars to compare.",
    "T cold-calls three students; two explain with a drawing.",
    "T asks 'Who changed their mind?' Four hands.",
    "Exit ticket handed out with eight minutes to go; most finish in four.",
]
TALLIES = [("Open questions", 7), ("Students explaining reasoning", 11), ("Wait time ≥ 3 s", 5)]
# The school's six periods: a coach observes a lesson where it is taught.
LESSON_TIMES = [
    datetime.time(9, 15),
    datetime.time(13, 0),
    datetime.time(10, 10),
    datetime.time(8, 20),
    datetime.time(13, 55),
    datetime.time(11, 5),
]
LESSON_MINUTES = 45


def seed_observations() -> int:
    created = 0
    calendars = {}
    cycles = (
        Cycle.objects.filter(phase__in=[Cycle.Phase.LEARN, Cycle.Phase.IMPROVE])
        .filter(observations__isnull=True)
        .select_related("partnership__coach", "partnership__school")
    )
    for cycle in cycles:
        teachers = list(
            PartnershipMember.objects.filter(
                partnership=cycle.partnership, status=PartnershipMember.Status.ACCEPTED
            ).values_list("teacher_id", flat=True)
        )
        if not teachers or cycle.partnership.status != "active":
            continue
        coach = cycle.partnership.coach
        school = cycle.partnership.school
        if coach.pk not in calendars:
            calendars[coach.pk] = _diary(coach)
        calendar = calendars[coach.pk]
        # The shared one in the cycle's second week, and a few days before today at the
        # latest, so its answer and the coach's reading of it are already in the past.
        second_week = cycle.started_on + datetime.timedelta(days=9)
        latest = school.today() - datetime.timedelta(days=3)
        shared = _observation(
            cycle,
            coach,
            teachers,
            _lesson(calendar, school_days(min(second_week, latest), back=True), school),
            shared=True,
        )
        answered = shared.shared_at + datetime.timedelta(hours=5)
        ObservationResponse.objects.create(
            observation=shared,
            teacher_id=teachers[0],
            text="Thank you. I had not noticed how many hands went up after partner talk.",
            acknowledged_at=answered,
            updated_at=answered,
            seen_by_observer_at=answered + datetime.timedelta(hours=12),
            unseen_by_observer=False,
        )
        _log(shared, coach.pk, teachers, "changed", shared.observed_at, repeats=len(NOTES))
        _log(shared, coach.pk, teachers, "shared", shared.shared_at)
        _log(shared, teachers[0], teachers, "responded", answered)
        _log(shared, coach.pk, teachers, "read", answered + datetime.timedelta(hours=12))
        # The draft is of a lesson on a recent school day: its feedback is still to write.
        yesterday = school.today() - datetime.timedelta(days=1)
        recently = _lesson(calendar, school_days(yesterday, back=True), school)
        draft = _observation(cycle, coach, teachers, recently, shared=False)
        _log(draft, coach.pk, teachers, "changed", draft.observed_at, repeats=len(NOTES))
        created += 2
    return created


def _diary(coach):
    """The coach's meetings and observed lessons, as (start, end)."""
    lessons = Observation.objects.filter(observer=coach).values_list("observed_at", flat=True)
    length = datetime.timedelta(minutes=LESSON_MINUTES)
    return meeting_calendar(coach) + [(at, at + length) for at in lessons]


def _lesson(calendar, days, school):
    """A lesson the coach is free to observe, on the first of `days` with room for it."""
    return free_time(
        calendar, days, LESSON_TIMES, LESSON_MINUTES, zone=school.zone, turn=len(calendar), most=3
    )


def _log(observation, actor_id, teachers, action, at, repeats=1):
    AccessEvent.objects.bulk_create(
        AccessEvent(
            subject_id=teacher_id,
            actor_id=actor_id,
            action=action,
            kind=AccessEvent.Kind.OBSERVATION,
            record_id=observation.pk,
            record_date=observation.observed_at,
            at=at,
            first_at=at,
            repeats=repeats,
        )
        for teacher_id in teachers
    )


def _observation(cycle, coach, teachers, start, *, shared):
    observation = Observation.objects.create(
        cycle=cycle,
        observer=coach,
        observed_at=start,
        subject="Maths: comparing fractions",
        grade="Grade 4",
        period="Period 2",
        status=Observation.Status.SHARED if shared else Observation.Status.DRAFT,
        shared_at=start + datetime.timedelta(hours=3) if shared else None,
        strengths="Partner talk got every student saying their reasoning aloud." if shared else "",
        wonderings="I wonder what would happen if students drew before they talked."
        if shared
        else "",
        next_steps="Try a 30-second silent draw before partner talk." if shared else "",
        note_count=len(NOTES),
    )
    observation.teachers.set(teachers)
    ObservationNote.objects.bulk_create(
        ObservationNote(
            observation=observation, noted_at=start + datetime.timedelta(minutes=5 * i), text=text
        )
        for i, text in enumerate(NOTES)
    )
    Tally.objects.bulk_create(
        Tally(observation=observation, label=label, count=count, position=i)
        for i, (label, count) in enumerate(TALLIES)
    )
    return observation
