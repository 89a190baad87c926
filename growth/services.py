"""The verbs of coaching the coaches, in their words: a lead offers support, the coach
accepts it; together they set the coach's goal, talk, and note next steps; the coach
reflects and shares what they choose."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.language import writing_to
from accounts.models import User
from accounts.selectors import administered_districts
from coaching.services import A_YEAR, refuse_if
from core.locking import lock
from outbox.mail import mail_enqueue

from .models import (
    Competency,
    GrowthCycle,
    GrowthMeeting,
    GrowthReflection,
    GrowthStep,
    LeadSupport,
)
from .rules import growth_change_refusal
from .selectors import coaches_within_reach, home_school, lead_of

Status = LeadSupport.Status


@transaction.atomic
def support_offer(*, actor: User, coach: User) -> LeadSupport:
    """A lead offers to support a coach; the coach decides."""
    if not coaches_within_reach(actor).filter(pk=coach.pk).exists():
        raise ValidationError(_("%(coach)s is not a coach you can support.") % {"coach": coach})
    current = lead_of(coach)
    if current is not None:
        if current.lead_id == actor.id:
            message = _("%(coach)s is already supported by you.")
        else:
            message = _("%(coach)s is already supported by another lead coach.")
        raise ValidationError(message % {"coach": coach})
    try:
        with transaction.atomic():
            support = LeadSupport.objects.create(lead=actor, coach=coach)
    except IntegrityError:
        raise ValidationError(
            _("You have already offered to support %(coach)s.") % {"coach": coach}
        ) from None
    with writing_to(coach):  # the coach's language, not the lead's
        offer = _(
            "Hello %(name)s,\n\n%(lead)s offers to support you as your lead coach: to talk with "
            "you about your own coaching, and to read the growth goal, conversations and next "
            "steps you keep in Tandem, and the reflections you choose to share. Never a "
            "teacher's name or record. You decide:"
        ) % {"name": coach.get_short_name(), "lead": actor}
        subject = _("%(lead)s offers to support you as your lead coach") % {"lead": actor}
    mail_enqueue(
        key=f"lead-offer:{support.pk}",
        to=coach.email,
        subject=subject,
        body=f"{offer}\n\n{settings.SITE_URL}{reverse('growth:mine')}\n\nTandem\n",
    )
    return support


def _require_offer_to(actor: User, support: LeadSupport) -> None:
    lock(support, "status")
    if support.coach_id != actor.id or support.status != Status.OFFERED:
        raise ValidationError(_("This offer is no longer waiting for your answer."))


@transaction.atomic
def support_accept(*, actor: User, support: LeadSupport) -> LeadSupport:
    _require_offer_to(actor, support)
    if lead_of(actor) is not None:
        raise ValidationError(_("You already have a lead coach: end that support first."))
    support.status, support.started_at = Status.ACTIVE, timezone.now()
    support.save(update_fields=["status", "started_at"])
    return support


@transaction.atomic
def support_decline(*, actor: User, support: LeadSupport) -> LeadSupport:
    _require_offer_to(actor, support)
    support.status, support.ended_at = Status.DECLINED, timezone.now()
    support.save(update_fields=["status", "ended_at"])
    return support


@transaction.atomic
def support_end(*, actor: User, support: LeadSupport) -> LeadSupport:
    """Either of them ends the support (or the lead withdraws an offer); from then on the
    lead reads nothing of the coach's."""
    lock(support, "status")
    if actor.id not in (support.coach_id, support.lead_id) or support.status not in (
        Status.OFFERED,
        Status.ACTIVE,
    ):
        raise ValidationError(_("This support has already ended."))
    support.status, support.ended_at = Status.ENDED, timezone.now()
    support.save(update_fields=["status", "ended_at"])
    return support


def _check_competency(coach: User, competency: Competency | None) -> None:
    from .selectors import competencies_for

    if competency is not None and not competencies_for(coach).filter(pk=competency.pk).exists():
        raise ValidationError(_("Choose one of your district's coaching competencies."))


@transaction.atomic
def growth_cycle_start(
    *, actor: User, coach: User, competency: Competency | None, goal: str
) -> GrowthCycle:
    """The coach (or their lead, with them) sets a goal for the coach's practice."""
    _check_competency(coach, competency)
    lock(coach, "is_active")
    if GrowthCycle.objects.filter(coach=coach, closed_on=None).exists():
        raise ValidationError(_("A growth cycle is already under way: close it to start another."))
    return GrowthCycle.objects.create(
        coach=coach, competency=competency, goal=goal.strip(), started_on=_today(coach)
    )


def _today(coach: User) -> datetime.date:
    school = home_school(coach)
    return school.today() if school else timezone.localdate()


@transaction.atomic
def growth_goal_change(
    *, actor: User, cycle: GrowthCycle, competency: Competency | None, goal: str
) -> GrowthCycle:
    lock(cycle, "closed_on")
    refuse_if(growth_change_refusal(cycle))
    _check_competency(cycle.coach, competency)
    cycle.competency, cycle.goal = competency, goal.strip()
    cycle.save(update_fields=["competency", "goal"])
    return cycle


