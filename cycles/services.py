"""The cycle verbs: start, advance, close, set the goal, record evidence and progress, reflect."""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import administered_districts
from coaching.models import Partnership
from coaching.rules import cycle_start_refusal
from coaching.services import A_YEAR, partnership_require_active, partnership_touch, refuse_if
from core.locking import lock

from .models import (
    Cycle,
    EvidenceSnapshot,
    FocusArea,
    Goal,
    PhaseChange,
    ProgressPoint,
    Reflection,
    Strategy,
    SurveyAnswer,
    SurveyGroup,
    SurveyReceipt,
)
from .prompts import prompt_as_kept
from .rules import (
    cycle_change_refusal,
    goal_accept_refusal,
    goal_propose_refusal,
    progress_change_refusal,
    survey_refusal,
)
from .signals import private_reflections_accessed

Phase = Cycle.Phase


def _require_open(cycle: Cycle) -> None:
    refuse_if(cycle_change_refusal(cycle))


@transaction.atomic
def cycle_start(
    *, actor: User, partnership: Partnership, title: str, focus_area: FocusArea
) -> Cycle:
    lock(partnership, "status")
    partnership_require_active(partnership)
    if focus_area.district_id != partnership.school.district_id:
        raise ValidationError(_("Choose a focus area of this school's district."))
    teachers = [
        m.teacher
        for m in partnership.members.present().select_related("teacher").order_by("teacher_id")
    ]
    # Lock the teachers too (in id order, so two starts never wait on each other): a
    # cycle started at the same moment in their other partnership must be seen below.
    for teacher in teachers:
        lock(teacher, "is_active")
    # The same question the partnership's page asked before offering "Start a cycle".
    refuse_if(cycle_start_refusal(partnership))
    cycle = Cycle(
        partnership=partnership,
        title=title.strip(),
        focus_area=focus_area,
        started_on=partnership.school.today(),
    )
    cycle.full_clean()
    cycle.save()
    PhaseChange.objects.create(cycle=cycle, phase=cycle.phase, changed_by=actor)
    partnership_touch(partnership)
    return cycle


@transaction.atomic
def cycle_advance_phase(*, actor: User, cycle: Cycle, expected_phase: str = "") -> Cycle:
    """Move to the next phase. `expected_phase` is the phase the person saw: a second tap,
    or a colleague's page that is out of date, is refused instead of skipping a phase."""
    lock(cycle, "phase")
    if expected_phase and cycle.phase != expected_phase:
        raise ValidationError(
            _("This cycle has already moved on to the %(phase)s phase.")
            % {"phase": cycle.get_phase_display()}
        )
    _require_open(cycle)
    if cycle.next_phase is None:
        raise ValidationError(_("The improve phase ends by closing the cycle with its outcome."))
    cycle.phase = cycle.next_phase
    cycle.save(update_fields=["phase"])
    PhaseChange.objects.create(cycle=cycle, phase=cycle.phase, changed_by=actor)
    partnership_touch(cycle.partnership)
    return cycle


@transaction.atomic
def cycle_close(*, actor: User, cycle: Cycle, outcome: str, summary: str) -> Cycle:
    lock(cycle, "phase")
    _require_open(cycle)
    if outcome not in Cycle.Outcome.values:
        raise ValidationError(_("Choose the cycle's outcome."))
    cycle.phase, cycle.outcome, cycle.summary = Phase.CLOSED, outcome, summary.strip()
    cycle.ended_on = max(cycle.partnership.school.today(), cycle.started_on)
    cycle.save(update_fields=["phase", "outcome", "summary", "ended_on"])
    PhaseChange.objects.create(cycle=cycle, phase=Phase.CLOSED, changed_by=actor)
    partnership_touch(cycle.partnership)
    return cycle


