"""Records that give a report something to count, shared by the report tests."""

import datetime

from reports import releases, tables
from reports.models import ReleasedFigures
from tests import factories

DAY = datetime.timedelta(days=1)


def terms(district, today):
    """A term that ended forty days ago, and the one running now."""
    last = factories.TermFactory(
        district=district, name="Spring 2026", starts_on=today - 200 * DAY, ends_on=today - 40 * DAY
    )
    current = factories.TermFactory(
        district=district, name="Fall 2026", starts_on=today - 39 * DAY, ends_on=today + 25 * DAY
    )
    return last, current


def closed_cycle(
    school, area_name="Instruction", outcome="met", teacher=None, *, ended_on=None, evidence=None
):
    """A closed cycle with a teacher of its own unless one is given; by default it closed
    five days ago (in the running term), with pre and post evidence if `evidence` is
    (pre proficient, post proficient) of 25 students."""
    partnership = factories.PartnershipFactory(
        school=school,
        teachers=[teacher] if teacher else None,
        started_on=school.today() - 300 * DAY,
    )
    ended_on = ended_on or school.today() - 5 * DAY
    cycle = factories.CycleFactory(
        partnership=partnership,
        phase="closed",
        outcome=outcome,
        started_on=ended_on - 35 * DAY,
        ended_on=ended_on,
        focus_area=school.district.focus_areas.get(name=area_name),
    )
    if evidence:
        goal = factories.GoalFactory(cycle=cycle)
        for kind, proficient in zip(("pre", "post"), evidence, strict=True):
            goal.evidence.create(kind=kind, students_assessed=25, students_proficient=proficient)
    return cycle


def running_cycle(school, phase="learn", teacher=None):
    partnership = factories.PartnershipFactory(
        school=school, teachers=[teacher] if teacher else None
    )
    return factories.CycleFactory(partnership=partnership, phase=phase)


def release(district):
    """The district's next release, as the Monday schedule makes it."""
    made = releases.release_district(district)
    assert made is not None, "no release was due"
    return made


def exports(client, district, schools, *, as_district=True):
    """Every CSV export a district's administrators can download from the latest release:
    each school's and the district's, for every period offered. (text, is_district) pairs."""
    texts = []
    latest = releases.latest(district.pk)
    figures = ReleasedFigures.objects.get(release=latest, school=None).figures
    for period in [{"key": ""}, *tables.periods(figures)]:
        query = f"?term={period['key']}"
        for school in schools:
            response = client.get(f"/reports/schools/{school.pk}/export.csv{query}")
            assert response.status_code == 200
            texts.append((response.content.decode(), False))
        if as_district:
            response = client.get(f"/reports/districts/{district.pk}/export.csv{query}")
            assert response.status_code == 200
            texts.append((response.content.decode(), True))
    return texts


def voice_group(school, answers, *, closed_on, coach=None, teachers=None):
    """A group of teachers' answers about one coach's coaching, shown on `closed_on`: each
    answer (useful, safe, again) from a teacher of its own (or of `teachers`), each about a
    closed cycle of theirs."""
    from cycles.models import SurveyAnswer, SurveyGroup, SurveyReceipt

    coach = coach or factories.coach_at(school)
    group = SurveyGroup.objects.create(coach=coach, school=school, closed_on=closed_on)
    for n, (useful, safe, again) in enumerate(answers):
        teacher = teachers[n] if teachers else None
        cycle = closed_cycle(school, teacher=teacher, ended_on=closed_on)
        cycle.partnership.coach = coach
        cycle.partnership.save()
        member = cycle.partnership.members.get()
        SurveyReceipt.objects.create(cycle=cycle, teacher_id=member.teacher_id, group=group)
        SurveyAnswer.objects.create(
            group=group, useful=useful, safe=safe, again=again, comment=f"CANARY-VOICE-{n}"
        )
    return group
