"""Demo observations: shared ones with feedback and answers, and drafts still being written.

Each open cycle past its identify phase gets its observations once; running again adds none.
The coach observes as on the capture page (`observation_start`, notes, tallies, seat taps),
writes feedback and shares it; the teacher answers and the coach reads the answer. The
teacher chooses the lesson's look-fors from the district's library beforehand, and the
history dates it all (devdata/demo/history.py).
"""

import datetime
import uuid

from accounts.models import User
from coaching.models import PartnershipMember
from cycles.models import Cycle
from devdata.demo.coaching import free_time, meeting_calendar, school_days
from devdata.demo.history import History
from observations.access import log_observation
from observations.library import look_for_template_save
from observations.models import (
    AccessEvent,
    CommentBankPhrase,
    LookForTemplate,
    Observation,
    SeatTap,
)
from observations.selectors import look_for_options
from observations.services import (
    comment_bank_add,
    look_fors_choose,
    observation_add_note,
    observation_mark_responses_seen,
    observation_respond,
    observation_set_tally,
    observation_share,
    observation_start,
    observation_tap_seat,
    observation_use_seats,
    observation_write_feedback,
    seat_layout_save,
)

Action = AccessEvent.Action

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


def seed_observations(people, template: LookForTemplate, history: History) -> int:
    created = 0
    calendars = {}
    library = list(template.look_fors.all())
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
        teacher = User.objects.get(pk=teachers[0])
        school = cycle.partnership.school
        if coach.pk not in calendars:
            calendars[coach.pk] = _diary(coach)
            _keep_phrases(coach)
        calendar = calendars[coach.pk]
        observer = _Observer(cycle, coach, people.number[coach.pk], history)
        # The teacher chooses what the coach looks for, and the coach adds one, visibly.
        picks = [
            (teacher, [library[0], library[3]]),
            (coach, [library[2]]),
        ]
        _choose(cycle, picks)
        # The shared one in the cycle's second week, and a few days before today at the
        # latest, so its answer and the coach's reading of it are already in the past.
        second_week = cycle.started_on + datetime.timedelta(days=9)
        latest = school.today() - datetime.timedelta(days=3)
        shared = observer.observe(
            _lesson(calendar, school_days(min(second_week, latest), back=True), school),
            shared=True,
        )
        answered = shared.shared_at + datetime.timedelta(hours=5)
        response = observation_respond(
            actor=teacher,
            observation=shared,
            text="Thank you. I had not noticed how many hands went up after partner talk.",
        )
        read_at = answered + datetime.timedelta(hours=12)
        # What the observation's page does when the coach opens it.
        log_observation(coach, shared, Action.READ)
        observation_mark_responses_seen(actor=coach, observation=shared)
        history.backdate(
            response, acknowledged_at=answered, updated_at=answered, seen_by_observer_at=read_at
        )
        observer.date_access(shared, {Action.RESPONDED: answered, Action.READ: read_at})
        # After the debrief the look-fors were cleared, and chosen again after yesterday's
        # lesson for the next ones: the draft below was watched for nothing in particular.
        _choose(cycle, [(person, []) for person, _ in picks])
        # The draft is of a lesson on a recent school day: its feedback is still to write.
        yesterday = school.today() - datetime.timedelta(days=1)
        recently = _lesson(calendar, school_days(yesterday, back=True), school)
        draft = observer.observe(recently, shared=False)
        observer.date_access(draft, {})
        _choose(cycle, picks)
        created += 2
    return created


# What a coach of a few years keeps in their comment bank, one of each kind and a second
# wondering: the feedback form shows them beside its boxes.
PHRASES = [
    (CommentBankPhrase.Kind.STRENGTHS, "Students talked to each other before they talked to you."),
    (CommentBankPhrase.Kind.WONDERINGS, "I wonder what the quiet table would say if asked first."),
    (CommentBankPhrase.Kind.WONDERINGS, "What did the exit tickets tell you about the method?"),
    (CommentBankPhrase.Kind.NEXT_STEPS, "Try a turn-and-talk before the first hands go up."),
]


def _keep_phrases(coach) -> None:
    for kind, text in PHRASES:
        comment_bank_add(actor=coach, kind=kind, text=text)


def _choose(cycle, picks) -> None:
    options = look_for_options(cycle)
    for person, look_fors in picks:
        look_fors_choose(
            actor=person,
            cycle=cycle,
            options=options,
            picks=[f"library:{look_for.pk}" for look_for in look_fors],
        )


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


