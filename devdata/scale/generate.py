"""A district at scale, generated: schools, people, and years of coaching records.

The shape follows the district the performance work measured (issue 11): per school a
principal (and at some an assistant), two coaches and about a hundred teachers; about two
partnerships for every three teachers, some teams, some a teacher's second partnership after
an earlier one closed; cycles one after another, each with its phases, goal, evidence,
progress, meetings, next steps and reflections; observations from the learn phase on, about
seven notes each, shared with feedback, mostly answered, every read and change in the
access log. One coach, the first of the first school, observes more than the others (about
33 partnerships and 3,000 observations at full size), as the demo coach does.

Every record keeps the rules the app relies on: one open cycle per partnership and per
teacher, closed cycles with an end and an outcome, shared observations with their sharing
date, answers and "seen" marks in order, access events naming real records, and no
administrator of a school coaching or coached there. Dates are relative to each school's
today. The counters the services keep as they go (`note_count`, `answers_unseen`,
`last_activity_at`) are worked out from the rows once all are written, by the functions the
services and the demo use (`observations_recount`, `partnerships_recount_last_activity`):
no counter rule is written here.

Rows go out as they are made (see `writer`), so memory stays flat however big the district.
The observations are shared out over the cycles in proportion to the days each spent
observing, by integer arithmetic, so their total is exactly the number asked for.
"""

import datetime
import time
import unicodedata
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import District, Membership, School, Term, User
from coaching.models import (
    DEFAULT_AGREEMENT,
    ActivityEntry,
    CoachNote,
    Meeting,
    NextStep,
    Partnership,
    PartnershipMember,
)
from cycles.models import (
    Cycle,
    EvidenceSnapshot,
    FocusArea,
    Goal,
    PhaseChange,
    ProgressPoint,
    Reflection,
    Strategy,
)
from cycles.prompts import PROMPTS_BY_PHASE
from devdata.demo.coaching import (
    ACTIVITY_PATTERN,
    COACH_STEPS,
    GOALS,
    MEETING_TIMES,
    MINUTES,
    STORIES,
    STRATEGIES,
)
from devdata.demo.observations import LESSON_MINUTES, LESSON_TIMES
from devdata.recount import partnerships_recount_last_activity
from observations.models import (
    AccessEvent,
    Observation,
    ObservationNote,
    ObservationResponse,
    Tally,
)
from observations.services import observations_recount

from . import words
from .plan import (
    Place,
    Sizes,
    plan_slot,
    school_day_after,
    school_day_on_or_before,
    shares,
    slots,
)
from .writer import Writer, indexes_deferred

DOMAIN = "scale.example.org"
# Generated administrators sign in with two steps, from an authenticator holding this
# published key (hex of "Tandem scale key"), so the benchmark can compute their codes.
TOTP_KEY = "54616e64656d207363616c65206b6579"
MAIN_DISTRICT = ("Lakeshore Unified", "America/Chicago")
# Small districts beside the main one, so that scopes meet other districts and time zones
# too; only when the main district is big enough to look like one.
OTHER_DISTRICTS = [
    ("Pine Hills District", "America/Denver"),
    ("Harbor City Schools", "America/New_York"),
    ("Kauri Bay Schools", "Pacific/Auckland"),
]
SCHOOLS_FOR_OTHER_DISTRICTS = 20
HEAVY_WEIGHT, WEIGHT = 7, 5  # the heavy coach observes two fifths more per day of cycle

