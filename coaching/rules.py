"""Who may do what with a coaching record the person can already see, and when.

Seeing is decided by the selectors (a record outside them is 404); the predicates decide
acting (403). Whether the record's state allows the act (a closed partnership, say) is
said by one `*_refusal()` per act below: None when it may go ahead, else the message the
person reads. The service asks it to refuse, the page asks it (through `*_permissions()`)
to leave out a button that could only be refused.
"""

from typing import Any

import rules
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User

from .models import Meeting, NextStep, Partnership, PartnershipMember

Status = Partnership.Status


@rules.predicate
def is_partnership_coach(user: User, partnership: Partnership) -> bool:
    return partnership is not None and partnership.coach_id == user.id


@rules.predicate
def is_partnership_teacher(user: User, partnership: Partnership) -> bool:
    return partnership is not None and any(
        m.teacher_id == user.id and m.status == PartnershipMember.Status.ACCEPTED
        for m in partnership.members.all()
    )


@rules.predicate
def is_invited_teacher(user: User, partnership: Partnership) -> bool:
    return partnership is not None and any(
        m.teacher_id == user.id and m.status == PartnershipMember.Status.INVITED
        for m in partnership.members.all()
    )


@rules.predicate
def is_meeting_coach(user: User, meeting: Meeting) -> bool:
    return is_partnership_coach(user, meeting.partnership)


@rules.predicate
def is_step_coach(user: User, step: NextStep) -> bool:
    return is_partnership_coach(user, step.partnership)


@rules.predicate
def is_step_owner_teacher(user: User, step: NextStep) -> bool:
    return step.owner == NextStep.Owner.TEACHER and is_partnership_teacher(user, step.partnership)


@rules.predicate
def is_member_coach(user: User, member: PartnershipMember) -> bool:
    return is_partnership_coach(user, member.partnership)


@rules.predicate
def is_member_self(user: User, member: PartnershipMember) -> bool:
    return member.teacher_id == user.id


rules.add_perm("coaching.manage_partnership", is_partnership_coach)
# A teacher may leave a team; its coach may take a teacher off it.
rules.add_perm("coaching.remove_teacher", is_member_coach | is_member_self)
rules.add_perm("coaching.respond_to_invitation", is_invited_teacher)
rules.add_perm("coaching.add_next_step", is_partnership_coach | is_partnership_teacher)
rules.add_perm("coaching.write_coach_notes", is_partnership_coach)
rules.add_perm("coaching.change_meeting", is_meeting_coach)
# A teacher ticks off their own next steps; the coach any of the partnership's.
rules.add_perm("coaching.tick_next_step", is_step_coach | is_step_owner_teacher)


# Why not: the state each act needs -----------------------------------------------------


def teachers_now(partnership: Partnership) -> set[int]:
    """The ids of the teachers in the partnership now (MemberQuerySet.present). A page that
    fetched the members with their presence (MEMBERS_WITH_TEACHERS) is read, not the
    database asked again; otherwise (a service) the database is asked."""
    cached = getattr(partnership, "_prefetched_objects_cache", {}).get("members")
    if cached is not None and all(hasattr(m, "has_role") for m in cached):
        return {m.teacher_id for m in cached if m.is_present}
    return set(partnership.members.present().values_list("teacher_id", flat=True))


def _teachers_present(
    partnership: Partnership, *, besides: PartnershipMember | None = None
) -> bool:
    """Whether a teacher is in the partnership now, `besides` left out."""
    left_out = {besides.teacher_id} if besides is not None else set()
    return bool(teachers_now(partnership) - left_out)


def partnership_work_refusal(partnership: Partnership) -> str | None:
    """Why nothing new can be done in the partnership (a cycle, a meeting, a next step, an
    observation), or None while it runs with a teacher in it."""
    if partnership.status == Status.CLOSED:
        return _("This partnership is closed: nothing more can be added to it.")
    if partnership.status == Status.PAUSED:
        return _("This partnership is paused. Resume it to carry on.")
    if partnership.status == Status.INVITED:
        return _("This partnership starts once a teacher accepts the invitation.")
    if not _teachers_present(partnership):
        return _(
            "Nobody in this partnership teaches at the school any more: close it, with its "
            "cycle if one is open."
        )
    return None


# A cycle's open phases, named here (not imported) because cycles is the floor above.
OPEN_CYCLE_PHASES = ("identify", "learn", "improve")


def cycle_start_refusal(partnership: Partnership) -> str | None:
    """Why no cycle can start in the partnership now. Kept on this floor because the
    partnership's page offers the button; `cycles.services.cycle_start` asks it too, after
    locking the teachers, so the answer is still true when the cycle is made."""
    refusal = partnership_work_refusal(partnership)
    if refusal is not None:
        return refusal
    if partnership.cycles.filter(phase__in=OPEN_CYCLE_PHASES).exists():
        return _("A cycle is under way: close it, with its outcome, before starting the next.")
    # One cycle at a time per teacher, across every partnership they are in: a teacher
    # cannot give two goals the attention a cycle needs.
    busy = sorted(
        PartnershipMember.objects.present()
        .filter(
            teacher__in=teachers_now(partnership),
            partnership__cycles__phase__in=OPEN_CYCLE_PHASES,
        )
        .values_list("teacher__full_name", flat=True)
        .distinct()
    )
    if busy:
        return ngettext(
            "%(names)s already has a cycle under way in another partnership. A teacher works "
            "on one cycle at a time.",
            "%(names)s already have a cycle under way in another partnership. A teacher works "
            "on one cycle at a time.",
            len(busy),
        ) % {"names": ", ".join(busy)}
    return None


