"""Demo observations: shared ones with feedback and answers, and drafts still being written.

Each open cycle past its identify phase gets its observations once; running again adds none.
"""

import datetime

from coaching.models import PartnershipMember
from cycles.demo import free_time, meeting_calendar, school_days
from cycles.models import Cycle

from .models import (
    AccessEvent,
    ChosenLookFor,
    LookFor,
    LookForTemplate,
    Observation,
    ObservationNote,
    ObservationResponse,
    SeatLayout,
    SeatMap,
    SeatTap,
    Tally,
)

# Lessons as coaches write them down: each observation gets the next one, so no two
# observations of the demo read alike.
LESSONS = [
    {
        "subject": "Maths: comparing fractions",
        "period": "Period 2",
        "notes": [
            "T opens with a question on the board: 'Which is bigger, 3/4 or 2/3? How do you know?'",
            "12 of 24 students write an answer within the first minute.",
            "T: 'Turn to your partner and convince them.' Pairs talk; noise rises, on task.",
            "Student at table 3 draws two bars to compare.",
            "T cold-calls three students; two explain with a drawing.",
            "T asks 'Who changed their mind?' Four hands.",
            "Exit ticket handed out with eight minutes to go; most finish in four.",
        ],
        "tallies": [("Open questions", 7), ("Students explaining reasoning", 11)],
    },
    {
        "subject": "Reading: making inferences",
        "period": "Period 1",
        "notes": [
            "Read-aloud of chapter 4; students follow in their copies.",
            "T stops at p. 52: 'Why does Jonas hesitate?' Six hands, same six as yesterday.",
            "Think-pair-share: pairs at the back talk about the weekend.",
            "Two students quote the text to back their answer.",
            "T writes 'clue + what I know = inference' on the board.",
            "Sticky-note inferences collected at the door: 19 of 26.",
        ],
        "tallies": [("Text evidence cited", 9), ("Wait time ≥ 3 s", 4), ("Off-task pairs", 3)],
    },
    {
        "subject": "Science: states of matter",
        "period": "Period 4",
        "notes": [
            "Lab groups of four; roles card on each table.",
            "Group 2 records temperatures every minute without prompting.",
            "T circulates, asks group 5 'What do you predict at 100 degrees?'",
            "Three groups start the write-up before finishing the measurements.",
            "Gallery walk: students add one question to each poster.",
        ],
        "tallies": [("Student-to-student questions", 14), ("Teacher questions", 8)],
    },
    {
        "subject": "Writing: opinion paragraphs",
        "period": "Period 3",
        "notes": [
            "Mini-lesson on reasons vs. examples, 9 minutes.",
            "Students sort 8 sentence strips in pairs; most pairs finish in 4 minutes.",
            "T confers with four students; each leaves with one written goal.",
            "Two students read a paragraph aloud; class names the reason and the example.",
            "Independent writing: 21 of 25 writing within two minutes.",
            "Closing: 'Star one sentence you are proud of.'",
        ],
        "tallies": [("Conferences", 4), ("Students sharing aloud", 6)],
    },
    {
        "subject": "Maths: area models",
        "period": "Period 5",
        "notes": [
            "Warm-up: 'Which one doesn't belong?' with four rectangles.",
            "Students argue for three different answers, all with reasons.",
            "T models 23 × 14 with an area model, thinking aloud.",
            "Partners try 31 × 12; several split 31 as 30 + 1 without being told.",
            "Error analysis: T shows an anonymous mistake; students find it in a minute.",
        ],
        "tallies": [("Open questions", 5), ("Students explaining reasoning", 8)],
    },
]
FEEDBACK = [
    (
        "Partner talk got every student saying their reasoning aloud.",
        "I wonder what would happen if students drew before they talked.",
        "Try a 30-second silent draw before partner talk.",
    ),
    (
        "Quoting the text was modelled, and two students did it unprompted.",
        "I wonder how the pairs at the back could be drawn into the talk.",
        "Give pairs a sentence starter: 'I think … because on page … it says …'.",
    ),
]
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
        _log(shared, coach.pk, teachers, "changed", shared.observed_at, repeats=shared.note_count)
        _log(shared, coach.pk, teachers, "shared", shared.shared_at)
        _log(shared, teachers[0], teachers, "responded", answered)
        _log(shared, coach.pk, teachers, "read", answered + datetime.timedelta(hours=12))
        # The draft is of a lesson on a recent school day: its feedback is still to write.
        yesterday = school.today() - datetime.timedelta(days=1)
        recently = _lesson(calendar, school_days(yesterday, back=True), school)
        draft = _observation(cycle, coach, teachers, recently, shared=False)
        _log(draft, coach.pk, teachers, "changed", draft.observed_at, repeats=draft.note_count)
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
    # Another lesson for each visit the coach makes that day, and other days other lessons.
    same_day = Observation.objects.filter(observer=coach, observed_at__date=start.date()).count()
    lesson = LESSONS[(same_day + coach.pk + start.toordinal()) % len(LESSONS)]
    strengths, wonderings, next_steps = (
        FEEDBACK[Observation.objects.filter(status="shared").count() % len(FEEDBACK)]
        if shared
        else ("", "", "")
    )
    observation = Observation.objects.create(
        cycle=cycle,
        observer=coach,
        observed_at=start,
        subject=lesson["subject"],
        period=lesson["period"],
        status=Observation.Status.SHARED if shared else Observation.Status.DRAFT,
        shared_at=start + datetime.timedelta(hours=3) if shared else None,
        strengths=strengths,
        wonderings=wonderings,
        next_steps=next_steps,
        note_count=len(lesson["notes"]),
    )
    observation.teachers.set(teachers)
    ObservationNote.objects.bulk_create(
        ObservationNote(
            observation=observation, noted_at=start + datetime.timedelta(minutes=5 * i), text=text
        )
        for i, text in enumerate(lesson["notes"])
    )
    Tally.objects.bulk_create(
        Tally(observation=observation, label=label, count=count, position=i)
        for i, (label, count) in enumerate(lesson["tallies"])
    )
    return observation


