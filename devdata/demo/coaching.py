"""Demo data for cycles: the strategy library, and coaching in every state.

Partnerships in every state, cycles in every phase, with goals, progress, meetings, next
steps, reflections and weeks of logged time. Dates are relative to the school's today, so
the demo always looks current, and fall on school days: meetings at the times coaches and
teachers meet, never two at once for one coach. Each partnership is created whole, once,
so the command can re-run.

Everything is done as its people would do it, through the services (`partnership_invite`,
`partnership_accept`, `cycle_start`, `meeting_hold`, `progress_add`, ...), and then put back
at the moment it happened in the story by the history (devdata/demo/history.py).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from accounts.models import School
from coaching.models import ActivityEntry, Meeting, NextStep, Partnership
from coaching.services import (
    A_YEAR,
    activity_log,
    coach_note_write,
    meeting_hold,
    meeting_schedule,
    meeting_update,
    next_step_add,
    next_step_mark,
    partnership_accept,
    partnership_close,
    partnership_invite,
    partnership_pause,
)
from cycles.models import Cycle, FocusArea, Reflection, Strategy
from cycles.services import (
    cycle_advance_phase,
    cycle_close,
    cycle_start,
    evidence_record,
    goal_accept,
    goal_propose,
    progress_add,
    reflection_write,
    strategy_save,
)
from devdata.demo.history import History
from devdata.demo.people import REPORT_TEACHER_NAMES

STRATEGIES = [
    (
        "Formative assessment",
        "Exit tickets",
        "A short question at the end of the lesson, sorted by the teacher into got it / almost / "
        "not yet, to plan tomorrow's first ten minutes.",
        "One question tied to the target\nSorted within the day\nNext lesson opens with it",
    ),
    (
        "Formative assessment",
        "Response cards",
        "Every student answers at once on a card or mini whiteboard, so the teacher sees the "
        "whole class's understanding rather than one volunteer's.",
        "Question asked to all\nWait time before the reveal\nTeacher scans and names a pattern",
    ),
    (
        "Instruction",
        "Think-pair-share",
        "Students think alone, talk with a partner, then share with the class: more students "
        "talk, and answers improve before they are heard.",
        "Silent think time\nStructured partner talk\nCold call after pairs",
    ),
    (
        "Instruction",
        "Thinking prompts",
        "Provocative questions, video clips or objects that open a lesson and give students a "
        "reason to care about the content.",
        "Connected to the learning target\nStudents respond before the teacher explains",
    ),
    (
        "Content planning",
        "Guiding questions",
        "A small set of questions that a unit answers, shared with students so they know where "
        "the learning is going.",
        "Three to six questions\nPosted and revisited\nAssessment answers them",
    ),
    (
        "Content planning",
        "Learning maps",
        "A graphic organiser of the unit that students complete as they go.",
        "Built before the unit\nReviewed at each lesson's start",
    ),
    (
        "Community building",
        "Learner-friendly culture norms",
        "Norms written with the class, taught, practised and revisited, so mistakes are safe "
        "and talk is kind.",
        "Written with students\nTaught explicitly\nPraise at a 5:1 ratio",
    ),
    (
        "Community building",
        "Effective praise",
        "Specific, sincere praise of effort and strategy, at a high ratio to corrections.",
        "Specific\nAbout effort or strategy\nAt least 5 to 1",
    ),
]


def seed_strategies(people) -> list[Strategy]:
    """The district's library, as its administrator keeps it; kept as it is when run again."""
    district = people.district
    areas = {area.name: area for area in FocusArea.objects.filter(district=district)}
    kept = {strategy.title: strategy for strategy in Strategy.objects.filter(district=district)}
    return [
        kept.get(title)
        or strategy_save(
            actor=people.administrator,
            strategy=Strategy(
                district=district,
                title=title,
                focus_area=areas.get(area),
                description=description,
                checklist=checklist,
            ),
        )
        for area, title, description, checklist in STRATEGIES
    ]


Phase = Cycle.Phase

