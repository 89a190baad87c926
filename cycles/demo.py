"""Demo data for cycles: the strategy library, and coaching in every state.

Partnerships in every state, cycles in every phase, with goals, progress, meetings, next
steps, reflections and weeks of logged time. Dates are relative to today, so the demo
always looks current. Each partnership is created whole, once, so the command can re-run.
"""

import datetime
import zoneinfo
from decimal import Decimal

from django.utils import timezone

from coaching.models import (
    ActivityEntry,
    CoachNote,
    Meeting,
    NextStep,
    Partnership,
    PartnershipMember,
)

from .models import (
    Cycle,
    EvidenceSnapshot,
    FocusArea,
    Goal,
    PhaseChange,
    ProgressPoint,
    Reflection,
    Strategy,
)

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


def seed_strategies(district) -> list[Strategy]:
    areas = {area.name: area for area in FocusArea.objects.filter(district=district)}
    return [
        Strategy.objects.get_or_create(
            district=district,
            title=title,
            defaults={
                "focus_area": areas.get(area),
                "description": description,
                "checklist": checklist,
            },
        )[0]
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


REPORT_TEACHERS = [
    "Aiko Tanaka", "Bruno Silva", "Carmen Ortiz", "Dmitri Volkov", "Esther Cohen",
    "Felix Wagner", "Grace Liu", "Hamid Karimi", "Ines Moreau", "Jonas Berg",
    "Kemi Adebayo", "Liam Walsh", "Mina Sato", "Noah Fischer", "Olga Ivanova", "Pablo Ruiz",
]  # fmt: skip
REPORT_AREAS = ["Formative assessment", "Instruction", "Content planning"]
REPORT_OUTCOMES = ["met", "met", "partly_met", "met", "not_met", "met", "stopped", "partly_met"]


def report_scenarios():
    """Enough past and present cycles for the reports to show figures, not suppressions.

    Community building is left to a handful of teachers: that small group stays hidden.
    """
    from accounts.demo import teacher_email

    scenarios = []
    for i, name in enumerate(REPORT_TEACHERS):
        coach = "coach.ito@example.org" if i % 2 == 0 else "coach.novak@example.org"
        # Most took formative assessment this autumn: enough for its figures to show.
        area = "Instruction" if i % 4 == 3 else "Formative assessment"
        cycles = [
            (
                f"Spring focus {i + 1}",
                REPORT_AREAS[(i + 1) % 3],
                "closed",
                REPORT_OUTCOMES[(i + 3) % 8],
                40,
                9,
            ),
            (f"Autumn focus {i + 1}", area, "closed", REPORT_OUTCOMES[i % 8], 13, 7),
        ]
        if i % 3:
            phase = ["identify", "learn", "improve"][i % 3]
            cycles.append((f"Current focus {i + 1}", area, phase, "", 4, 0))
        scenarios.append((coach, i % 2, [teacher_email(name)], "", "active", cycles))
    return scenarios  # fmt: skip


def seed_coaching(people) -> int:
    """Create the demo partnerships that do not exist yet; returns how many were created."""
    users, schools = people.users, people.schools
    strategies = {s.focus_area.name: s for s in seed_strategies(people.district) if s.focus_area}
    areas = {a.name: a for a in FocusArea.objects.filter(district=people.district)}
    created = 0
    for coach_email, school_index, teacher_emails, title, status, cycles in (
        SCENARIOS + report_scenarios()
    ):
        coach, school = users[coach_email], schools[school_index]
        teachers = [users[email] for email in teacher_emails]
        exists = Partnership.objects.filter(
            coach=coach, school=school, members__teacher=teachers[0]
        ).exists()
        if exists:
            continue
        # Meetings are set at school hours, in the school's own time zone.
        with timezone.override(zoneinfo.ZoneInfo(school.time_zone)):
            _partnership(coach, school, teachers, title, status, cycles, areas, strategies)
        created += 1
    for coach_email, school_index in {(s[0], s[1]) for s in SCENARIOS}:
        _activity_weeks(users[coach_email], schools[school_index])
    return created


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _partnership(coach, school, teachers, title, status, cycles, areas, strategies):
    first_start = max((c[4] for c in cycles), default=1) * 7 + 7
    started_on = _days_ago(first_start) if status != "invited" else None
    closed = status == "closed"
    partnership = Partnership.objects.create(
        school=school,
        coach=coach,
        title=title,
        status=status,
        started_on=started_on,
        ended_on=_days_ago(7) if closed else None,
        last_activity_at=timezone.now() - datetime.timedelta(days=2 if status == "active" else 30),
    )
    member_status = PartnershipMember.Status.INVITED if status == "invited" else "accepted"
    for teacher in teachers:
        PartnershipMember.objects.create(
            partnership=partnership,
            teacher=teacher,
            status=member_status,
            responded_at=None if status == "invited" else _at(started_on, 15),
        )
    if status == "invited":
        return
    CoachNote.objects.create(
        coach=coach,
        partnership=partnership,
        text="Keen to work on student talk. Prefers meeting before school.",
    )
    for cycle_spec in cycles:
        _cycle(partnership, coach, teachers, cycle_spec, areas, strategies)


def _cycle(partnership, coach, teachers, spec, areas, strategies):
    title, area_name, phase, outcome, weeks_ago, weeks_long = spec
    started_on = _days_ago(weeks_ago * 7)
    ended_on = started_on + datetime.timedelta(weeks=weeks_long) if phase == Phase.CLOSED else None
    cycle = Cycle.objects.create(
        partnership=partnership,
        title=title,
        focus_area=areas[area_name],
        phase=phase,
        started_on=started_on,
        ended_on=ended_on,
        outcome=outcome,
        summary="Students' evidence moved steadily; the routine is now part of every lesson."
        if phase == Phase.CLOSED
        else "",
    )
    order = [Phase.IDENTIFY, Phase.LEARN, Phase.IMPROVE, Phase.CLOSED]
    reached = order[: order.index(phase) + 1]
    last_day = ended_on or timezone.localdate()
    span = (last_day - started_on).days
    for index, step in enumerate(reached):
        day = started_on + datetime.timedelta(days=span * index // max(len(reached), 1))
        PhaseChange.objects.create(
            cycle=cycle, phase=step, changed_at=_at(day, 16), changed_by=coach
        )
    _meetings(partnership, cycle, teachers, started_on, last_day)
    if phase == Phase.IDENTIFY:
        return
    statement, measure, unit, baseline, target = GOALS[area_name]
    goal = Goal.objects.create(
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
        strategy=strategies.get(area_name),
        learning_targets="I can explain my answer to a partner.\nI can back up my ideas.",
    )
    EvidenceSnapshot.objects.create(
        goal=goal, kind="pre", taken_on=started_on, students_assessed=26, students_proficient=11
    )
    if phase == Phase.CLOSED:
        proficient = {"met": 22, "partly_met": 17, "not_met": 12, "stopped": 13}[outcome]
        EvidenceSnapshot.objects.create(
            goal=goal,
            kind="post",
            taken_on=ended_on,
            students_assessed=26,
            students_proficient=proficient,
        )
    points = 6 if phase != Phase.LEARN else 2
    gain = {"met": 1.05, "partly_met": 0.7, "not_met": 0.3, "stopped": 0.4}.get(outcome, 0.6)
    for index in range(1, points + 1):
        day = started_on + datetime.timedelta(days=span * index // (points + 1))
        value = baseline + (target - baseline) * gain * index / points
        ProgressPoint.objects.create(
            goal=goal,
            recorded_on=day,
            value=Decimal(round(value)),
            source="assessment" if index % 2 else "student_work",
            note="Exit tickets sorted after the lesson." if index % 2 else "",
            added_by=teachers[index % len(teachers)] if index % 3 else coach,
        )
    teacher = teachers[0]
    Reflection.objects.create(
        cycle=cycle,
        author=teacher,
        prompt="What are students doing differently since you started, and how do you know?",
        text="More hands go up after partner talk; quieter students rehearse with a partner first.",
        visibility=Reflection.Visibility.SHARED,
    )
    Reflection.objects.create(
        cycle=cycle,
        author=teacher,
        prompt="What did this cycle teach you that you want to carry into the next one?",
        text="I rush the wait time when I am behind. I want to protect it.",
        visibility=Reflection.Visibility.PRIVATE,
    )


def _meetings(partnership, cycle, teachers, first_day, last_day):
    live = partnership.status == Partnership.Status.ACTIVE and cycle.is_open
    planning = Meeting.objects.create(
        partnership=partnership,
        kind=Meeting.Kind.PLANNING,
        starts_at=_at(first_day + datetime.timedelta(days=1), 8),
        duration_minutes=40,
        agenda="Look at last week's student work together. Choose what to aim for.",
        notes="Agreed to try a short routine and to gather evidence for two weeks.",
        held_at=_at(first_day + datetime.timedelta(days=1), 9),
    )
    ActivityEntry.objects.create(
        coach=partnership.coach,
        school=partnership.school,
        date=timezone.localdate(planning.starts_at),
        minutes=40,
        kind=ActivityEntry.Kind.CONVERSATION,
        partnership=partnership,
        meeting=planning,
        note="Planning meeting",
    )
    NextStep.objects.create(
        partnership=partnership,
        meeting=planning,
        text="Collect one set of exit tickets and sort them.",
        owner=NextStep.Owner.TEACHER,
        due_on=first_day + datetime.timedelta(days=7),
        done_at=_at(first_day + datetime.timedelta(days=6), 15),
        created_by=partnership.coach,
    )
    if live:
        NextStep.objects.create(
            partnership=partnership,
            meeting=planning,
            text="Try the routine in period 3 and note what changes.",
            owner=NextStep.Owner.TEACHER,
            due_on=timezone.localdate() - datetime.timedelta(days=2),
            created_by=partnership.coach,
        )
        NextStep.objects.create(
            partnership=partnership,
            text="Bring a short video clip of the strategy for the next meeting.",
            owner=NextStep.Owner.COACH,
            due_on=timezone.localdate() + datetime.timedelta(days=3),
            created_by=partnership.coach,
        )
        upcoming = timezone.localdate() + datetime.timedelta(days=2)
        Meeting.objects.create(
            partnership=partnership,
            kind=Meeting.Kind.REFLECTING if cycle.phase == Phase.IMPROVE else Meeting.Kind.DEBRIEF,
            starts_at=_at(upcoming, 15),
            duration_minutes=30,
            agenda="Look at this week's evidence together.",
        )


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


def _activity_weeks(coach, school, weeks=4):
    """Weekday entries over the last few weeks, once per coach and school."""
    if ActivityEntry.objects.filter(coach=coach, school=school, meeting__isnull=True).exists():
        return
    today = timezone.localdate()
    entries = []
    for offset in range(weeks * 7):
        day = today - datetime.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for slot in range(2):
            kind, minutes = ACTIVITY_PATTERN[(offset * 2 + slot) % len(ACTIVITY_PATTERN)]
            entries.append(
                ActivityEntry(coach=coach, school=school, date=day, minutes=minutes, kind=kind)
            )
    ActivityEntry.objects.bulk_create(entries)
