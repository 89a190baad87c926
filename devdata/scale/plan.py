"""The shape of the generated district: how big, who works where, and the timeline of each
partnership and its cycles. Nothing here writes; `generate` turns plans into rows.

Plans are drawn from random generators keyed by the seed and a place in the district, so
the same plan comes out every time it is asked for: the generator plans everything twice
(once to count the days of observing, once to write) without keeping any of it.
"""

import datetime
import random
from dataclasses import dataclass, field

from coaching.models import Partnership
from cycles.models import Cycle

Phase = Cycle.Phase
Status = Partnership.Status
DAY = datetime.timedelta(days=1)

# Observations per cycle on average, which sets how many cycles a partnership has lived
# through: 1,000,000 observations over 13,000 partnerships make about 10 cycles each.
OBSERVATIONS_PER_CYCLE = 7.8
TEACHERS_COACHED = 0.5  # slots (a teacher or a team) per teacher of a school
EARLIER_PARTNERSHIP = 0.3  # share of slots whose teachers had a partnership before
HISTORY_YEARS = 5  # no cycle starts longer ago than this


@dataclass(frozen=True)
class Sizes:
    schools: int
    teachers: int
    observations: int
    coaches: int
    seed: int = 1

    @classmethod
    def of(cls, *, schools, teachers, observations, coaches=None, seed=1):
        return cls(schools, teachers, observations, coaches or 2 * schools, seed)

    @property
    def cycles_per_partnership(self) -> float:
        partnerships = self.teachers * TEACHERS_COACHED * (1 + EARLIER_PARTNERSHIP)
        return min(12.0, max(1.0, self.observations / (partnerships * OBSERVATIONS_PER_CYCLE)))

    def random(self, *key) -> random.Random:
        """A generator of its own for one part of the district, the same on every run with
        the same seed, whatever was drawn before it."""
        return random.Random(":".join(map(str, (self.seed, *key))))  # noqa: S311


@dataclass
class Place:
    """A school as the generator needs it: who works there, and its today."""

    pk: int
    district: int
    zone: object
    today: datetime.date
    areas: list  # (focus area pk, name)
    strategies: dict  # focus area name -> [strategy pk]
    teachers: list = field(default_factory=list)  # user pks
    coaches: list = field(default_factory=list)  # user pks, of coaches based here
    visiting: list = field(default_factory=list)  # coaches based at another school


@dataclass
class CyclePlan:
    started_on: datetime.date
    ended_on: datetime.date | None
    phase: str
    reached: dict  # phase -> the day it was entered, in order
    outcome: str
    area: tuple  # (focus area pk, name)
    observed_until: datetime.date

    @property
    def observed_days(self) -> int:
        """Days from the learn phase on: observing begins when the goal is set."""
        if Phase.LEARN not in self.reached:
            return 0
        return max(0, (self.observed_until - self.reached[Phase.LEARN]).days + 1)


@dataclass
class PartnershipPlan:
    coach: int
    teachers: list
    declined: list  # of a team, those who said no
    status: str
    title: str
    invited_on: datetime.date
    started_on: datetime.date | None
    ended_on: datetime.date | None
    cycles: list
    rank: int  # spreads meeting and lesson times over the coach's week


def school_day_on_or_before(day):
    while day.weekday() > 4:
        day -= DAY
    return day


def school_day_after(day, count=1):
    for _ in range(count):
        day += DAY
        while day.weekday() > 4:
            day += DAY
    return day


def _days(number) -> datetime.timedelta:
    return datetime.timedelta(days=number)