# (coach e-mail, school index, teacher e-mails, title, partnership status,
#  [(cycle title, focus area, phase, outcome, weeks ago started, weeks long)])
SCENARIOS = [
    ("coach@example.org", 0, ["teacher@example.org"], "", "active", [
        ("Checking for understanding", "Formative assessment", "closed", "met", 20, 8),
        ("More students explaining their thinking", "Instruction", "improve", "", 6, 0),
    ]),
    ("coach@example.org", 0, ["amara.bello@example.org"], "", "active", [
        ("Calm, purposeful starts", "Community building", "identify", "", 1, 0),
    ]),
    ("coach@example.org", 0, ["chloe.dubois@example.org"], "", "active", [
        ("Exit tickets that shape tomorrow", "Formative assessment", "learn", "", 3, 0),
    ]),
    ("coach@example.org", 0, ["elif.yilmaz@example.org"], "", "invited", []),
    ("coach@example.org", 0, ["george.mensah@example.org", "isaac.levi@example.org"],
     "Grade 3 team", "active", [
        ("Guiding questions for the fractions unit", "Content planning", "learn", "", 2, 0),
    ]),
    ("coach@example.org", 0, ["kofi.asante@example.org"], "", "paused", [
        ("Partner talk routines", "Instruction", "closed", "stopped", 14, 5),
    ]),
    ("coach@example.org", 0, ["mateo.rossi@example.org"], "", "closed", [
        ("Learning maps in science", "Content planning", "closed", "partly_met", 24, 9),
    ]),
    ("coach.ito@example.org", 0, ["omar.khalil@example.org"], "", "active", [
        ("Response cards in maths", "Formative assessment", "improve", "", 7, 0),
    ]),
    ("coach.ito@example.org", 0, ["quinn.oneill@example.org"], "", "active", [
        ("Norms the class wrote", "Community building", "closed", "met", 16, 7),
        ("Praise that names the strategy", "Community building", "learn", "", 4, 0),
    ]),
    ("coach.ito@example.org", 0, ["sofia.lindgren@example.org"], "", "active", [
        ("Thinking prompts to open lessons", "Instruction", "closed", "met", 12, 6),
    ]),
    ("coach@example.org", 1, ["ben.carter@example.org"], "", "active", [
        ("Exit tickets in history", "Formative assessment", "improve", "", 8, 0),
    ]),
    ("coach.novak@example.org", 1, ["diego.fernandez@example.org"], "", "active", [
        ("Students citing evidence", "Instruction", "improve", "", 6, 0),
    ]),
    ("coach.novak@example.org", 1, ["farah.haddad@example.org"], "", "active", [
        ("Think-pair-share in every lesson", "Instruction", "learn", "", 3, 0),
    ]),
    ("coach.novak@example.org", 1, ["hana.suzuki@example.org"], "", "active", [
        ("Unit questions students can answer", "Content planning", "identify", "", 1, 0),
    ]),
    ("coach.novak@example.org", 1, ["jade.nguyen@example.org"], "", "active", [
        ("Whole-class responses", "Formative assessment", "closed", "met", 18, 8),
    ]),
    ("coach.novak@example.org", 1, ["lucia.romero@example.org"], "", "closed", [
        ("A safe room for mistakes", "Community building", "closed", "not_met", 22, 7),
    ]),
]  # fmt: skip

GOALS = {
    "Formative assessment": (
        "80% of students will show mastery of the day's learning target on the exit ticket.",
        "Share of students meeting the target on exit tickets", "%", 45, 80,
    ),
    "Instruction": (
        "75% of students will explain their reasoning aloud in partner talk every lesson.",
        "Share of students heard explaining their reasoning", "%", 30, 75,
    ),
    "Content planning": (
        "85% of students will answer the unit's guiding questions in their own words.",
        "Share of students answering the guiding questions", "%", 40, 85,
    ),
    "Community building": (
        "Every student will take part in class discussion without being called on twice.",
        "Students joining discussion unprompted (of 26)", "students", 9, 22,
    ),
}  # fmt: skip


# Twenty teachers a school, each with a cycle closed a year ago and one last spring. The
# areas lean the way a school's plan leans, so most groups are large enough to show;
# Community building is left to two teachers a school, a small group the reports hide.
LAST_YEAR_AREAS = ["Formative assessment"] * 10 + ["Instruction"] * 10
SPRING_AREAS = ["Instruction"] * 10 + ["Formative assessment"] * 8 + ["Community building"] * 2
REPORT_OUTCOMES = [
    "met", "partly_met", "met", "not_met", "met", "stopped", "met", "partly_met", "met", "not_met",
]  # fmt: skip