# The demo district's look-for library, and look-fors, tags and seat maps on its lessons.

LOOK_FOR_TEMPLATES = [
    {
        "name": "Student discourse",
        "description": "Who talks, and how they reason aloud. For cycles on engagement, "
        "questioning or mathematical talk.",
        "rows": [
            (
                "Talk",
                "Students explain their reasoning to a partner",
                True,
                "What words do students use to justify an answer?",
            ),
            ("Talk", "Students build on a classmate's idea (“I agree with … because …”)", True, ""),
            ("Talk", "Students ask each other questions", True, ""),
            (
                "Questions",
                "Many students, not the same few, answer the teacher's questions",
                False,
                "Which parts of the room speak? Which stay quiet?",
            ),
            ("Questions", "Three seconds or more of wait time after a question", True, ""),
        ],
    },
    {
        "name": "Routines and engagement",
        "description": "How the lesson runs: starts, transitions and work time.",
        "rows": [
            (
                "Starting",
                "Students begin the opening task within two minutes of arriving",
                False,
                "",
            ),
            (
                "Starting",
                "Students can say what they are learning and why",
                False,
                "Ask two students: what are you learning today?",
            ),
            ("Work time", "Transitions between activities take under a minute", True, ""),
            ("Work time", "Students know what to do when they finish early", False, ""),
            ("Work time", "Students fetch and return materials without asking", False, ""),
        ],
    },
    {
        "name": "Checking for understanding",
        "description": "How the teacher and students know who has learned what, during the "
        "lesson rather than after it.",
        "rows": [
            (
                "During the lesson",
                "Every student answers at once (boards, cards, signals)",
                True,
                "",
            ),
            (
                "During the lesson",
                "The teacher changes course after seeing students' answers",
                False,
                "What did the teacher see, and what changed?",
            ),
            ("During the lesson", "Students act on feedback before the lesson ends", False, ""),
            ("Closing", "Students can say what success looks like for the task", False, ""),
            ("Closing", "The exit task matches the learning target", False, ""),
        ],
    },
]