# The tables written, and the fields of their rows, in order. A field left out is NULL:
# a new required field makes the load fail at once rather than write something wrong.
TABLES = {
    "users": (User, "id email full_name password is_active is_staff is_superuser date_joined "
              "sessions_generation two_step_enabled language"),
    "memberships": (Membership, "user role school district created_at from_roster"),
    "partnerships": (Partnership, "id school coach title status agreement created_at "
                     "started_on ended_on last_activity_at"),
    "members": (PartnershipMember, "partnership teacher status invited_at invitation_sent_at "
                "responded_at"),
    "cycles": (Cycle, "id partnership title focus_area phase started_on ended_on outcome summary "
               "created_at"),
    "phase_changes": (PhaseChange, "cycle phase changed_at changed_by"),
    "goals": (Goal, "id cycle statement powerful easy emotionally_compelling reachable "
              "student_focused measure unit baseline target target_date strategy "
              "learning_targets updated_at proposed_by agreed_at"),
    "evidence": (EvidenceSnapshot, "goal kind taken_on students_assessed students_proficient"),
    "progress": (ProgressPoint, "goal recorded_on value source note added_by created_at"),
    "reflections": (Reflection, "id cycle author prompt text visibility created_at updated_at"),
    "meetings": (Meeting, "id partnership kind starts_at duration_minutes agenda notes held_at "
                 "created_at updated_at"),
    "activity": (ActivityEntry, "coach school date minutes kind partnership meeting note "
                 "created_at"),
    "next_steps": (NextStep, "id partnership meeting text owner due_on done_at created_by "
                   "created_at"),
    "coach_notes": (CoachNote, "id coach partnership text created_at"),
    "observations": (Observation, "id cycle observer observed_at subject grade period status "
                     "strengths wonderings next_steps shared_at shared_notice_sent_at "
                     "amended_at created_at note_count answers_unseen"),
    "observed": (Observation.teachers.through, "observation user"),
    "notes": (ObservationNote, "observation client_id noted_at text created_at"),
    "tallies": (Tally, "observation client_id label count position"),
    "responses": (ObservationResponse, "observation teacher text acknowledged_at updated_at "
                  "seen_by_observer_at unseen_by_observer notice_sent_at"),
    "access": (AccessEvent, "subject actor action kind record_id record_date at first_at "
               "repeats"),
}  # fmt: skip
# The tables the counters are worked out from, once everything is written.
COUNTED_FROM = [PartnershipMember, Meeting, NextStep, ActivityEntry, Cycle, PhaseChange, Goal,
                ProgressPoint, Observation, ObservationNote, ObservationResponse]  # fmt: skip
# Small enough to load with their indexes; every other table grows with the history.
INDEXED_WHILE_LOADING = {"users", "memberships"}

Role = Membership.Role
Phase = Cycle.Phase
Status = Partnership.Status
UTC = datetime.UTC
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
at = datetime.time

POST_SHARE = {"met": 0.85, "partly_met": 0.65, "not_met": 0.45, "stopped": 0.45}
GAIN = {"met": 1.05, "partly_met": 0.7, "not_met": 0.3, "stopped": 0.4}
PROGRESS_SOURCES = [("student_work", ""), ("assessment", "Exit tickets sorted after the lesson.")]
# About 7.4 notes an observation, from three to twelve, and one or two tallies.
NOTE_COUNTS = [3, 4, 5, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 10, 11, 12]
TALLY_COUNTS = [0, 1, 1, 2, 2, 3]
FEEDBACK = (words.STRENGTHS, words.WONDERINGS, words.NEXT_STEPS)
NOTE_SAVED = datetime.timedelta(seconds=2)  # from a note's typing to its arrival

# What makes 128 random bits a version 4 UUID, as uuid.uuid4() does (but faster).
_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)


def new_id(rng) -> str:
    return "%032x" % (rng.getrandbits(128) & _UUID_CLEAR | _UUID_SET)


def _ascii(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name.replace("ı", "i")).encode("ascii", "ignore")
    return plain.decode().lower().replace("'", "").replace(" ", "")