def report_scenarios():
    """Enough past and present cycles for the reports to show figures, not suppressions."""
    from devdata.demo.people import teacher_email

    scenarios = []
    for i, name in enumerate(REPORT_TEACHER_NAMES):
        coach = "coach.ito@example.org" if i % 2 == 0 else "coach.novak@example.org"
        rank = i // 2  # the teacher's place among the twenty of their school
        area = "Instruction" if rank % 4 == 3 else "Formative assessment"
        cycles = [
            (
                f"Focus a year ago {i + 1}",
                LAST_YEAR_AREAS[rank],
                "closed",
                REPORT_OUTCOMES[(rank + 5) % 10],
                58,
                7,
            ),
            (
                f"Spring focus {i + 1}",
                SPRING_AREAS[rank],
                "closed",
                REPORT_OUTCOMES[(rank + 3) % 10],
                40,
                9,
            ),
            (f"Autumn focus {i + 1}", area, "closed", REPORT_OUTCOMES[rank % 10], 13, 7),
        ]
        if rank % 4:
            phase = ["identify", "learn", "improve"][rank % 3]
            cycles.append((f"Current focus {i + 1}", area, phase, "", 4, 0))
        scenarios.append((coach, i % 2, [teacher_email(name)], "", "active", cycles))
    return scenarios


# Next steps as coaches and teachers write them, one story per cycle of a focus area: the
# step agreed at the planning meeting, then the one agreed at the debrief. A cycle takes
# the story of its rank among the cycles of its area, so no two steps read the same.
STORIES = {
    "Formative assessment": [
        (
            "Write one exit-ticket question on the day's learning target.",
            "Sort Thursday's exit tickets into got it / almost / not yet; bring the 'almost' pile.",
        ),
        (
            "Pick the three learning targets of the unit most worth checking with exit tickets.",
            "Open Monday's lesson with the two misconceptions from Friday's tickets.",
        ),
        (
            "Photograph a week of exit tickets before handing them back.",
            "Try response cards for the period 2 warm-up and count the blank cards.",
        ),
        (
            "Time the current exit routine from handout to collection.",
            "Share the sorted tickets with the grade-level team on Tuesday.",
        ),
        (
            "List the questions you already ask to check understanding mid-lesson.",
            "Give ten seconds of wait time before every response-card reveal.",
        ),
        (
            "Choose one class to try mini whiteboards with this week.",
            "Regroup the 'not yet' students for a five-minute reteach on Wednesday.",
        ),
        (
            "Draft a got it / almost / not yet sorting sheet the team can share.",
            "Ask two students how the exit ticket helps them, and note what they say.",
        ),
        (
            "Decide where in the lesson the check for understanding goes.",
            "Ask the hinge question before independent practice; note how many choose B.",
        ),
        (
            "Bring last week's quiz results so we can look for a pattern together.",
            "Write tomorrow's exit ticket so a wrong answer shows which step went wrong.",
        ),
        (
            "Set up a tray by the door for exit tickets.",
            "Try fist-to-five for confidence and compare it with the exit ticket.",
        ),
        (
            "Choose the class where you most want to see who is stuck.",
            "Count how many students change their whiteboard answer after partner talk.",
        ),
        (
            "Note which students answer most often in an ordinary lesson.",
            "Call on students with name sticks after the response-card reveal.",
        ),
        (
            "Make a set of A–D response cards for each table.",
            "Plan a reteach group from the 'almost' pile and try it on Friday.",
        ),
    ],
    "Instruction": [
        (
            "Record five minutes of partner talk on a phone, audio only.",
            "Post three sentence starters for explaining reasoning and point to them in pairs.",
        ),
        (
            "Seat partners so every pair has someone willing to start.",
            "Ask partners to restate each other's idea before adding their own.",
        ),
        (
            "Pick a thinking prompt to open the new unit.",
            "Try the thinking prompt with period 5 and jot down the first questions students ask.",
        ),
        (
            "Choose a text where students must cite evidence to answer.",
            "Model one 'because the text says…' answer aloud before partners try it.",
        ),
        (
            "Write Tuesday's think-pair-share question in advance.",
            "Cold-call pairs, not hands, after think-pair-share and note who answers.",
        ),
        (
            "Tally who speaks during one whole-class discussion.",
            "Give thirty seconds of silent think time before every turn-and-talk.",
        ),
        (
            "List this week's lessons where students explain a method.",
            "Have students explain one worked example to a partner before homework.",
        ),
    ],
    "Content planning": [
        (
            "Draft three guiding questions for the fractions unit.",
            "Post the guiding questions and ask students which one today's lesson answered.",
        ),
        (
            "Map the unit's lessons onto the learning map template.",
            "Have students fill in the next box of the learning map at the end of each lesson.",
        ),
        (
            "Read the end-of-unit assessment and list what it asks students to do.",
            "Rewrite one guiding question in words a twelve-year-old would use.",
        ),
    ],
    "Community building": [
        (
            "Write down what a calm start looks like in the first five minutes.",
            "Practise the entry routine twice on Monday and time it.",
        ),
        (
            "Draft a first version of the class norms to discuss with students.",
            "Revisit the norms before Friday's discussion; ask which one was hardest to keep.",
        ),
        (
            "Tally praise and corrections in one lesson.",
            "Name the strategy, not the student, in three praise statements a lesson.",
        ),
        (
            "Note three moments in a lesson when mistakes feel risky for students.",
            "Share a mistake of your own in Wednesday's lesson and talk through fixing it.",
        ),
    ],
}
# What the coach takes on for a running cycle, by focus area, dealt in the same order.
COACH_STEPS = {
    "Formative assessment": [
        "Find a two-minute video of a teacher sorting exit tickets.",
        "Model response cards in the first ten minutes of Tuesday's lesson.",
        "Cover the last ten minutes of Thursday's lesson so we can sort tickets together.",
        "Bring three hinge questions for the current unit.",
        "Print the sorting sheet on card for each table.",
        "Order mini whiteboards and markers for the class.",
        "Prepare a one-page summary of the pre-assessment results.",
        "Collect exit-ticket examples from two colleagues who use them.",
        "Make a seating chart to record whiteboard answers in the next observation.",
        "Send the article on feedback that moves learning forward.",
        "Set up a fifteen-minute check-in after the first week of exit tickets.",
    ],
    "Instruction": [
        "Make a tally sheet of talk moves for the next observation.",
        "Bring sentence starters for citing evidence, in Spanish too for the newcomers.",
        "Co-teach the think-pair-share launch in period 1.",
        "Send the article on wait time before the next meeting.",
        "Find a colleague using thinking prompts who would welcome a visitor.",
    ],
    "Content planning": [
        "Ask the principal for release time so the team can plan together.",
        "Share a learning map from last year's science unit.",
    ],
    "Community building": [
        "Film the entry routine, with the teacher's agreement, for the next meeting.",
        "Bring the chart from the research on praise and corrections.",
    ],
}