@transaction.atomic
def growth_cycle_close(*, actor: User, cycle: GrowthCycle) -> GrowthCycle:
    lock(cycle, "closed_on")
    refuse_if(growth_change_refusal(cycle))
    cycle.closed_on = max(_today(cycle.coach), cycle.started_on)
    cycle.save(update_fields=["closed_on"])
    return cycle


def _lead_to_share_with(coach: User) -> LeadSupport:
    support = lead_of(coach)
    if support is None:
        raise ValidationError(_("You have no lead coach to share it with: keep it to yourself."))
    return support


def growth_reflection_write(
    *, actor: User, cycle: GrowthCycle, text: str, shared: bool
) -> GrowthReflection:
    """The coach reflects; shared, it is for the lead they have now, and no later one."""
    refuse_if(growth_change_refusal(cycle))
    support = _lead_to_share_with(cycle.coach) if shared else None
    return GrowthReflection.objects.create(cycle=cycle, text=text.strip(), shared_with=support)


@transaction.atomic
def growth_reflection_share(
    *, actor: User, reflection: GrowthReflection, shared: bool
) -> GrowthReflection:
    """The coach shares a reflection with their lead, or keeps it to themselves again."""
    lock(reflection, "shared_with_id")
    reflection.shared_with = _lead_to_share_with(reflection.cycle.coach) if shared else None
    reflection.save(update_fields=["shared_with"])
    return reflection


@transaction.atomic
def growth_reflection_delete(*, actor: User, reflection: GrowthReflection) -> None:
    lock(reflection, "shared_with_id")
    reflection.delete()


@transaction.atomic
def growth_reflection_answer(
    *, actor: User, reflection: GrowthReflection, answer: str
) -> GrowthReflection:
    """The lead answers a reflection shared with them (a second answer replaces the first)."""
    lock(reflection, "shared_with_id")
    shared_with_actor = LeadSupport.objects.filter(lead=actor, status=Status.ACTIVE)
    if (
        reflection.shared_with_id is None
        or not shared_with_actor.filter(pk=reflection.shared_with_id).exists()
    ):
        raise ValidationError(_("The coach keeps this reflection to themselves now."))
    reflection.answer, reflection.answered_by = answer.strip(), actor
    reflection.answered_at = timezone.now()
    reflection.save(update_fields=["answer", "answered_by", "answered_at"])
    return reflection


def _check_near(coach: User, day: datetime.date | None) -> None:
    # A slip of the year field (0001, 9999) is no real conversation or due date.
    if day is not None and abs(day - _today(coach)) > A_YEAR:
        raise ValidationError(_("Choose a date within a year of today."))


def growth_meeting_record(
    *, actor: User, cycle: GrowthCycle, kind: str, held_on: datetime.date, notes: str
) -> GrowthMeeting:
    """A conversation, held in the coach's support of the moment: theirs and that lead's."""
    refuse_if(growth_change_refusal(cycle))
    _check_near(cycle.coach, held_on)
    return GrowthMeeting.objects.create(
        cycle=cycle,
        support=lead_of(cycle.coach),
        kind=kind,
        held_on=held_on,
        notes=notes.strip(),
        written_by=actor,
    )


@transaction.atomic
def growth_meeting_delete(*, actor: User, meeting: GrowthMeeting) -> None:
    """Its author takes a conversation back (a wrong date, the wrong words)."""
    lock(meeting, "notes")
    if meeting.written_by_id != actor.id:
        raise ValidationError(_("Only whoever wrote a conversation down can delete it."))
    meeting.delete()


def growth_step_add(
    *, actor: User, cycle: GrowthCycle, text: str, due_on: datetime.date | None
) -> GrowthStep:
    refuse_if(growth_change_refusal(cycle))
    _check_near(cycle.coach, due_on)
    return GrowthStep.objects.create(cycle=cycle, text=text.strip(), due_on=due_on)


@transaction.atomic
def growth_step_mark(*, actor: User, step: GrowthStep, done: bool) -> GrowthStep:
    """Done, or not done after all: said, not toggled, so two taps agree."""
    lock(step, "done_at")
    refuse_if(growth_change_refusal(step.cycle))
    if done != bool(step.done_at):
        step.done_at = timezone.now() if done else None
        step.save(update_fields=["done_at"])
    return step


@transaction.atomic
def growth_step_delete(*, actor: User, step: GrowthStep) -> None:
    lock(step, "done_at")
    refuse_if(growth_change_refusal(step.cycle))
    step.delete()


def competency_save(*, actor: User, competency: Competency) -> Competency:
    """A district administrator keeps the district's list of coaching competencies."""
    if not administered_districts(actor).filter(pk=competency.district_id).exists():
        raise ValidationError(_("Only the district's administrators keep its competencies."))
    competency.full_clean()
    competency.save()
    return competency
