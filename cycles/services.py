"""The cycle verbs: start, advance, close, set the goal, record evidence and progress, reflect."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.locking import lock
from accounts.selectors import administered_districts
from coaching.models import Partnership, PartnershipMember
from coaching.services import A_YEAR, partnership_require_active, partnership_touch

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
from .signals import private_reflections_accessed

Phase = Cycle.Phase


def _require_open(cycle: Cycle) -> None:
    if not cycle.is_open:
        raise ValidationError("This cycle is closed: it can no longer change.")
    partnership_require_active(cycle.partnership)


@transaction.atomic
def cycle_start(*, actor, partnership: Partnership, title: str, focus_area: FocusArea) -> Cycle:
    lock(partnership, "status")
    partnership_require_active(partnership)
    if focus_area.district_id != partnership.school.district_id:
        raise ValidationError("Choose a focus area of this school's district.")
    teachers = [
        m.teacher
        for m in partnership.members.select_related("teacher").order_by("teacher_id")
        if m.status == PartnershipMember.Status.ACCEPTED
    ]
    # Lock the teachers too (in id order, so two starts never wait on each other): a
    # cycle started at the same moment in their other partnership must be seen below.
    for teacher in teachers:
        lock(teacher, "is_active")
    # One cycle at a time per teacher, across every partnership they are in: a teacher
    # cannot give two goals the attention a cycle needs.
    busy_names = sorted(
        PartnershipMember.objects.filter(
            teacher__in=teachers,
            status=PartnershipMember.Status.ACCEPTED,
            partnership__cycles__phase__in=[Phase.IDENTIFY, Phase.LEARN, Phase.IMPROVE],
        )
        .values_list("teacher__full_name", flat=True)
        .distinct()
    )
    if busy_names:
        raise ValidationError(
            f"{', '.join(busy_names)} already {'has' if len(busy_names) == 1 else 'have'} an "
            "active cycle. A teacher works on one cycle at a time: close it first."
        )
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
def cycle_advance_phase(*, actor, cycle: Cycle, expected_phase: str = "") -> Cycle:
    """Move to the next phase. `expected_phase` is the phase the person saw: a second tap,
    or a colleague's page that is out of date, is refused instead of skipping a phase."""
    lock(cycle, "phase")
    if expected_phase and cycle.phase != expected_phase:
        raise ValidationError(
            f"This cycle has already moved on to the {cycle.get_phase_display()} phase."
        )
    _require_open(cycle)
    if cycle.next_phase is None:
        raise ValidationError("The improve phase ends by closing the cycle with its outcome.")
    cycle.phase = cycle.next_phase
    cycle.save(update_fields=["phase"])
    PhaseChange.objects.create(cycle=cycle, phase=cycle.phase, changed_by=actor)
    partnership_touch(cycle.partnership)
    return cycle


@transaction.atomic
def cycle_close(*, actor, cycle: Cycle, outcome: str, summary: str) -> Cycle:
    lock(cycle, "phase")
    _require_open(cycle)
    if outcome not in Cycle.Outcome.values:
        raise ValidationError("Choose the cycle's outcome.")
    cycle.phase, cycle.outcome, cycle.summary = Phase.CLOSED, outcome, summary.strip()
    cycle.ended_on = max(cycle.partnership.school.today(), cycle.started_on)
    cycle.save(update_fields=["phase", "outcome", "summary", "ended_on"])
    PhaseChange.objects.create(cycle=cycle, phase=Phase.CLOSED, changed_by=actor)
    partnership_touch(cycle.partnership)
    return cycle


@transaction.atomic
def goal_set(*, actor, cycle: Cycle, **fields) -> Goal:
    lock(cycle, "phase")  # so two saves of a first goal make one goal, not a clash
    _require_open(cycle)
    for name in ("baseline", "target"):
        _check_measurable(fields.get("unit", ""), fields[name], name)
    if fields["target"] == fields["baseline"]:
        raise ValidationError(
            {"target": "The target must differ from the baseline, or there is nothing to reach."}
        )
    if fields["target_date"] < cycle.started_on:
        raise ValidationError(
            {"target_date": "The target date cannot be before the cycle started."}
        )
    if fields["target_date"] > cycle.started_on + A_YEAR:
        raise ValidationError(
            {"target_date": "A cycle lasts weeks, not years: choose a date within a year."}
        )
    strategy = fields.get("strategy")
    if strategy is not None and strategy.district_id != cycle.partnership.school.district_id:
        raise ValidationError({"strategy": "Choose a strategy of this district's library."})
    goal = Goal.objects.filter(cycle=cycle).first() or Goal(cycle=cycle)
    for name, value in fields.items():
        setattr(goal, name, value)
    goal.updated_at = timezone.now()
    goal.full_clean()
    goal.save()
    partnership_touch(cycle.partnership)
    return goal