# When a coach can meet a teacher: before the bell, in the teacher's planning period or at
# lunch, or after the last lesson. Interleaved, so consecutive meetings land far apart.
MEETING_TIMES = [
    datetime.time(7, 15),
    datetime.time(15, 10),
    datetime.time(9, 5),
    datetime.time(12, 20),
    datetime.time(15, 45),
    datetime.time(13, 35),
    datetime.time(7, 30),
    datetime.time(10, 50),
    datetime.time(16, 5),
]
MINUTES = {
    Meeting.Kind.PLANNING: 40,
    Meeting.Kind.DEBRIEF: 30,
    Meeting.Kind.REFLECTING: 45,
}


def school_days(first: datetime.date, *, back: bool = False):
    """Weekdays from `first` on (or back), `first` itself included when it is one."""
    step = datetime.timedelta(days=-1 if back else 1)
    day = first
    while True:
        if day.weekday() < 5:
            yield day
        day += step


def school_day_on_or_before(day: datetime.date) -> datetime.date:
    return next(school_days(day, back=True))


def school_days_after(day: datetime.date, count: int) -> datetime.date:
    """The `count`-th school day after `day`."""
    return next(islice(school_days(day + datetime.timedelta(days=1)), count - 1, None))


Diary = list[tuple[datetime.datetime, datetime.datetime]]


def free_time(calendar: Diary, days, times, minutes, *, zone, turn=0, most=2) -> datetime.datetime:
    """The first free start among `times` (tried from the `turn`-th on) on the first of
    `days` that holds fewer than `most` bookings, clear of every (start, end) in `calendar`,
    which it then joins.

    A coach is in one place at a time and meets a few teachers a day, not ten: the demo
    books each meeting and lesson the way the coach would, around the diary so far.
    """
    length = datetime.timedelta(minutes=minutes)
    turn %= len(times)
    order = times[turn:] + times[:turn]
    for day in days:
        if sum(begins.astimezone(zone).date() == day for begins, _ in calendar) >= most:
            continue
        for time in order:
            start = datetime.datetime.combine(day, time, tzinfo=zone)
            if all(start + length <= begins or ends <= start for begins, ends in calendar):
                calendar.append((start, start + length))
                return start
    raise ValueError("no free time on any of the days given")


