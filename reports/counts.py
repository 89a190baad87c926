"""The true counts behind a release: counts and outcomes, never words.

Every query runs on the reports connection (settings.REPORTS_DATABASE: on PostgreSQL, a
role that cannot read any text column of a coaching record), selects named columns only,
and keeps, beside each figure, which teachers it is about, so that `protection` can tell
a figure about four teachers from one about forty. Nothing here leaves the reports app
unprotected: `releases` stores only what `protection` lets through.

A figure's path names it within its table, e.g. "closed|<focus area>|met"; "*" is a total.
"""

import datetime
from collections import Counter, defaultdict

from django.db.models import Q, Sum

from accounts.models import Membership
from coaching.models import ActivityEntry, Partnership, PartnershipMember
from cycles.models import SURVEY_QUESTIONS, Cycle, SurveyAnswer, SurveyReceipt

ACCEPTED = PartnershipMember.Status.ACCEPTED
ACTIVE_PHASES = [Cycle.Phase.IDENTIFY, Cycle.Phase.LEARN, Cycle.Phase.IMPROVE]
OUTCOMES = [value for value, _ in Cycle.Outcome.choices]
KINDS = [value for value, _ in ActivityEntry.Kind.choices]
IMPACT = ["cycles", "pre_n", "pre_p", "post_n", "post_p"]
QUESTIONS = [name for name, _, _ in SURVEY_QUESTIONS]
ANSWERS = [value for value, _ in SurveyAnswer.Answer.choices]


class Tally:
    """Figures by path: a value and the set of teachers behind it."""

    def __init__(self):
        self.values = defaultdict(int)
        self.teachers = defaultdict(set)

    def add(self, path: str, value: int, teachers) -> None:
        self.values[path] += value
        self.teachers[path] |= set(teachers)

    def as_json(self) -> dict:
        return {
            path: [self.values[path], sorted(self.teachers[path])] for path in sorted(self.values)
        }


def _teachers_of(partnership_ids, using) -> dict:
    members = defaultdict(set)
    for partnership, teacher in (
        PartnershipMember.objects.using(using)
        .filter(partnership__in=partnership_ids, status=ACCEPTED)
        .order_by()
        .values_list("partnership_id", "teacher_id")
    ):
        members[partnership].add(teacher)
    return members


def term_counts(
    school_id: int, *, after: datetime.date, through: datetime.date, term, using
) -> dict:
    """A school's figures for one term, counted once when the term is sealed.

    Cycles closed and minutes logged belong to the term whose end is the first on or after
    their day (`after` < day <= `through`), so that terms tile the calendar: no days
    between terms are left over for a period of their own.
    """
    figures = Tally()
    closed = list(
        Cycle.objects.using(using)
        .filter(
            partnership__school_id=school_id,
            phase=Cycle.Phase.CLOSED,
            ended_on__gt=after,
            ended_on__lte=through,
        )
        .order_by()  # Meta orderings name columns the reports' role may not read
        .values_list("id", "partnership_id", "focus_area_id", "outcome", "started_on", "ended_on")
    )
    members = _teachers_of({row[1] for row in closed}, using)
    lengths = []
    for _, partnership, area, outcome, started_on, ended_on in closed:
        teachers = members[partnership]
        for path in (f"closed|{area}|{outcome}", f"closed|{area}|*", f"closed|*|{outcome}"):
            figures.add(path, 1, teachers)
        figures.add("closed|*|*", 1, teachers)
        lengths.append([(ended_on - started_on).days, sorted(teachers)])

    evidence = defaultdict(dict)
    for cycle, kind, assessed, proficient in (
        Cycle.objects.using(using)
        .filter(pk__in=[row[0] for row in closed], goal__evidence__isnull=False)
        .order_by()
        .values_list(
            "id",
            "goal__evidence__kind",
            "goal__evidence__students_assessed",
            "goal__evidence__students_proficient",
        )
    ):
        evidence[cycle][kind] = (assessed, proficient)
    for cycle, partnership, area, *_ in closed:
        found = evidence.get(cycle, {})
        if "pre" not in found or "post" not in found:
            continue
        (pre_n, pre_p), (post_n, post_p) = found["pre"], found["post"]
        for group in (str(area), "*"):
            for name, value in zip(IMPACT, (1, pre_n, pre_p, post_n, post_p), strict=True):
                figures.add(f"impact|{group}|{name}", value, members[partnership])

    entries = (
        ActivityEntry.objects.using(using)
        .filter(school_id=school_id, date__gt=after, date__lte=through)
        .order_by()
    )
    for coach, kind, minutes in entries.values_list("coach_id", "kind").annotate(
        total=Sum("minutes")
    ):
        figures.add(f"min|{coach}|{kind}", minutes, ())
    for coach, kind, teacher in (
        entries.filter(partnership__members__status=ACCEPTED)
        .values_list("coach_id", "kind", "partnership__members__teacher")
        .distinct()
    ):
        figures.add(f"min|{coach}|{kind}", 0, [teacher])

    _voice(figures, school_id, after, through, using)

    taking_part = _under_way(school_id, term.starts_on, term.ends_on, using)
    figures.add("part", len({t for _, t in taking_part}), {t for _, t in taking_part})
    coaches = defaultdict(set)
    for coach, teacher in taking_part:
        coaches[coach].add(teacher)
    return {
        "cells": figures.as_json(),
        "lengths": sorted(lengths),
        "coaches": {str(c): sorted(t) for c, t in sorted(coaches.items())},
    }