def seed_look_for_library(district) -> list[LookForTemplate]:
    """The three templates every demo school reads; kept as they are when run again."""
    templates = []
    for spec in LOOK_FOR_TEMPLATES:
        template, created = LookForTemplate.objects.get_or_create(
            district=district,
            school=None,
            name=spec["name"],
            defaults={"description": spec["description"]},
        )
        if created:
            LookFor.objects.bulk_create(
                LookFor(
                    template=template,
                    section=section,
                    description=text,
                    counted=counted,
                    prompt=prompt,
                    position=i,
                )
                for i, (section, text, counted, prompt) in enumerate(spec["rows"], 1)
            )
        templates.append(template)
    return templates


def seed_look_fors_and_seats(district) -> None:
    """Each demo cycle with lessons gets the teacher's chosen look-fors (and one the coach
    added), its shared lesson's notes tagged by them, and a seat map of who spoke."""
    template = seed_look_for_library(district)[0]
    library = list(template.look_fors.all())
    cycles = (
        Cycle.objects.filter(
            partnership__school__district=district, observations__isnull=False, look_fors=None
        )
        .select_related("partnership")
        .distinct()
    )
    for cycle in cycles:
        teacher_id = (
            cycle.partnership.members.filter(status="accepted")
            .values_list("teacher_id", flat=True)
            .first()
        )
        picks = [
            (library[0], teacher_id, False),
            (library[3], teacher_id, False),
            (library[2], cycle.partnership.coach_id, True),
        ]
        for observation in [None, *cycle.observations.filter(status="shared")]:
            chosen = [
                ChosenLookFor.objects.create(
                    cycle=cycle,
                    observation=observation,
                    origin=f"library:{look_for.pk}",
                    source=ChosenLookFor.Source.LIBRARY,
                    section=look_for.section,
                    description=look_for.description,
                    prompt=look_for.prompt,
                    counted=look_for.counted,
                    template=template,
                    template_version=template.version,
                    chosen_by_id=chooser,
                    by_coach=by_coach,
                    position=i,
                )
                for i, (look_for, chooser, by_coach) in enumerate(picks, 1)
            ]
            if observation is None:
                continue
            for i, look_for in enumerate(c for c in chosen if c.counted):
                Tally.objects.create(
                    observation=observation,
                    label=look_for.description,
                    look_for=look_for,
                    count=5 + 3 * i,
                    position=10 + i,
                )
            notes = list(observation.notes.all())
            for i, note in enumerate(notes[1::2]):
                note.look_for = chosen[i % len(chosen)]
                note.save(update_fields=["look_for"])
            _seat_map(cycle, observation)


def _seat_map(cycle, observation) -> None:
    layout, _ = SeatLayout.objects.get_or_create(
        partnership=cycle.partnership,
        name=observation.period or "Class",
        defaults={"rows": 4, "columns": 6, "gaps": ["0-2", "1-2", "2-2", "3-2"]},
    )
    SeatMap.objects.create(
        observation=observation,
        layout=layout,
        name=layout.name,
        rows=layout.rows,
        columns=layout.columns,
        gaps=layout.gaps,
    )
    # Talk bunched at the front, as it so often is: the heat map shows it at a glance.
    seats = [
        (r, c)
        for r in range(layout.rows)
        for c in range(layout.columns)
        if f"{r}-{c}" not in layout.gaps
    ]
    kinds = [k for k, _ in SeatTap.Kind.choices]
    taps = []
    for i, (row, column) in enumerate(seats):
        for n in range(max(0, 5 - 2 * row - (i % 3))):
            taps.append(
                SeatTap(
                    observation=observation,
                    row=row,
                    column=column,
                    kind=kinds[(i + n) % len(kinds)],
                    tapped_at=observation.observed_at + datetime.timedelta(minutes=2 + i + n),
                )
            )
    SeatTap.objects.bulk_create(taps)