def meeting_calendar(coach) -> Diary:
    return [
        (m.starts_at, m.starts_at + datetime.timedelta(minutes=m.duration_minutes))
        for m in Meeting.objects.filter(partnership__coach=coach)
    ]


def seed_coaching(people, history: History) -> int:
    """Create the demo partnerships that do not exist yet; returns how many were created."""
    users, schools = people.users, people.schools
    strategies = {s.focus_area.name: s for s in seed_strategies(people) if s.focus_area}
    areas = {a.name: a for a in FocusArea.objects.filter(district=people.district)}
    calendars = {}
    ranks = dict.fromkeys(STORIES, 0)
    coach_steps = {area: iter(steps) for area, steps in COACH_STEPS.items()}
    created = 0
    for scenario in SCENARIOS + report_scenarios():
        coach_email, school_index, teacher_emails, title, status, cycles = scenario
        # Stories are dealt before the skip below, so a cycle keeps its own on a re-run.
        told = []
        for spec in cycles:
            area, phase = spec[1], spec[2]
            # Past cycles that only fill the reports keep their meetings but no steps, and
            # so do running ones once each area's stories are told.
            live = phase != Phase.CLOSED and ranks[area] < len(STORIES[area])
            if scenario in SCENARIOS or live:
                rank = ranks[area]
                ranks[area] += 1
                coach_step = next(coach_steps[area], None) if _is_live(status, phase) else None
                told.append((rank, STORIES[area][rank], coach_step))
            else:
                told.append(None)
        coach, school = users[coach_email], schools[school_index]
        teachers = [users[email] for email in teacher_emails]
        exists = Partnership.objects.filter(
            coach=coach, school=school, members__teacher=teachers[0]
        ).exists()
        if exists:
            continue
        if coach.pk not in calendars:
            calendars[coach.pk] = meeting_calendar(coach)
        demo = _Demo(school, school.today(), calendars[coach.pk], areas, strategies, history)
        _partnership(demo, coach, teachers, title, status, list(zip(cycles, told, strict=True)))
        created += 1
    for coach_email, school_index in {(s[0], s[1]) for s in SCENARIOS}:
        _activity_weeks(users[coach_email], schools[school_index], people, history)
    return created


def _is_live(status, phase) -> bool:
    return status == Partnership.Status.ACTIVE and phase != Phase.CLOSED


@dataclass
class _Demo:
    """Where and when a partnership is seeded: its school, that school's today, the
    coach's diary so far, and the history its records are dated in."""

    school: School
    today: datetime.date
    calendar: Diary
    areas: dict
    strategies: dict
    history: History

    def days_ago(self, days: int) -> datetime.date:
        return school_day_on_or_before(self.today - datetime.timedelta(days=days))

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.school.zone)

    def book(self, days, minutes: int) -> datetime.datetime:
        turn = len(self.calendar)
        return free_time(
            self.calendar, days, MEETING_TIMES, minutes, zone=self.school.zone, turn=turn
        )


def _partnership(demo, coach, teachers, title, status, cycles):
    """The coach invites, the teachers accept; cycles follow, and the partnership ends
    paused or closed as the scenario says."""
    partnership = partnership_invite(
        actor=coach, school=demo.school, teachers=teachers, title=title
    )
    members = list(partnership.members.all())
    if status == Partnership.Status.INVITED:
        invited_at = demo.at(demo.days_ago(3), 14)
        demo.history.backdate(partnership, created_at=invited_at)
        for member in members:
            demo.history.backdate(member, invited_at=invited_at)
        return
    first_start = max((c[4] for c, _ in cycles), default=1) * 7 + 7
    started_on = demo.days_ago(first_start)
    invited_at = demo.at(school_day_on_or_before(started_on - datetime.timedelta(days=1)), 14)
    for teacher in teachers:
        partnership_accept(actor=teacher, partnership=partnership)
    demo.history.backdate(partnership, created_at=invited_at, started_on=started_on)
    for member in members:
        demo.history.backdate(
            member, invited_at=invited_at, responded_at=demo.at(started_on, 15, 30)
        )
    coach_note_write(
        actor=coach,
        partnership=partnership,
        text="Keen to work on student talk. Prefers meeting before school.",
    )
    for cycle_spec, told in cycles:
        _cycle(
            demo,
            partnership,
            coach,
            teachers,
            cycle_spec,
            told,
            live=_is_live(status, cycle_spec[2]),
        )
    if status == Partnership.Status.PAUSED:
        partnership_pause(actor=coach, partnership=partnership)
    elif status == Partnership.Status.CLOSED:
        partnership_close(actor=coach, partnership=partnership)
        demo.history.backdate(partnership, ended_on=demo.days_ago(7))