@transaction.atomic
def survey_answer(
    *,
    actor: User,
    cycle: Cycle,
    useful: str,
    safe: str,
    again: str,
    comment: str = "",
    on: datetime.date | None = None,
) -> None:
    """The teacher says how the coaching of a closed cycle went. The answer joins the first
    group of the coach's at the school that this teacher has not answered into; a group
    that now holds REPORT_MIN_GROUP teachers is shown, its answers in a new random order.

    `on`: the school's day of the answer, today unless the demo's story says otherwise."""
    lock(cycle, "phase")
    on = on or cycle.partnership.school.today()
    refuse_if(survey_refusal(cycle, teacher=actor, on=on))
    for value in (useful, safe, again):
        if value not in SurveyAnswer.Answer.values:
            raise ValidationError(_("Choose an answer to each question."))
    partnership = cycle.partnership
    # Held until the answer is in: two teachers answering at once count in one group.
    open_groups = list(
        SurveyGroup.objects.select_for_update()
        .filter(coach=partnership.coach_id, school=partnership.school_id, closed_on=None)
        .exclude(receipts__teacher=actor)
        .order_by("pk")
    )
    group = (
        open_groups[0]
        if open_groups
        else SurveyGroup.objects.create(
            coach_id=partnership.coach_id, school_id=partnership.school_id
        )
    )
    SurveyReceipt.objects.create(cycle=cycle, teacher=actor, group=group)
    SurveyAnswer.objects.create(
        group=group, useful=useful, safe=safe, again=again, comment=comment.strip()
    )
    if group.receipts.count() >= settings.REPORT_MIN_GROUP:
        _show_group(group, on)


def _show_group(group: SurveyGroup, today: datetime.date) -> None:
    # Written again in a random order with new ids: neither the rows' order on disk nor
    # their ids can then be matched with the order the teachers answered in.
    answers = list(group.answers.values("useful", "safe", "again", "comment"))
    random.SystemRandom().shuffle(answers)
    group.answers.all().delete()
    SurveyAnswer.objects.bulk_create(SurveyAnswer(group=group, **answer) for answer in answers)
    group.closed_on = today
    group.save(update_fields=["closed_on"])


@transaction.atomic
def survey_decline(*, actor: User, cycle: Cycle) -> None:
    """The teacher would rather not answer: they are not asked about this cycle again."""
    lock(cycle, "phase")
    refuse_if(survey_refusal(cycle, teacher=actor))
    SurveyReceipt.objects.create(cycle=cycle, teacher=actor, group=None)


@transaction.atomic
def goal_propose(*, actor: User, cycle: Cycle, **fields: Any) -> Goal:
    """Coach or teacher proposes the cycle's goal, or a change to it: whatever the other
    had agreed to, the goal as it now stands waits for the other to accept it (or to change
    it in turn). The statement, the measure and its unit are asked first; the baseline,
    target, date, PEERS checks, strategy and learning targets may come later."""
    lock(cycle, "phase")  # so two saves of a first goal make one goal, not a clash
    refuse_if(goal_propose_refusal(cycle))
    baseline, target = fields.get("baseline"), fields.get("target")
    for name, value in (("baseline", baseline), ("target", target)):
        if value is not None:
            _check_measurable(fields.get("unit", ""), value, name)
    if target is not None and target == baseline:
        raise ValidationError(
            {"target": _("The target must differ from the baseline, or there is nothing to reach.")}
        )
    target_date = fields.get("target_date")
    if target_date is not None and target_date < cycle.started_on:
        raise ValidationError(
            {"target_date": _("The target date cannot be before the cycle started.")}
        )
    if target_date is not None and target_date > cycle.started_on + A_YEAR:
        raise ValidationError(
            {"target_date": _("A cycle lasts weeks, not years: choose a date within a year.")}
        )
    strategy = fields.get("strategy")
    if strategy is not None and strategy.district_id != cycle.partnership.school.district_id:
        raise ValidationError({"strategy": _("Choose a strategy of this district's library.")})
    goal = Goal.objects.filter(cycle=cycle).first() or Goal(cycle=cycle)
    for name, value in fields.items():
        setattr(goal, name, value)
    goal.proposed_by, goal.agreed_at = actor, None
    goal.updated_at = timezone.now()
    goal.full_clean()
    goal.save()
    partnership_touch(cycle.partnership)
    return goal