def partnership_pause_refusal(partnership: Partnership) -> str | None:
    if partnership.status != Status.ACTIVE:
        return _("Only an active partnership can be paused.")
    return None


def partnership_resume_refusal(partnership: Partnership) -> str | None:
    if partnership.status != Status.PAUSED:
        return _("Only a paused partnership can be resumed.")
    return None


def partnership_close_refusal(partnership: Partnership) -> str | None:
    """Whether the partnership itself may close. Its open cycle, if any, must be closed
    first, with its outcome: the outcome is the coach's judgement and must be given, never
    inferred from the partnership ending. (Through the reverse relation: cycles is above.)"""
    if partnership.status == Status.CLOSED:
        return _("This partnership is already closed.")
    if partnership.cycles.filter(phase__in=OPEN_CYCLE_PHASES).exists():
        return _("Close the open cycle first, with its outcome: then the partnership can close.")
    return None


def member_removal_refusal(member: PartnershipMember, *, actor: User) -> str | None:
    """Why this teacher cannot leave the team, or be taken off it, by `actor` now."""
    partnership = member.partnership
    name = member.teacher.full_name
    if member.status != PartnershipMember.Status.ACCEPTED or not member.is_present:
        return _("%(name)s is no longer in this partnership.") % {"name": name}
    if partnership.is_closed:
        return _("This partnership is closed: its people can no longer change.")
    # The last teacher does not leave: the partnership closes instead.
    if not _teachers_present(partnership, besides=member):
        if actor.id == member.teacher_id:
            return _(
                "You are the only teacher in this partnership, so leaving it would end it: "
                "ask %(coach)s to close it."
            ) % {"coach": partnership.coach.full_name}
        return _("%(name)s is the only teacher left in this partnership: close it instead.") % {
            "name": name
        }
    return None


def meeting_change_refusal(meeting: Meeting) -> str | None:
    """Why the meeting's time, agenda or notes can no longer change."""
    if meeting.partnership.is_closed:
        return _("This partnership is closed: its meetings can no longer change.")
    return None


def meeting_hold_refusal(meeting: Meeting) -> str | None:
    """Why the meeting cannot be marked as held, or None when it can."""
    refusal = partnership_work_refusal(meeting.partnership)
    if refusal is None and meeting.held_at:
        return _("This meeting is already marked as held.")
    if refusal is None and meeting.starts_at > timezone.now():
        return _("This meeting has not started yet: mark it as held once it has taken place.")
    return refusal


def meeting_cancel_refusal(meeting: Meeting) -> str | None:
    """Why the meeting cannot be cancelled, or None when it can."""
    if meeting.partnership.is_closed:
        return _("This partnership is closed: its meetings can no longer change.")
    if meeting.held_at:
        return _("This meeting was already held: it stays in the record.")
    return None


def next_step_mark_refusal(step: NextStep) -> str | None:
    if step.partnership.is_closed:
        return _("This partnership is closed: its next steps can no longer change.")
    return None


# What a page offers: the permission and the state together, asked in one place ----------


def partnership_permissions(user: User, partnership: Partnership) -> dict[str, Any]:
    """What `user` may do on the partnership's page now."""
    manage = user.has_perm("coaching.manage_partnership", partnership)
    at_work = partnership_work_refusal(partnership) is None
    start_refusal = cycle_start_refusal(partnership) if manage and at_work else None
    close_refusal = partnership_close_refusal(partnership) if manage else None
    return {
        "manage": manage,
        "start_cycle": manage and at_work and start_refusal is None,
        # Said beside the cycles rather than hidden in silence, when the partnership runs.
        "why_not_start_cycle": start_refusal if manage and at_work else None,
        "schedule_meeting": manage and at_work,
        "pause": manage and partnership_pause_refusal(partnership) is None,
        "resume": manage and partnership_resume_refusal(partnership) is None,
        "close": manage and close_refusal is None,
        "why_not_close": close_refusal if manage and not partnership.is_closed else None,
        "add_next_step": at_work and user.has_perm("coaching.add_next_step", partnership),
        "write_coach_notes": user.has_perm("coaching.write_coach_notes", partnership),
        # The places of the teachers `user` may take off the team, or leave it by.
        "removable": {
            m.pk
            for m in partnership.members.all()
            if user.has_perm("coaching.remove_teacher", m)
            and member_removal_refusal(m, actor=user) is None
        },
    }


def meeting_permissions(user: User, meeting: Meeting) -> dict[str, Any]:
    """What `user` may do on the meeting's page now."""
    change = user.has_perm("coaching.change_meeting", meeting)
    partnership = meeting.partnership
    hold_refusal = meeting_hold_refusal(meeting)
    return {
        "change": change and meeting_change_refusal(meeting) is None,
        "hold": change and hold_refusal is None,
        "why_not_hold": hold_refusal if change and not meeting.held_at else None,
        # Every meeting not held yet shows coach and teacher what the next lesson's
        # observation will look for: even a debrief of the last lesson ends by choosing
        # what to look at next. A held meeting is a record, not a plan.
        "plan_next_lesson": not meeting.held_at and partnership_work_refusal(partnership) is None,
        "cancel": change and meeting_cancel_refusal(meeting) is None,
        "add_next_step": partnership_work_refusal(partnership) is None
        and user.has_perm("coaching.add_next_step", partnership),
    }