SUMMARY = "Students' evidence moved steadily; the routine is now part of every lesson."
PHASES = [Phase.IDENTIFY, Phase.LEARN, Phase.IMPROVE, Phase.CLOSED]


def _cycle(demo, partnership, coach, teachers, spec, told, *, live):
    title, area_name, phase, outcome, weeks_ago, weeks_long = spec
    started_on = demo.days_ago(weeks_ago * 7)
    ended_on = started_on + datetime.timedelta(weeks=weeks_long) if phase == Phase.CLOSED else None
    cycle = cycle_start(
        actor=coach, partnership=partnership, title=title, focus_area=demo.areas[area_name]
    )
    demo.history.backdate_at_once(cycle, started_on=started_on)
    reached = PHASES[: PHASES.index(phase) + 1]
    last_day = ended_on or demo.today
    span = (last_day - started_on).days
    changed_at = {
        step: demo.at(
            school_day_on_or_before(
                started_on + datetime.timedelta(days=span * index // max(len(reached), 1))
            ),
            16,
            20,
        )
        for index, step in enumerate(reached)
    }
    _meetings(demo, partnership, teachers, told, started_on, last_day, phase=phase, live=live)
    for _ in reached[1:]:
        if cycle.next_phase:
            cycle_advance_phase(actor=coach, cycle=cycle)
    if phase != Phase.IDENTIFY:
        _goal(demo, cycle, coach, teachers, spec, last_day, set_at=changed_at[Phase.LEARN])
    if phase == Phase.CLOSED:
        cycle_close(actor=coach, cycle=cycle, outcome=outcome, summary=SUMMARY)
        demo.history.backdate(cycle, ended_on=ended_on)
    for change in cycle.phase_changes.all():
        demo.history.backdate(change, changed_at=changed_at[change.phase])


def _goal(demo, cycle, coach, teachers, spec, last_day, *, set_at):
    """The goal set as the learn phase began, its evidence, progress and reflections."""
    _, area_name, phase, outcome, _, _ = spec
    started_on = cycle.started_on
    statement, measure, unit, baseline, target = GOALS[area_name]
    # Proposed by the coach at the planning meeting, accepted there by the teacher.
    goal = goal_propose(
        actor=coach,
        cycle=cycle,
        statement=statement,
        powerful=True,
        easy=True,
        emotionally_compelling=True,
        reachable=True,
        student_focused=True,
        measure=measure,
        unit=unit,
        baseline=Decimal(baseline),
        target=Decimal(target),
        target_date=started_on + datetime.timedelta(weeks=10),
        strategy=demo.strategies.get(area_name),
        learning_targets="I can explain my answer to a partner.\nI can back up my ideas.",
    )
    goal = goal_accept(actor=teachers[0], goal=goal, seen_at=goal.updated_at)
    demo.history.backdate(goal, updated_at=set_at, agreed_at=set_at)
    evidence_record(
        actor=coach,
        goal=goal,
        kind="pre",
        taken_on=started_on,
        students_assessed=26,
        students_proficient=11,
    )
    if phase == Phase.CLOSED:
        evidence_record(
            actor=coach,
            goal=goal,
            kind="post",
            taken_on=last_day,
            students_assessed=26,
            students_proficient={"met": 22, "partly_met": 17, "not_met": 12, "stopped": 13}[
                outcome
            ],
        )
    span = (last_day - started_on).days
    points = 6 if phase != Phase.LEARN else 2
    gain = {"met": 1.05, "partly_met": 0.7, "not_met": 0.3, "stopped": 0.4}.get(outcome, 0.6)
    for index in range(1, points + 1):
        day = school_day_on_or_before(
            started_on + datetime.timedelta(days=span * index // (points + 1))
        )
        value = baseline + (target - baseline) * gain * index / points
        point = progress_add(
            actor=teachers[index % len(teachers)] if index % 3 else coach,
            goal=goal,
            recorded_on=day,
            value=Decimal(round(value)),
            source="assessment" if index % 2 else "student_work",
            note=PROGRESS_NOTES[(index + goal.pk) % len(PROGRESS_NOTES)] if index % 2 else "",
        )
        demo.history.backdate(point, created_at=demo.at(day, 16, 45))
    teacher = teachers[0]
    reflection_write(
        actor=teacher,
        cycle=cycle,
        prompt="What are students doing differently since you started, and how do you know?",
        text="More hands go up after partner talk; quieter students rehearse with a partner first.",
        visibility=Reflection.Visibility.SHARED,
    )
    reflection_write(
        actor=teacher,
        cycle=cycle,
        prompt="What did this cycle teach you that you want to carry into the next one?",
        text="I rush the wait time when I am behind. I want to protect it.",
        visibility=Reflection.Visibility.PRIVATE,
    )


def _meetings(demo, partnership, teachers, told, first_day, last_day, *, phase, live):
    """The planning meeting that opens a cycle, the debrief half-way (or, for a cycle still
    running, in the last days), and for a running one the next meeting, with the steps
    agreed at each."""
    rank, story, coach_step = told or (0, (None, None), None)
    planning = _held_meeting(
        demo,
        partnership,
        Meeting.Kind.PLANNING,
        school_days(first_day + datetime.timedelta(days=len(demo.calendar) % 3)),
        agenda="Look at last week's student work together. Choose what to aim for.",
        notes="Agreed to try a short routine and to gather evidence for two weeks.",
    )
    planned_on = planning.starts_at.date()
    # One running cycle in three still has its first step open, long overdue: a coach's
    # home shows some overdue steps, not one for every teacher.
    first_open = live and (phase == Phase.IDENTIFY or rank % 3 == 0)
    _step(demo, partnership, teachers, planning, story[0], planned_on, done=not first_open)
    debrief = None
    if phase != Phase.IDENTIFY:
        if live:
            recently = demo.today - datetime.timedelta(days=2 + rank % 4)
            days = school_days(recently, back=True)
        else:
            days = school_days(
                first_day + datetime.timedelta(days=(last_day - first_day).days // 2)
            )
        debrief = _held_meeting(
            demo,
            partnership,
            Meeting.Kind.DEBRIEF,
            days,
            agenda="What did students do differently? Bring this week's evidence.",
            notes="The routine is settling; students need more time to think before talking.",
        )
        _step(
            demo, partnership, teachers, debrief, story[1], debrief.starts_at.date(), done=not live
        )
    if not live:
        return
    soon = school_days(school_days_after(demo.today, 1 + len(demo.calendar) % 4))
    kind = Meeting.Kind.REFLECTING if phase == Phase.IMPROVE else Meeting.Kind.DEBRIEF
    minutes = MINUTES[kind]
    last = debrief or planning
    upcoming = meeting_schedule(
        actor=partnership.coach,
        partnership=partnership,
        kind=kind,
        starts_at=demo.book(soon, minutes),
        duration_minutes=minutes,
        agenda="Look at this week's evidence together.",
    )
    # Booked at the last meeting, as the step the coach took on there.
    demo.history.backdate(upcoming, created_at=last.held_at, updated_at=last.held_at)
    if coach_step:
        step = next_step_add(
            actor=partnership.coach,
            partnership=partnership,
            meeting=last,
            text=coach_step,
            owner=NextStep.Owner.COACH,
            due_on=upcoming.starts_at.astimezone(demo.school.zone).date(),
        )
        demo.history.backdate(step, created_at=last.held_at)


def _held_meeting(demo, partnership, kind, days, *, agenda, notes) -> Meeting:
    """Booked two days ahead, held, its notes written: `meeting_hold` logs its minutes."""
    minutes = MINUTES[kind]
    starts_at = demo.book(days, minutes)
    booked_at = within_a_year(starts_at, demo.school)
    coach = partnership.coach
    meeting = meeting_schedule(
        actor=coach,
        partnership=partnership,
        kind=kind,
        starts_at=booked_at,
        duration_minutes=minutes,
        agenda=agenda,
    )
    meeting_update(actor=coach, meeting=meeting, notes=notes)
    entry = meeting_hold(actor=coach, meeting=meeting)
    held_at = starts_at + datetime.timedelta(minutes=minutes + 5)
    demo.history.backdate(
        meeting,
        starts_at=starts_at,
        held_at=held_at,
        created_at=starts_at - datetime.timedelta(days=2),
        updated_at=held_at,
    )
    # The entry goes back with its meeting, by as many days.
    moved = (
        booked_at.astimezone(demo.school.zone).date()
        - starts_at.astimezone(demo.school.zone).date()
    )
    demo.history.backdate(entry, date=entry.date - moved, created_at=held_at)
    return meeting


# Whole weeks, so a meeting keeps its weekday and its time at the school.
YEAR_OF_WEEKS = datetime.timedelta(weeks=52)


def within_a_year(starts_at: datetime.datetime, school) -> datetime.datetime:
    """When to tell `meeting_schedule` a meeting starts: `starts_at`, or for one more than a
    year ago, which it refuses as a slip of the year field, the same weekday and time of
    day as many 52-week years later as bring it within reach. The history then puts the
    meeting, and the minutes it logged, back where they belong."""
    # A day past the bound is still past two days later (366 - 364): held, not to come.
    earliest = school.today() - A_YEAR
    local = starts_at.astimezone(school.zone)
    day = local.date()
    while day < earliest:
        day += YEAR_OF_WEEKS
    return datetime.datetime.combine(day, local.time(), tzinfo=school.zone)


def _step(demo, partnership, teachers, meeting, text, agreed_on, *, done):
    """A step the teacher takes on, agreed at `meeting`; done by the teacher before it is
    due, unless `done` says it is still open."""
    if not text:
        return
    due_on = school_days_after(agreed_on, 5)
    done_on = min(due_on - datetime.timedelta(days=1), demo.today - datetime.timedelta(days=1))
    step = next_step_add(
        actor=partnership.coach,
        partnership=partnership,
        meeting=meeting,
        text=text,
        owner=NextStep.Owner.TEACHER,
        due_on=due_on,
    )
    demo.history.backdate(step, created_at=meeting.held_at)
    if done:
        next_step_mark(actor=teachers[0], step=step, done=True)
        demo.history.backdate(step, done_at=demo.at(school_day_on_or_before(done_on), 15, 40))


PROGRESS_NOTES = [
    "Exit tickets sorted after the lesson.",
    "Counted from a recording of partner talk.",
    "Mini-whiteboard check at the end of the lesson.",
    "From the unit quiz, question 3.",
    "Tallied during the coach's visit.",
]
# Time with a teacher is logged against their partnership; the rest is the coach's own.
WITH_A_TEACHER = {
    ActivityEntry.Kind.OBSERVATION,
    ActivityEntry.Kind.MODELLING,
    ActivityEntry.Kind.CO_TEACHING,
    ActivityEntry.Kind.CO_PLANNING,
}
ACTIVITY_PATTERN = [
    (ActivityEntry.Kind.OBSERVATION, 45),
    (ActivityEntry.Kind.CO_PLANNING, 30),
    (ActivityEntry.Kind.MODELLING, 50),
    (ActivityEntry.Kind.TEAM, 60),
    (ActivityEntry.Kind.NON_COACHING, 40),
    (ActivityEntry.Kind.DATA_MEETING, 45),
    (ActivityEntry.Kind.CO_TEACHING, 50),
    (ActivityEntry.Kind.PD_DELIVERY, 90),
]


def _activity_weeks(coach, school, people, history, weeks=4):
    """Entries on the school days of the last few weeks, once per coach and school, logged
    by the coach at the end of each day.

    Only days already over: a coach logs what they did, and the log lists the newest first,
    so an entry dated ahead of the school's today would sit on top of it.
    """
    if ActivityEntry.objects.filter(coach=coach, school=school, meeting__isnull=True).exists():
        return
    days = school_days(school.today() - datetime.timedelta(days=1), back=True)
    partners = list(Partnership.objects.filter(coach=coach, school=school, status="active"))
    number, place = people.number[coach.pk], people.schools.index(school) + 1
    for offset, day in zip(range(weeks * 5), days, strict=False):
        # One to three entries a day, as a coach's days differ, and no two coaches alike.
        for slot in range(1 + (offset * 2 + number) % 3):
            turn = offset * 2 + slot + place + number * 3
            kind, minutes = ACTIVITY_PATTERN[turn % len(ACTIVITY_PATTERN)]
            minutes += 5 * ((number + offset) % 3)
            partnership = partners[turn % len(partners)] if partners else None
            entry = activity_log(
                actor=coach,
                school=school,
                date=day,
                minutes=minutes,
                kind=kind,
                partnership=partnership if kind in WITH_A_TEACHER else None,
            )
            logged_at = datetime.datetime.combine(day, datetime.time(17), tzinfo=school.zone)
            history.backdate(entry, created_at=logged_at)