class _Observer:
    """A coach observing the lessons of one cycle, as the capture page has them do it."""

    def __init__(self, cycle, coach, number, history):
        self.cycle, self.coach, self.number, self.history = cycle, coach, number, history

    def observe(self, start, *, shared) -> Observation:
        coach = self.coach
        # Another lesson for each visit the coach makes that day, and other days other lessons.
        same_day = Observation.objects.filter(
            observer=coach, observed_at__date=start.date()
        ).count()
        lesson = LESSONS[(same_day + self.number + start.toordinal()) % len(LESSONS)]
        observation = observation_start(
            actor=coach,
            cycle=self.cycle,
            subject=lesson["subject"],
            period=lesson["period"],
            observed_at=start,
        )
        chosen = list(observation.look_fors.order_by("position"))
        for i, text in enumerate(lesson["notes"]):
            # Every other note is tagged with a look-for, in turn.
            tag = chosen[i // 2 % len(chosen)].pk if chosen and i % 2 else None
            observation_add_note(
                actor=coach,
                observation=observation,
                client_id=uuid.uuid4(),
                text=text,
                noted_at=start + datetime.timedelta(minutes=5 * i),
                look_for=tag,
            )
        for label, count in lesson["tallies"]:
            observation_set_tally(
                actor=coach,
                observation=observation,
                client_id=uuid.uuid4(),
                label=label,
                count=count,
            )
        counters = observation.tallies.filter(look_for__isnull=False)
        for i, counter in enumerate(counters.order_by("look_for__position")):
            observation_set_tally(
                actor=coach,
                observation=observation,
                client_id=counter.client_id,
                label=counter.label,
                count=5 + 3 * i,
            )
        if shared:
            self._seats(observation)
            strengths, wonderings, next_steps = FEEDBACK[
                Observation.objects.filter(status="shared").count() % len(FEEDBACK)
            ]
            observation_write_feedback(
                actor=coach,
                observation=observation,
                strengths=strengths,
                wonderings=wonderings,
                next_steps=next_steps,
            )
            observation_share(actor=coach, observation=observation)
            self.history.backdate(observation, shared_at=start + datetime.timedelta(hours=3))
        self.history.backdate(observation, created_at=start)
        return observation

    def _seats(self, observation) -> None:
        """The class's seats, laid out once, and a tap on a seat each time a student there
        speaks: talk bunched at the front, as it so often is, so the heat map shows it at
        a glance."""
        partnership = self.cycle.partnership
        name = observation.period or "Class"
        layout = partnership.seat_layouts.filter(name=name).first() or seat_layout_save(
            actor=self.coach,
            partnership=partnership,
            layout=None,
            name=name,
            rows=4,
            columns=6,
            gaps=["0-2", "1-2", "2-2", "3-2"],
        )
        observation_use_seats(actor=self.coach, observation=observation, layout=layout)
        seats = [
            (r, c)
            for r in range(layout.rows)
            for c in range(layout.columns)
            if f"{r}-{c}" not in layout.gaps
        ]
        kinds = [k for k, _ in SeatTap.Kind.choices]
        for i, (row, column) in enumerate(seats):
            for n in range(max(0, 5 - 2 * row - (i % 3))):
                observation_tap_seat(
                    actor=self.coach,
                    observation=observation,
                    client_id=uuid.uuid4(),
                    row=row,
                    column=column,
                    kind=kinds[(i + n) % len(kinds)],
                    tapped_at=observation.observed_at + datetime.timedelta(minutes=2 + i + n),
                )

    def date_access(self, observation, moments) -> None:
        """The teachers' access log of the lesson, at the moments of the story: the coach's
        changes through the lesson, the sharing, and whatever `moments` names."""
        start = observation.observed_at
        moments = {
            Action.CHANGED: (start, start + datetime.timedelta(minutes=LESSON_MINUTES)),
            Action.SHARED: (observation.shared_at, observation.shared_at),
            **{action: (at, at) for action, at in moments.items()},
        }
        events = AccessEvent.objects.filter(
            kind=AccessEvent.Kind.OBSERVATION, record_id=observation.pk
        )
        for event in events:
            first_at, at = moments[event.action]
            self.history.backdate(event, first_at=first_at, at=at)


# The demo district's look-for library.

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


def seed_look_for_library(people) -> LookForTemplate:
    """The three templates every demo school reads, as the district's administrator saves
    them; kept as they are when run again. Returns the one the demo's teachers choose from."""
    kept = {
        template.name: template
        for template in LookForTemplate.objects.filter(district=people.district, school=None)
    }
    templates = [
        kept.get(spec["name"])
        or look_for_template_save(
            actor=people.administrator,
            template=LookForTemplate(district=people.district, school=None),
            name=spec["name"],
            description=spec["description"],
            rows=[
                {"section": section, "description": text, "counted": counted, "prompt": prompt}
                for section, text, counted, prompt in spec["rows"]
            ],
        )
        for spec in LOOK_FOR_TEMPLATES
    ]
    return templates[0]