@transaction.atomic
def goal_accept(*, actor: User, goal: Goal, seen_at: datetime.datetime | None) -> Goal:
    """The other person accepts the goal as proposed. `seen_at` is when the goal they read
    was written (None when unknown): a goal changed since is not accepted unread."""
    lock(goal.cycle, "phase")
    goal.refresh_from_db()
    refuse_if(goal_accept_refusal(goal, actor=actor))
    if seen_at is None or goal.updated_at != seen_at:
        raise ValidationError(_("The goal was changed since you read it: read it again first."))
    goal.agreed_at = timezone.now()
    goal.save(update_fields=["agreed_at"])
    partnership_touch(goal.cycle.partnership)
    return goal


def _check_measurable(unit: str, value: Decimal, field: str) -> None:
    """Goals count what students do: never below zero, and a share never above 100%. A
    value outside that is a slip of the thumb, and would flatten the chart around it."""
    if value < 0:
        raise ValidationError({field: _("A value below 0 cannot be measured: check the number.")})
    if value > 100 and ("%" in unit or "percent" in unit.lower()):
        raise ValidationError({field: _("A percentage is at most 100: check the number.")})


def progress_check(goal: Goal, recorded_on: datetime.date, value: Decimal) -> None:
    """What a progress point must be to stand on the goal's chart, asked before it is added
    or corrected, and by a page before it previews the chart with it."""
    _check_date_in_cycle(goal.cycle, recorded_on, "recorded_on")
    _check_measurable(goal.unit, value, "value")


def _check_date_in_cycle(cycle: Cycle, day: datetime.date, field: str) -> None:
    last = cycle.ended_on or cycle.partnership.school.today()
    if not cycle.started_on <= day <= last:
        raise ValidationError(
            {
                field: _("The date must fall within the cycle, from %(first)s to %(last)s.")
                % {"first": date_format(cycle.started_on), "last": date_format(last)}
            }
        )


@transaction.atomic
def evidence_record(
    *,
    actor: User,
    goal: Goal,
    kind: str,
    taken_on: datetime.date,
    students_assessed: int,
    students_proficient: int,
) -> EvidenceSnapshot:
    _require_open(goal.cycle)
    _check_date_in_cycle(goal.cycle, taken_on, "taken_on")
    if students_proficient > students_assessed:
        raise ValidationError(
            {"students_proficient": _("More students proficient than assessed cannot be right.")}
        )
    snapshot, _created = EvidenceSnapshot.objects.update_or_create(
        goal=goal,
        kind=kind,
        defaults={
            "taken_on": taken_on,
            "students_assessed": students_assessed,
            "students_proficient": students_proficient,
        },
    )
    partnership_touch(goal.cycle.partnership)
    return snapshot


@transaction.atomic
def progress_add(
    *,
    actor: User,
    goal: Goal,
    recorded_on: datetime.date,
    value: Decimal,
    source: str,
    note: str = "",
) -> ProgressPoint:
    _require_open(goal.cycle)
    progress_check(goal, recorded_on, value)
    point = ProgressPoint(
        goal=goal,
        recorded_on=recorded_on,
        value=value,
        source=source,
        note=note.strip(),
        added_by=actor,
    )
    point.full_clean()
    point.save()
    partnership_touch(goal.cycle.partnership)
    return point


def _check_point_changer(actor: User, point: ProgressPoint) -> None:
    if point.added_by_id != actor.id:
        raise ValidationError(_("Only the person who added a progress point changes it."))


