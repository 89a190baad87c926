"""Who may do what with a coaching record the person can already see.

Seeing is decided by the selectors (a record outside them is 404); these predicates decide
acting (403). Whether the record's state allows the act (a closed partnership, say) is the
services' business, so that the person gets a clear message rather than a refusal.
"""

import rules

from .models import NextStep, PartnershipMember


@rules.predicate
def is_partnership_coach(user, partnership):
    return partnership is not None and partnership.coach_id == user.id


@rules.predicate
def is_partnership_teacher(user, partnership):
    return partnership is not None and any(
        m.teacher_id == user.id and m.status == PartnershipMember.Status.ACCEPTED
        for m in partnership.members.all()
    )


@rules.predicate
def is_invited_teacher(user, partnership):
    return partnership is not None and any(
        m.teacher_id == user.id and m.status == PartnershipMember.Status.INVITED
        for m in partnership.members.all()
    )


@rules.predicate
def is_meeting_coach(user, meeting):
    return is_partnership_coach(user, meeting.partnership)


@rules.predicate
def is_step_coach(user, step):
    return is_partnership_coach(user, step.partnership)


@rules.predicate
def is_step_owner_teacher(user, step):
    return step.owner == NextStep.Owner.TEACHER and is_partnership_teacher(user, step.partnership)


rules.add_perm("coaching.manage_partnership", is_partnership_coach)
rules.add_perm("coaching.respond_to_invitation", is_invited_teacher)
rules.add_perm("coaching.add_next_step", is_partnership_coach | is_partnership_teacher)
rules.add_perm("coaching.write_coach_notes", is_partnership_coach)
rules.add_perm("coaching.change_meeting", is_meeting_coach)
# A teacher ticks off their own next steps; the coach any of the partnership's.
rules.add_perm("coaching.tick_next_step", is_step_coach | is_step_owner_teacher)