def _check_measurable(unit: str, value, field: str) -> None:
    """Goals count what students do: never below zero, and a share never above 100%. A
    value outside that is a slip of the thumb, and would flatten the chart around it."""
    if value < 0:
        raise ValidationError({field: "A value below 0 cannot be measured: check the number."})
    if value > 100 and ("%" in unit or "percent" in unit.lower()):
        raise ValidationError({field: "A percentage is at most 100: check the number."})


def _check_date_in_cycle(cycle: Cycle, day: datetime.date, field: str) -> None:
    last = cycle.ended_on or cycle.partnership.school.today()
    if not cycle.started_on <= day <= last:
        raise ValidationError(
            {
                field: (
                    "The date must fall within the cycle, from "
                    f"{date_format(cycle.started_on)} to {date_format(last)}."
                )
            }
        )


@transaction.atomic
def evidence_record(
    *,
    actor,
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
            {"students_proficient": "More students proficient than assessed cannot be right."}
        )
    snapshot, _ = EvidenceSnapshot.objects.update_or_create(
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
    actor,
    goal: Goal,
    recorded_on: datetime.date,
    value: Decimal,
    source: str,
    note: str = "",
) -> ProgressPoint:
    _require_open(goal.cycle)
    _check_date_in_cycle(goal.cycle, recorded_on, "recorded_on")
    _check_measurable(goal.unit, value, "value")
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


def _check_visibility(cycle: Cycle, visibility: str, *, was: str = "") -> None:
    # Once the partnership has ended nothing new reaches the other side: what the teacher
    # wrote for themselves stays theirs. What was shared before the end stays as it was.
    shared = Reflection.Visibility.SHARED
    if cycle.partnership.is_closed and visibility == shared and was != shared:
        raise ValidationError(
            {"visibility": "The partnership is closed: a reflection now can only be private."}
        )


def reflection_write(*, actor, cycle: Cycle, prompt: str, text: str, visibility: str) -> Reflection:
    _check_visibility(cycle, visibility)
    reflection = Reflection(
        cycle=cycle, author=actor, prompt=prompt.strip(), text=text.strip(), visibility=visibility
    )
    reflection.full_clean()
    reflection.save()
    _log_private_change(actor, reflection)
    return reflection


def _log_private_change(actor, reflection: Reflection) -> None:
    if reflection.visibility == Reflection.Visibility.PRIVATE:
        private_reflections_accessed.send(
            sender=Reflection, actor=actor, reflections=[reflection], action="changed"
        )


def reflection_delete(*, actor, reflection: Reflection) -> None:
    """The author deletes a private reflection. A shared one is the partnership's too."""
    if reflection.visibility != Reflection.Visibility.PRIVATE:
        raise ValidationError(
            "This reflection is shared with the partnership: make it private first to delete it."
        )
    private_reflections_accessed.send(
        sender=Reflection, actor=actor, reflections=[reflection], action="deleted"
    )
    reflection.delete()


def reflection_update(*, actor, reflection: Reflection, **fields) -> Reflection:
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


def _require_district_admin(actor, district_id) -> None:
    if not administered_districts(actor).filter(pk=district_id).exists():
        raise ValidationError("Only the district's administrators manage its library.")


def focus_area_save(*, actor, focus_area: FocusArea) -> FocusArea:
    _require_district_admin(actor, focus_area.district_id)
    focus_area.full_clean()
    focus_area.save()
    return focus_area


def strategy_save(*, actor, strategy: Strategy) -> Strategy:
    _require_district_admin(actor, strategy.district_id)
    if strategy.focus_area and strategy.focus_area.district_id != strategy.district_id:
        raise ValidationError({"focus_area": "Choose a focus area of this district."})
    strategy.full_clean()
    strategy.save()
    return strategy