@transaction.atomic
def progress_edit(
    *,
    actor: User,
    point: ProgressPoint,
    recorded_on: datetime.date,
    value: Decimal,
    source: str,
    note: str = "",
) -> ProgressPoint:
    """Correct a progress point: its adder alone, while the cycle is open."""
    lock(point, "value")
    _check_point_changer(actor, point)
    refuse_if(progress_change_refusal(point))
    goal = point.goal
    progress_check(goal, recorded_on, value)
    point.recorded_on, point.value, point.source = recorded_on, value, source
    point.note = note.strip()
    point.full_clean()
    point.save(update_fields=["recorded_on", "value", "source", "note"])
    partnership_touch(goal.cycle.partnership)
    return point


@transaction.atomic
def progress_delete(*, actor: User, point: ProgressPoint) -> None:
    """Take a progress point off the chart: its adder alone, while the cycle is open."""
    lock(point, "value")
    _check_point_changer(actor, point)
    refuse_if(progress_change_refusal(point))
    partnership = point.goal.cycle.partnership
    point.delete()
    partnership_touch(partnership)


def _check_visibility(cycle: Cycle, visibility: str, *, was: str = "") -> None:
    # Once the partnership has ended nothing new reaches the other side: what the teacher
    # wrote for themselves stays theirs. What was shared before the end stays as it was.
    shared = Reflection.Visibility.SHARED
    if cycle.partnership.is_closed and visibility == shared and was != shared:
        raise ValidationError(
            {"visibility": _("The partnership is closed: a reflection now can only be private.")}
        )


def reflection_write(
    *, actor: User, cycle: Cycle, prompt: str, text: str, visibility: str
) -> Reflection:
    _check_visibility(cycle, visibility)
    reflection = Reflection(
        cycle=cycle,
        author=actor,
        prompt=prompt_as_kept(prompt),
        text=text.strip(),
        visibility=visibility,
    )
    reflection.full_clean()
    reflection.save()
    _log_private_change(actor, reflection)
    return reflection


def _log_private_change(actor: User, reflection: Reflection) -> None:
    if reflection.visibility == Reflection.Visibility.PRIVATE:
        private_reflections_accessed.send(
            sender=Reflection, actor=actor, reflections=[reflection], action="changed"
        )


@transaction.atomic
def reflection_delete(*, actor: User, reflection: Reflection) -> None:
    """The author deletes a private reflection. A shared one is the partnership's too."""
    lock(reflection, "visibility")
    if reflection.visibility != Reflection.Visibility.PRIVATE:
        raise ValidationError(
            _("This reflection is shared with the partnership: make it private first to delete it.")
        )
    private_reflections_accessed.send(
        sender=Reflection, actor=actor, reflections=[reflection], action="deleted"
    )
    reflection.delete()


@transaction.atomic
def reflection_update(*, actor: User, reflection: Reflection, **fields: Any) -> Reflection:
    lock(reflection, "visibility")  # deleted meanwhile in another tab: 404, not a 500
    _check_visibility(
        reflection.cycle, fields.get("visibility", reflection.visibility), was=reflection.visibility
    )
    for name, value in fields.items():
        setattr(reflection, name, value.strip() if isinstance(value, str) else value)
    reflection.updated_at = timezone.now()
    reflection.full_clean()
    reflection.save(update_fields=[*fields, "updated_at"])
    _log_private_change(actor, reflection)
    return reflection


def _require_district_admin(actor: User, district_id: int) -> None:
    if not administered_districts(actor).filter(pk=district_id).exists():
        raise ValidationError(_("Only the district's administrators manage its library."))


def focus_area_save(*, actor: User, focus_area: FocusArea) -> FocusArea:
    _require_district_admin(actor, focus_area.district_id)
    focus_area.full_clean()
    focus_area.save()
    return focus_area


def strategy_save(*, actor: User, strategy: Strategy) -> Strategy:
    _require_district_admin(actor, strategy.district_id)
    if strategy.focus_area and strategy.focus_area.district_id != strategy.district_id:
        raise ValidationError({"focus_area": _("Choose a focus area of this district.")})
    strategy.full_clean()
    strategy.save()
    return strategy