def _voice(figures: Tally, school_id: int, after, through, using) -> None:
    """The teachers' answers about coaching, from the school's groups shown in the term.

    An answer names no teacher, so who is behind a figure is not known exactly: what is
    known is that a group's answers come from different teachers, and which teachers
    answered into which groups. A figure is counted as about the fewest teachers who could
    have given it ("s<school>:<n>" stands for the n-th of them): at least its largest share
    of one group, and at least its answers shared out among teachers each answering in as
    many of these groups as anyone did. Hiding then errs on the side of the teachers."""
    groups = defaultdict(lambda: defaultdict(int))
    for group, *answers in (
        SurveyAnswer.objects.using(using)
        .filter(
            group__school_id=school_id, group__closed_on__gt=after, group__closed_on__lte=through
        )
        .order_by()
        .values_list("group_id", *QUESTIONS)
    ):
        groups[group]["voice|*"] += 1
        for question, answer in zip(QUESTIONS, answers, strict=True):
            groups[group][f"voice|{question}|{answer}"] += 1
    if not groups:
        return
    answered_in = Counter(
        SurveyReceipt.objects.using(using)
        .filter(group__in=list(groups))
        .order_by()
        .values_list("teacher_id", flat=True)
    )
    most = max(answered_in.values(), default=1)
    for path in {path for counts in groups.values() for path in counts}:
        shares = [counts.get(path, 0) for counts in groups.values()]
        fewest = max(max(shares), -(-sum(shares) // most))
        figures.add(path, sum(shares), {f"s{school_id}:{n}" for n in range(fewest)})


def _under_way(school_id, start, end, using) -> list[tuple[int, int]]:
    """(coach, teacher) of partnerships under way at some time between start and end."""
    return list(
        PartnershipMember.objects.using(using)
        .filter(
            status=ACCEPTED,
            partnership__school_id=school_id,
            partnership__started_on__lte=end,
        )
        .filter(Q(partnership__ended_on__isnull=True) | Q(partnership__ended_on__gte=start))
        .order_by()
        .values_list("partnership__coach_id", "teacher_id")
        .distinct()
    )


def now_counts(school_id: int, *, using) -> dict:
    """What stands at the moment of a release: cycles under way by phase, teachers in an
    active partnership, and teachers on staff (a roster count, about nobody's coaching)."""
    figures = Tally()
    live = list(
        Cycle.objects.using(using)
        .filter(partnership__school_id=school_id)
        .exclude(phase=Cycle.Phase.CLOSED)
        .order_by()
        .values_list("partnership_id", "phase")
    )
    members = _teachers_of({p for p, _ in live}, using)
    for partnership, phase in live:
        figures.add(f"phase|{phase}", 1, members[partnership])
        figures.add("phase|*", 1, members[partnership])
    taking_part = set(
        PartnershipMember.objects.using(using)
        .filter(
            status=ACCEPTED,
            partnership__school_id=school_id,
            partnership__status=Partnership.Status.ACTIVE,
        )
        .order_by()
        .values_list("teacher_id", flat=True)
    )
    figures.add("part", len(taking_part), taking_part)
    staff = (
        Membership.objects.using(using)
        .filter(school_id=school_id, role=Membership.Role.TEACHER)
        .values("user_id")
        .distinct()
        .count()
    )
    return {"cells": figures.as_json(), "staff": staff}
