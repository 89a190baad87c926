"""The demo's lead coach, who supports two coaches; Maya Okafor's growth cycle; and what the
teachers of two coaches said when their cycles closed, enough to show in groups.

Everything goes through the services people use; only the moments are moved to when the
story has them happen. Each step looks up before it creates, so it can run again.
"""

import datetime

from django.db.models import Q

from accounts.models import User
from cycles.models import Cycle
from cycles.services import survey_answer
from growth import services
from growth.models import GrowthCycle, LeadSupport

LEAD = "lead@example.org"
SUPPORTED = ["coach@example.org", "coach.ito@example.org"]
DAY = datetime.timedelta(days=1)

GOAL = (
    "In debriefs, ask at least three open questions before I offer a suggestion, so that "
    "teachers name the next move themselves."
)
CONVERSATIONS = [
    (
        "planning",
        24,
        "Maya wants to talk less in debriefs. She will record two debriefs (with the "
        "teachers' agreement) and count her questions and suggestions. Success: questions "
        "outnumber suggestions, and the teacher names the next step.",
    ),
    (
        "reflecting",
        6,
        "In the second recording, five questions before the first suggestion. Maya noticed "
        "the teacher filled the silence after the third question with her own plan.",
    ),
]
REFLECTIONS = [
    (
        20,
        True,
        "I counted in Tuesday's debrief: 4 questions, 9 suggestions. I jump in as soon as "
        "there is a pause. I want to try waiting, even when it feels long.",
        "Nine suggestions is honest counting. What did the teacher do in the pause when you "
        "did wait? That might be worth noticing next time.",
    ),
    (
        9,
        True,
        "Waiting works better than I expected. Two teachers named their next step without "
        "me. I still rush at the end, when time is short.",
        "",
    ),
    (
        3,
        False,
        "I am not sure I ask open questions or just suggestions with a question mark.",
        "",
    ),
]
STEPS = [
    ("Record two debriefs and count questions and suggestions", 18, True),
    ("Keep a question stem card on the clipboard for debriefs", 10, True),
    ("Plan the end of the debrief so there is time for the teacher's next step", -7, False),
]

# What teachers said, by their place among the coach's teachers; most of it warm, some not.
USEFUL = ["yes", "yes", "partly", "yes", "yes", "no", "yes", "partly", "yes", "yes"]
SAFE = ["yes", "yes", "yes", "partly", "yes", "yes", "yes", "yes", "no", "yes"]
AGAIN = ["yes", "partly", "yes", "yes", "yes", "no", "yes", "yes", "partly", "yes"]
COMMENTS = [
    "The exit tickets changed how I plan the next day.",
    "",
    "I would have liked more time in the classroom and fewer meetings.",
    "Having someone count what students said was eye-opening.",
    "",
    "It felt like one more thing during a heavy term.",
    "My coach listened more than talked. That helped me think.",
    "",
    "Good questions. I still want more concrete strategies.",
    "I finally tried cold-call alternatives, and it worked.",
]
AUTUMN_COMMENTS = [
    "The video of my own lesson was hard to watch and worth it.",
    "Our goal was about the students, not about me. That made it easier.",
    "",
    "Meetings kept getting moved; the cycle lost its rhythm.",
    "I liked choosing what was looked for.",
]


def seed_growth(people) -> None:
    users, school = people.users, people.schools[0]
    lead = users[LEAD]
    for email in SUPPORTED:
        coach = users[email]
        if LeadSupport.objects.filter(lead=lead, coach=coach).exists():
            continue
        offer = services.support_offer(actor=lead, coach=coach)
        services.support_accept(actor=coach, support=offer)
        # Nora has supported them since the start of the term.
        started = _moment(school, school.today() - 35 * DAY)
        LeadSupport.objects.filter(pk=offer.pk).update(offered_at=started, started_at=started)
    maya = users[SUPPORTED[0]]
    if GrowthCycle.objects.filter(coach=maya).exists():
        return
    today = school.today()
    questioning = people.district.competencies.get(name="Questioning")
    cycle = services.growth_cycle_start(actor=maya, coach=maya, competency=questioning, goal=GOAL)
    GrowthCycle.objects.filter(pk=cycle.pk).update(started_on=today - 28 * DAY)
    for kind, days, notes in CONVERSATIONS:
        services.growth_meeting_record(
            actor=lead, cycle=cycle, kind=kind, held_on=today - days * DAY, notes=notes
        )
    for days, shared, text, answer in REFLECTIONS:
        reflection = services.growth_reflection_write(
            actor=maya, cycle=cycle, text=text, shared=shared
        )
        moment = _moment(school, today - days * DAY)
        reflection.__class__.objects.filter(pk=reflection.pk).update(created_at=moment)
        if answer:
            services.growth_reflection_answer(actor=lead, reflection=reflection, answer=answer)
            reflection.__class__.objects.filter(pk=reflection.pk).update(answered_at=moment + DAY)
    for text, days, done in STEPS:
        step = services.growth_step_add(
            actor=maya, cycle=cycle, text=text, due_on=today - days * DAY
        )
        if done:
            services.growth_step_mark(actor=maya, step=step, done=True)


def _moment(school, day) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(16, 30), tzinfo=school.zone)


def seed_survey(people) -> int:
    """The past cycles of the report teachers, answered in the order they closed, each on
    the day it closed. Returns how many answers were added."""
    coaches = [people.users["coach.ito@example.org"], people.users["coach.novak@example.org"]]
    cycles = (
        Cycle.objects.filter(partnership__coach__in=coaches, phase=Cycle.Phase.CLOSED)
        .filter(Q(title__startswith="Spring focus") | Q(title__startswith="Autumn focus"))
        .exclude(survey_receipts__isnull=False)
        .select_related("partnership__school")
        .prefetch_related("partnership__members")
        .order_by("ended_on", "title")
    )
    added = 0
    for cycle in cycles:
        # Half the teachers answer about the autumn: the term under way is still filling.
        number = int(cycle.title.rsplit(" ", 1)[1])
        if cycle.title.startswith("Autumn") and number % 4 in (1, 2):
            continue
        teacher = User.objects.get(pk=cycle.partnership.members.get().teacher_id)
        rank = number // 2  # the teacher's place among the coach's twenty
        comments = AUTUMN_COMMENTS if cycle.title.startswith("Autumn") else COMMENTS
        survey_answer(
            actor=teacher,
            cycle=cycle,
            useful=USEFUL[rank % 10],
            safe=SAFE[rank % 10],
            again=AGAIN[rank % 10],
            # Not everyone writes a comment, and nobody writes the same one.
            comment=comments[rank] if rank < len(comments) else "",
            on=cycle.ended_on,  # the day the cycle closed: a group is shown on its last
        )
        added += 1
    return added