class Generator:
    """Writes one generated district into an empty database, inside the caller's
    transaction. `report` receives progress lines."""

    def __init__(self, sizes: Sizes, *, password: str, report=print):
        self.sizes = sizes
        self.report = report
        self.password_hash = make_password(password)  # once: hashing is slow on purpose
        self.now = timezone.now()
        self.joined = self.now - datetime.timedelta(days=6 * 365)
        self.started = time.monotonic()
        self.observing_days_before = 0
        self.observing_days_total = 0
        self.first_day = {}  # (coach, school) -> the first day they coached there
        self.admins = []
        self.next_user = self._after_last(User)
        self.next_goal = self._after_last(Goal)
        self._last_report = 0.0

    @staticmethod
    def _after_last(model) -> int:
        return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def run(self) -> dict:
        """Write the district; returns the number of rows written, by table."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # This transaction only: index builds get room to sort in memory.
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        self.writer = Writer()
        try:
            self.rows = {
                name: self.writer.table(model, fields.split())
                for name, (model, fields) in TABLES.items()
            }
            places = self._places()
            districts = len({p.district for p in places})
            self._say(f"{len(places)} schools in {districts} district{'s' * (districts != 1)}")
            deferred = [
                r.table for name, r in self.rows.items() if name not in INDEXED_WHILE_LOADING
            ]
            with indexes_deferred(deferred):
                self._people(places)
                self._say(f"{self.rows['users'].count:,} people")
                self._coaching(places)
                self._activity(places)
                self.writer.flush()
                self._progress(force=True)
                self._say("rebuilding indexes and checking constraints")
            self._say("counting what the counters count")
            # Each count looks its rows up by index: the planner needs to know the tables'
            # sizes to choose that, and nothing has told it yet.
            _analyze(*COUNTED_FROM)
            observations_recount(Observation.objects.all())
            partnerships_recount_last_activity(Partnership.objects.all())
        finally:
            self.writer.close()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [User, Goal]):
                cursor.execute(sql)
        self._say("written")
        return {rows.label: rows.count for rows in self.rows.values()}

    def _progress(self, force=False):
        elapsed = time.monotonic() - self.started
        if not force and elapsed - self._last_report < 5:
            return
        self._last_report = elapsed
        count = {name: rows.count for name, rows in self.rows.items()}
        share = count["observations"] / self.sizes.observations
        self.report(
            f"{elapsed:7.1f} s  observations {count['observations']:>10,} "
            f"/ {self.sizes.observations:,} ({share:4.0%})  notes {count['notes']:>11,}  "
            f"access events {count['access']:>10,}  cycles {count['cycles']:>8,}"
        )

    def _say(self, text):
        self.report(f"{time.monotonic() - self.started:7.1f} s  {text}")

    def _at(self, place, day, time_of_day) -> datetime.datetime:
        """A time of day at the school, in UTC."""
        return datetime.datetime.combine(day, time_of_day, tzinfo=place.zone).astimezone(UTC)

    # Places -----------------------------------------------------------------------------

    def _places(self) -> list[Place]:
        districts = [(MAIN_DISTRICT, self.sizes.schools)]
        if self.sizes.schools >= SCHOOLS_FOR_OTHER_DISTRICTS:
            districts += [(other, 2) for other in OTHER_DISTRICTS]
        places = []
        for (name, zone), count in districts:
            district = District.objects.create(name=name)  # its focus areas come with it
            areas = list(FocusArea.objects.filter(district=district).values_list("pk", "name"))
            strategies = {}
            for strategy in _strategy_library(district):
                strategies.setdefault(strategy.focus_area.name, []).append(strategy.pk)
            schools = School.objects.bulk_create(
                School(district=district, name=_school_name(len(places) + i), time_zone=zone)
                for i in range(count)
            )
            for school in schools:
                places.append(
                    Place(school.pk, district.pk, school.zone, school.today(), areas, strategies)
                )
            _terms(district, places[-1].today)
        return places

    # People -----------------------------------------------------------------------------

    def _user(self, rng, role_word="") -> int:
        pk = self.next_user
        self.next_user += 1
        first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
        email = f"{_ascii(first)}.{_ascii(last)}.{role_word}{pk}@{DOMAIN}"
        admin = role_word in ("principal", "district")
        # No language yet: each takes their browser's when they first sign in.
        self.rows["users"].add(pk, email, f"{first} {last}", self.password_hash, True, False,
                               False, self.joined, 0, admin, "")  # fmt: skip
        if admin:
            self.admins.append(pk)
        return pk

    def _member(self, user, role, *, school=None, district=None):
        self.rows["memberships"].add(user, role, school, district, self.joined, False)

    def _people(self, places):
        rng = self.sizes.random("people")
        by_district = {}
        for place in places:
            by_district.setdefault(place.district, []).append(place)
        main = places[0].district
        for district, schools in by_district.items():
            for _ in range(2 if district == main else 1):
                self._member(self._user(rng, "district"), Role.DISTRICT_ADMIN, district=district)
            if district != main:
                # A small district's schools share a principal: one person, two roles.
                principal = self._user(rng, "principal")
                for place in schools:
                    self._member(principal, Role.SCHOOL_ADMIN, school=place.pk)
                continue
            for index, place in enumerate(schools):
                for _ in range(2 if index % 4 == 3 else 1):  # an assistant at every fourth
                    self._member(self._user(rng, "principal"), Role.SCHOOL_ADMIN, school=place.pk)
        for index in range(self.sizes.coaches):
            place = places[index % len(places)]
            coach = self._user(rng, "coach")
            self._member(coach, Role.COACH, school=place.pk)
            place.coaches.append(coach)
            # Every tenth also coaches at the next school of the district, as the demo
            # coach does; one in twenty-five teaches a class where they coach.
            schools = by_district[place.district]
            following = schools.index(place) + 1
            if index % 10 == 0 and following < len(schools):
                schools[following].visiting.append(coach)
                self._member(coach, Role.COACH, school=schools[following].pk)
            if index % 25 == 5:
                self._member(coach, Role.TEACHER, school=place.pk)
        # Schools differ in size; the first, the heavy coach's, is a little smaller.
        weights = [0.95] + [rng.uniform(0.6, 1.4) for _ in places[1:]]
        for place, count in zip(places, shares(self.sizes.teachers, weights), strict=True):
            for _ in range(count):
                teacher = self._user(rng)
                self._member(teacher, Role.TEACHER, school=place.pk)
                place.teachers.append(teacher)
        self.writer.flush()
        TOTPDevice.objects.bulk_create(
            TOTPDevice(user_id=pk, name="Scale authenticator", key=TOTP_KEY, confirmed=True)
            for pk in self.admins
        )

    # Coaching ---------------------------------------------------------------------------

    def _plans(self, places):
        for index, place in enumerate(places):
            for slot, group, coach, other in slots(self.sizes, place, index):
                yield place, index, slot, plan_slot(self.sizes, place, index, slot, group,
                                                    coach, other)  # fmt: skip

    def _weight(self, plan, cycle) -> int:
        heavy = plan.coach == self.heavy_coach
        return cycle.observed_days * (HEAVY_WEIGHT if heavy else WEIGHT)

    def _coaching(self, places):
        self.heavy_coach = places[0].coaches[0] if places[0].coaches else None
        # First the days of observing there are, to share the observations out over them.
        self.observing_days_total = sum(
            self._weight(plan, cycle)
            for _, _, _, plans in self._plans(places)
            for plan in plans
            for cycle in plan.cycles
        )
        for place, index, slot, plans in self._plans(places):
            rng = self.sizes.random("write", index, slot)
            for plan in plans:
                self._write_partnership(rng, place, plan)
            self._progress()

    def _observations_for(self, plan, cycle) -> int:
        """This cycle's share of the observations: exact in total, by integer arithmetic."""
        if not self.observing_days_total:
            return 0
        before = self.observing_days_before
        self.observing_days_before += self._weight(plan, cycle)
        total, days = self.sizes.observations, self.observing_days_total
        return self.observing_days_before * total // days - before * total // days

    def _write_partnership(self, rng, place, plan):
        pk = new_id(rng)
        if plan.started_on:
            key = (plan.coach, place.pk)
            self.first_day[key] = min(self.first_day.get(key, plan.started_on), plan.started_on)
        invited_at = min(self._at(place, plan.invited_on, at(14)), self.now - HOUR)
        for teacher in plan.teachers:
            if plan.status == Status.INVITED:
                status, answered = PartnershipMember.Status.INVITED, None
            elif teacher in plan.declined:
                status, answered = PartnershipMember.Status.DECLINED, invited_at + DAY
            else:
                status = PartnershipMember.Status.ACCEPTED
                answered = self._at(place, plan.started_on, at(15, 30))
            sent = invited_at + datetime.timedelta(minutes=1)
            self.rows["members"].add(pk, teacher, status, invited_at, sent, answered)
        if plan.status != Status.INVITED:
            for _ in range(1 + (rng.random() < 0.5)):
                day = plan.started_on + datetime.timedelta(days=rng.randint(0, 20))
                written = min(self._at(place, day, at(17, 10)), self.now - DAY)
                text = rng.choice(words.COACH_NOTES)
                self.rows["coach_notes"].add(new_id(rng), plan.coach, pk, text, written)
        teachers = [t for t in plan.teachers if t not in plan.declined]
        for cycle in plan.cycles:
            self._write_cycle(rng, place, plan, pk, teachers, cycle)
        self.rows["partnerships"].add(
            pk, place.pk, plan.coach, plan.title, plan.status, DEFAULT_AGREEMENT, invited_at,
            plan.started_on, plan.ended_on, invited_at,  # last activity: recounted in `run`
        )  # fmt: skip

    def _write_cycle(self, rng, place, plan, partnership, teachers, cycle):
        pk = new_id(rng)
        area_pk, area = cycle.area
        live = plan.status == Status.ACTIVE and cycle.ended_on is None
        title = rng.choice(words.CYCLE_TITLES.get(area) or ["Next cycle"])
        summary = rng.choice(words.SUMMARIES) if cycle.ended_on else ""
        self.rows["cycles"].add(
            pk, partnership, title, area_pk, cycle.phase, cycle.started_on, cycle.ended_on,
            cycle.outcome, summary, self._at(place, cycle.started_on, at(16)),
        )  # fmt: skip
        for phase, day in cycle.reached.items():
            changed_at = self._at(place, day, at(16, 20))
            self.rows["phase_changes"].add(pk, phase, changed_at, plan.coach)
        meetings = self._write_meetings(rng, place, plan, partnership, cycle, live)
        self._write_steps(rng, place, plan, partnership, area, live, meetings)
        if Phase.LEARN not in cycle.reached:
            return  # the goal is set, and observing begins, with the learn phase
        self._write_goal(rng, place, plan, pk, cycle, area, teachers)
        self._write_reflections(rng, place, plan, pk, cycle, teachers)
        count = self._observations_for(plan, cycle)
        if count:
            self._write_observations(rng, place, plan, pk, cycle, teachers, count, live)

    def _write_meetings(self, rng, place, plan, partnership, cycle, live) -> dict:
        """Planning at the start, a debrief once observing began, reflecting at the end; a
        running cycle also has its next meeting booked. Held ones logged their minutes.
        Returns {kind: (meeting, day, when it was written)}, "upcoming" for the next one."""
        reached = cycle.reached
        held = [(Meeting.Kind.PLANNING, cycle.started_on)]
        if Phase.LEARN in reached:
            held.append((Meeting.Kind.DEBRIEF, reached.get(Phase.IMPROVE, reached[Phase.LEARN])))
        if cycle.ended_on and Phase.IMPROVE in reached:
            held.append((Meeting.Kind.REFLECTING, cycle.ended_on))
        written = {}
        for turn, (kind, day) in enumerate(held):
            minutes = MINUTES[kind]
            starts_at = self._at(place, day, MEETING_TIMES[(plan.rank + turn) % len(MEETING_TIMES)])
            held_at = starts_at + datetime.timedelta(minutes=minutes + 5)
            if held_at > self.now:
                continue
            pk = new_id(rng)
            booked = starts_at - 2 * DAY
            self.rows["meetings"].add(
                pk, partnership, kind, starts_at, minutes, rng.choice(words.MEETING_AGENDA),
                rng.choice(words.MEETING_NOTES), held_at, booked, held_at,
            )  # fmt: skip
            # As meeting_hold does: a held meeting logs its own minutes.
            self.rows["activity"].add(
                plan.coach, place.pk, day, minutes, ActivityEntry.Kind.CONVERSATION, partnership,
                pk, f"{kind.label} meeting", held_at,
            )  # fmt: skip
            written[kind] = (pk, day, held_at)
        if live:
            kind = Meeting.Kind.REFLECTING if cycle.phase == Phase.IMPROVE else Meeting.Kind.DEBRIEF
            day = school_day_after(place.today, rng.randint(1, 5))
            starts_at = self._at(place, day, MEETING_TIMES[(plan.rank + 3) % len(MEETING_TIMES)])
            booked = self.now - datetime.timedelta(days=2, hours=rng.randint(0, 20))
            pk = new_id(rng)
            self.rows["meetings"].add(
                pk, partnership, kind, starts_at, MINUTES[kind], rng.choice(words.MEETING_AGENDA),
                "", None, booked, booked,
            )  # fmt: skip
            written["upcoming"] = (pk, day, booked)
        return written

    def _write_steps(self, rng, place, plan, partnership, area, live, meetings):
        """The teacher's step agreed at each meeting, done by its due date, except in a
        running cycle; there the coach has taken one on for the next meeting too."""
        stories = STORIES.get(area) or STORIES["Instruction"]
        story = stories[rng.randrange(len(stories))]
        # One running cycle in three keeps its first step open, overdue by now.
        first_open = live and rng.random() < 1 / 3
        for kind, text, keep_open in (
            (Meeting.Kind.PLANNING, story[0], first_open),
            (Meeting.Kind.DEBRIEF, story[1], live),
        ):
            if kind not in meetings:
                continue
            meeting, day, agreed_at = meetings[kind]
            due_on = school_day_after(day, 5)
            done_at = None
            if not keep_open:
                done_at = min(self._at(place, due_on - DAY, at(15, 40)), self.now - HOUR)
                done_at = done_at if done_at > agreed_at else None
            self.rows["next_steps"].add(
                new_id(rng), partnership, meeting, text, NextStep.Owner.TEACHER, due_on, done_at,
                plan.coach, agreed_at,
            )  # fmt: skip
        agreed = meetings.get(Meeting.Kind.DEBRIEF) or meetings.get(Meeting.Kind.PLANNING)
        if live and agreed and "upcoming" in meetings:
            meeting, _, agreed_at = agreed
            text = rng.choice(COACH_STEPS.get(area) or COACH_STEPS["Instruction"])
            self.rows["next_steps"].add(
                new_id(rng), partnership, meeting, text, NextStep.Owner.COACH,
                meetings["upcoming"][1], None, plan.coach, agreed_at,
            )  # fmt: skip

    def _last_day(self, place, cycle):
        return cycle.ended_on or school_day_on_or_before(place.today - DAY)

    def _write_goal(self, rng, place, plan, cycle_pk, cycle, area, teachers):
        """The goal set as the learn phase began, its pre-assessment (and post, once the
        cycle closed), and progress points on the way."""
        statement, measure, unit, baseline, target = GOALS.get(area) or GOALS["Instruction"]
        pk = self.next_goal
        self.next_goal += 1
        learn_day = cycle.reached[Phase.LEARN]
        set_at = self._at(place, learn_day, at(16, 10))
        self.rows["goals"].add(
            pk, cycle_pk, statement, True, True, True, True, True, measure, unit,
            Decimal(baseline), Decimal(target), cycle.started_on + datetime.timedelta(weeks=10),
            rng.choice(place.strategies.get(area) or [None]),
            "I can explain my answer to a partner.\nI can back up my ideas.", set_at,
            plan.coach, set_at,  # proposed by the coach, agreed by the teacher then
        )  # fmt: skip
        assessed = rng.randint(18, 32)
        proficient = round(assessed * rng.uniform(0.25, 0.5))
        self.rows["evidence"].add(pk, "pre", cycle.started_on, assessed, proficient)
        if cycle.ended_on and Phase.IMPROVE in cycle.reached:
            after = round(assessed * POST_SHARE[cycle.outcome])
            self.rows["evidence"].add(pk, "post", cycle.ended_on, assessed, after)
        gain = GAIN.get(cycle.outcome, 0.6)
        points = rng.randint(1, 2) if cycle.phase == Phase.LEARN else rng.randint(3, 6)
        span = (self._last_day(place, cycle) - learn_day).days
        for index in range(1, points + 1):
            offset = datetime.timedelta(days=span * index // (points + 1))
            day = max(school_day_on_or_before(learn_day + offset), learn_day)
            value = Decimal(round(baseline + (target - baseline) * gain * index / points))
            added_by = teachers[index % len(teachers)] if teachers and index % 3 else plan.coach
            added_at = self._at(place, day, at(16, 45))
            source, note = PROGRESS_SOURCES[index % 2]
            self.rows["progress"].add(pk, day, value, source, note, added_by, added_at)

    def _write_reflections(self, rng, place, plan, cycle_pk, cycle, teachers):
        if not teachers:
            return
        authors = []
        if rng.random() < 0.6:
            authors.append((teachers[0], Reflection.Visibility.SHARED))
        if rng.random() < 0.35:
            authors.append((teachers[-1], Reflection.Visibility.PRIVATE))
        if rng.random() < 0.15:
            authors.append((plan.coach, Reflection.Visibility.PRIVATE))
        # Written in the latest phase the cycle reached before closing.
        phase, day = [item for item in cycle.reached.items() if item[0] != Phase.CLOSED][-1]
        day = max(day, min(self._last_day(place, cycle), school_day_after(day, 2)))
        written = self._at(place, day, at(19, 30))
        for author, visibility in authors:
            pk = new_id(rng)
            self.rows["reflections"].add(
                pk, cycle_pk, author, PROMPTS_BY_PHASE[phase], rng.choice(words.REFLECTIONS),
                visibility, written, written,
            )  # fmt: skip
            if visibility == Reflection.Visibility.PRIVATE:
                # Writing and rereading a private reflection are in its author's log.
                reread = min(written + datetime.timedelta(days=rng.randint(1, 20)), self.now)
                self._access(author, author, "changed", "reflection", pk, written, written)
                self._access(author, author, "read", "reflection", pk, written, reread)

    def _access(self, subject, actor, action, kind, record, record_date, first_at, last_at=None,
                repeats=1):  # fmt: skip
        self.rows["access"].add(subject, actor, action, kind, record, record_date,
                                last_at or first_at, first_at, repeats)  # fmt: skip

    # Observations -----------------------------------------------------------------------

    def _write_observations(self, rng, place, plan, cycle_pk, cycle, teachers, count, live):
        """`count` lessons observed on school days from the learn phase on. The last lesson
        or two of a running cycle are drafts still; the rest were shared with feedback."""
        start, span = cycle.reached[Phase.LEARN], max(cycle.observed_days, 1)
        subject, grade = rng.choice(words.SUBJECTS), f"Grade {rng.randint(1, 12)}"
        drafts = (rng.random() < 0.7) + (rng.random() < 0.1) if live else 0
        lesson_length = datetime.timedelta(minutes=LESSON_MINUTES)
        for index in range(count):
            day = start + datetime.timedelta(days=(index * span + rng.randrange(span)) // count)
            day = max(school_day_on_or_before(min(day, cycle.observed_until)), start)
            lesson = LESSON_TIMES[(plan.rank + index) % len(LESSON_TIMES)]
            observed_at = self._at(place, day, lesson)
            shared = index < count - drafts
            pk, notes, tallies = new_id(rng), rng.choice(NOTE_COUNTS), rng.choice(TALLY_COUNTS)
            shared_at = notice_at = amended_at = None
            feedback = ("", "", "")
            if shared or rng.random() < 0.5:
                feedback = tuple(rng.choice(texts) for texts in FEEDBACK)
            if shared:
                shared_at = min(observed_at + rng.randint(2, 30) * HOUR, self.now)
                notice_at = shared_at + datetime.timedelta(seconds=40)
                if rng.random() < 0.03:
                    amended_at = min(shared_at + DAY, self.now)
            self._write_notes(rng, pk, observed_at, notes)
            for position, label in enumerate(rng.sample(words.TALLY_LABELS, tallies)):
                self.rows["tallies"].add(pk, new_id(rng), label, rng.randint(0, 25), position)
            taken = observed_at + lesson_length
            for number, teacher in enumerate(teachers):
                self.rows["observed"].add(pk, teacher)
                # The coach's notes and taps during the lesson count on one row.
                self._access(teacher, plan.coach, "changed", "observation", pk, observed_at,
                             observed_at, taken, max(notes + tallies, 1))  # fmt: skip
                if amended_at:
                    self._access(teacher, plan.coach, "changed", "observation", pk,
                                 observed_at, amended_at)  # fmt: skip
                if shared:
                    self._write_reading(rng, plan.coach, teacher, pk, observed_at, shared_at,
                                        first=number == 0)  # fmt: skip
            self.rows["observations"].add(
                pk, cycle_pk, plan.coach, observed_at, subject, grade, f"Period {index % 6 + 1}",
                "shared" if shared else "draft", *feedback, shared_at, notice_at, amended_at,
                observed_at - datetime.timedelta(minutes=2), 0, False,  # counted in `run`
            )  # fmt: skip

    def _write_notes(self, rng, observation, observed_at, count):
        add, texts, random = self.rows["notes"].add, words.NOTES, rng.random
        for number in range(count):
            # A note every five minutes or so.
            noted_at = observed_at + datetime.timedelta(seconds=330 * number + 60 * random())
            text = texts[int(random() * len(texts))]
            add(observation, new_id(rng), noted_at, text, noted_at + NOTE_SAVED)

    def _write_reading(self, rng, coach, teacher, pk, observed_at, shared_at, *, first):
        """What followed the sharing of an observation with one of its teachers: they read
        it (some in Tandem, some from the e-mail's gist), answered (mostly, the first
        teacher of a team more often), and the coach read the answer, except for some
        recent ones still waiting."""
        now = self.now
        recent = now - datetime.timedelta(days=14)
        self._access(teacher, coach, "shared", "observation", pk, observed_at, shared_at)
        if rng.random() < 0.4:
            read_at = min(shared_at + rng.randint(1, 24) * HOUR, now)
            self._access(teacher, teacher, "read", "observation", pk, observed_at, read_at,
                         read_at, rng.randint(1, 3))  # fmt: skip
        answers = 0.7 if first else 0.4
        if shared_at > recent:
            answers /= 2  # recent feedback is more often still waiting for an answer
        answered = shared_at + rng.randint(1, 48) * HOUR
        if rng.random() >= answers or answered > now - datetime.timedelta(minutes=10):
            return
        updated = answered + DAY if rng.random() < 0.1 and answered + DAY < now else answered
        seen = None
        if updated < recent or rng.random() < 0.5:
            seen = min(updated + rng.randint(2, 20) * HOUR, now)
        self.rows["responses"].add(pk, teacher, rng.choice(words.RESPONSES), answered, updated,
                                   seen, seen is None,
                                   answered + datetime.timedelta(seconds=40))  # fmt: skip
        self._access(teacher, teacher, "responded", "observation", pk, observed_at, answered,
                     updated, 1 + (updated != answered))  # fmt: skip
        if seen:
            self._access(teacher, coach, "read", "observation", pk, observed_at, seen)

    # Time logged apart from meetings --------------------------------------------------

    def _activity(self, places):
        """An entry or two a school day, for every coach at every school they coach at, from
        their first partnership there up to yesterday; on Fridays only at a second school."""
        for index, place in enumerate(places):
            for coach in place.coaches + place.visiting:
                first = self.first_day.get((coach, place.pk))
                if first is None:
                    continue
                rng = self.sizes.random("activity", index, coach)
                visiting = coach in place.visiting
                day, turn = school_day_on_or_before(place.today - DAY), 0
                while day >= first:
                    if not visiting or day.weekday() == 4:
                        for _ in range(1 if visiting else rng.choice((1, 1, 2))):
                            kind, minutes = ACTIVITY_PATTERN[turn % len(ACTIVITY_PATTERN)]
                            turn += 1
                            logged = self._at(place, day, at(17, rng.randint(0, 59)))
                            self.rows["activity"].add(coach, place.pk, day, minutes, kind, None,
                                                      None, "", logged)  # fmt: skip
                    day = school_day_on_or_before(day - DAY)
                self._progress()


def _school_name(index: int) -> str:
    places, kinds = words.PLACES, words.PLACE_KINDS
    name = f"{places[index % len(places)]} {kinds[index // len(places) % len(kinds)]}"
    kind = words.SCHOOL_KINDS[index % len(words.SCHOOL_KINDS)]
    lap = index // (len(places) * len(kinds))
    return f"{name} {kind}" + (f" {lap + 1}" if lap else "")


def _analyze(*models) -> None:
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")


def _strategy_library(district) -> list[Strategy]:
    """The demo's strategy library (devdata/demo/coaching.py), written in bulk."""
    areas = {area.name: area for area in FocusArea.objects.filter(district=district)}
    return Strategy.objects.bulk_create(
        Strategy(
            district=district,
            title=title,
            focus_area=areas.get(area),
            description=description,
            checklist=checklist,
        )
        for area, title, description, checklist in STRATEGIES
    )


def _terms(district, today):
    # Fall and spring terms from five school years back to the next one: every generated
    # cycle falls in a term the reports know.
    terms = []
    for year in range(today.year - 5, today.year + 1):
        terms.append((f"Fall {year}", datetime.date(year, 8, 18), datetime.date(year, 12, 19)))
        terms.append((f"Spring {year + 1}", datetime.date(year + 1, 1, 7),
                      datetime.date(year + 1, 6, 12)))  # fmt: skip
    Term.objects.bulk_create(
        Term(district=district, name=name, starts_on=start, ends_on=end)
        for name, start, end in terms
    )