def slots(sizes, place, index):
    """The partnership slots of a school: (slot number, its teachers, its coach, the coach
    of an earlier partnership of theirs). A slot is a teacher or a team, and no teacher is
    in two slots: so no teacher can have two open cycles."""
    rng = sizes.random("slots", index)
    roster = place.coaches or place.visiting
    if not roster:
        return
    teachers, taken = place.teachers, 0
    for slot in range(round(len(teachers) * TEACHERS_COACHED)):
        size = 1 if rng.random() < 0.88 else rng.choice([2, 2, 3])
        group = teachers[taken : taken + size]
        if not group:
            return
        taken += len(group)
        if place.visiting and slot % 8 == 7:
            coach = place.visiting[slot // 8 % len(place.visiting)]
        else:
            coach = roster[slot % len(roster)]
        other = roster[(roster.index(coach) + 1) % len(roster)] if coach in roster else coach
        yield slot, group, coach, other


def plan_slot(sizes, place, index, slot, group, coach, other) -> list[PartnershipPlan]:
    """The partnerships of one slot, oldest first: for some, an earlier one with the other
    coach, closed before the current one began; then the current one."""
    rng = sizes.random("plan", index, slot)
    status = rng.choices([Status.ACTIVE, Status.CLOSED, Status.PAUSED, Status.INVITED],
                         [68, 20, 5, 7])[0]  # fmt: skip
    team = len(group) > 1
    title = f"Grade {rng.randint(1, 8)} team" if team else ""
    declined = [group[-1]] if team and rng.random() < 0.1 else []
    mean = sizes.cycles_per_partnership
    count = max(1, round(mean * rng.uniform(0.5, 1.5)))
    current = _plan_partnership(rng, place, coach, group, declined, status, title, count, slot,
                                until=place.today)  # fmt: skip
    if rng.random() >= EARLIER_PARTNERSHIP:
        return [current]
    before = current.invited_on - _days(rng.randint(10, 60))
    count = max(1, round(mean * rng.uniform(0.2, 0.6)))
    earlier = _plan_partnership(rng, place, other, group, [], Status.CLOSED, title, count,
                                slot + 1, until=before)  # fmt: skip
    return [earlier, current]


def _plan_partnership(rng, place, coach, group, declined, status, title, count, rank, *, until):
    """Cycles one after another, back from `until`: a running one first for most active
    partnerships, then closed ones of four to ten weeks with gaps between."""
    today = place.today
    area = rng.choice(place.areas)
    if status == Status.INVITED:
        invited_on = today - _days(rng.randint(0, 20))
        return PartnershipPlan(coach, group, declined, status, title, invited_on, None, None,
                               [], rank)  # fmt: skip
    cycles = []
    if status == Status.ACTIVE and rng.random() < 0.85:
        phase = rng.choices([Phase.IDENTIFY, Phase.LEARN, Phase.IMPROVE], [15, 35, 50])[0]
        ago = {Phase.IDENTIFY: (1, 10), Phase.LEARN: (12, 35), Phase.IMPROVE: (30, 63)}[phase]
        started = school_day_on_or_before(today - _days(rng.randint(*ago)))
        cycles.append(_open_cycle(started, phase, area, today))
        end = started - _days(rng.randint(5, 25))
    elif status == Status.CLOSED:
        end = until - _days(rng.randint(3, 300))
    else:
        end = until - _days(rng.randint(3, 40))  # between cycles, or paused after one
    floor = today - _days(365 * HISTORY_YEARS)
    while len(cycles) < count:
        started = school_day_on_or_before(end - _days(rng.randint(28, 70)))
        if started < floor and cycles:
            break
        if rng.random() < 0.4:
            area = rng.choice(place.areas)
        cycles.insert(0, _closed_cycle(rng, started, school_day_on_or_before(end), area))
        end = started - _days(rng.randint(5, 25))
    started_on = school_day_on_or_before(cycles[0].started_on - _days(rng.randint(2, 14)))
    invited_on = started_on - _days(rng.randint(2, 10))
    ended_on = None
    if status == Status.CLOSED:
        last = cycles[-1].ended_on
        ended_on = max(last, min(last + _days(rng.randint(0, 10)), today - DAY))
    return PartnershipPlan(coach, group, declined, status, title, invited_on, started_on,
                           ended_on, cycles, rank)  # fmt: skip


def _open_cycle(started, phase, area, today) -> CyclePlan:
    """A cycle under way since `started`: its phases so far, none later than yesterday."""
    ago = (today - started).days
    yesterday = school_day_on_or_before(today - DAY)
    reached = {Phase.IDENTIFY: started}
    if phase in (Phase.LEARN, Phase.IMPROVE):
        reached[Phase.LEARN] = min(school_day_after(started, max(1, ago // 5)), yesterday)
    if phase == Phase.IMPROVE:
        learned = reached[Phase.LEARN]
        reached[Phase.IMPROVE] = min(school_day_after(learned, max(1, ago // 3)), yesterday)
    return CyclePlan(started, None, phase, reached, "", area, yesterday)


def _closed_cycle(rng, started, ended, area) -> CyclePlan:
    outcome = rng.choices(["met", "partly_met", "not_met", "stopped"], [45, 28, 15, 12])[0]
    days = max((ended - started).days, 3)
    reached = {Phase.IDENTIFY: started}
    reached[Phase.LEARN] = min(school_day_after(started, max(1, days // 7)), ended)
    # A stopped cycle may have ended before its improve phase.
    if outcome != "stopped" or rng.random() < 0.5:
        reached[Phase.IMPROVE] = min(school_day_after(reached[Phase.LEARN], days // 4), ended)
    reached[Phase.CLOSED] = ended
    return CyclePlan(started, ended, Phase.CLOSED, reached, outcome, area, ended)


def shares(total: int, weights) -> list[int]:
    """`total` split in proportion to `weights`, in whole numbers that add up to it."""
    weights = list(weights)
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts
