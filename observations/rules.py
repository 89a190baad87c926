"""Who may act on an observation they can already see (seeing: `selectors`, else 404), who
adds to the look-for library, and when the record's state allows an act: one `*_refusal()`
per state-gated act, asked by the service and by the page alike."""

from typing import Any

import rules
from django.utils.translation import gettext as _

from accounts.models import District, Membership, School, User
from coaching.models import Partnership
from coaching.rules import partnership_work_refusal, teachers_now
from cycles.models import Cycle
from cycles.rules import cycle_change_refusal, is_cycle_coach, is_cycle_teacher

from .models import LookForTemplate, Observation
from .selectors import templates_managed_by

Role = Membership.Role


@rules.predicate
def is_observer(user: User, observation: Observation) -> bool:
    return observation.observer_id == user.id


@rules.predicate
def is_observed_teacher(user: User, observation: Observation) -> bool:
    return observation.is_shared and any(t.pk == user.id for t in observation.teachers.all())


@rules.predicate
def is_cycle_coach_of(user: User, observation: Observation) -> bool:
    return is_cycle_coach(user, observation.cycle)


@rules.predicate
def is_cycle_teacher_of(user: User, observation: Observation) -> bool:
    return is_cycle_teacher(user, observation.cycle)


# The observer alone writes: notes, tallies, feedback, sharing, amending.
rules.add_perm("observations.capture", is_observer & is_cycle_coach_of)
rules.add_perm("observations.respond", is_observed_teacher & is_cycle_teacher_of)
rules.add_perm(
    "observations.feed_goal",
    (is_observer & is_cycle_coach_of) | (is_observed_teacher & is_cycle_teacher_of),
)
rules.add_perm("observations.start", is_cycle_coach)
# The teacher chooses what is looked for; the coach may add to it, for the teacher to see.
rules.add_perm("observations.choose_look_fors", is_cycle_coach | is_cycle_teacher)


def library_scope(membership: Membership | None) -> tuple[District, School | None] | None:
    """Where the active role adds look-for templates: (district, school), the school None
    for the district's own; None for a role that only reads the library."""
    if membership is None:
        return None
    # A school administrator's role is held at a school, a district administrator's at the
    # district (Membership's check constraint).
    if membership.role == Role.SCHOOL_ADMIN and membership.school:
        return membership.school.district, membership.school
    if membership.role == Role.DISTRICT_ADMIN and membership.district:
        return membership.district, None
    return None


# Why not: the state each act needs. None when it may go ahead, else the message the person
# reads. The service refuses with it (`coaching.services.refuse_if`); the page asks it,
# through `observation_permissions()`, to leave out a button that could only be refused.


def observation_change_refusal(observation: Observation) -> str | None:
    """Why the lesson's notes, tallies, seats, look-fors, feedback or answers can no longer
    change. A paused partnership's lessons still can: the coach finishes what was seen."""
    if observation.cycle.partnership.is_closed:
        return _("This partnership is closed: its observations can no longer change.")
    return None


def observation_start_refusal(cycle: Cycle) -> str | None:
    """Why no lesson of the cycle can be observed now."""
    refusal = partnership_work_refusal(cycle.partnership)
    if refusal is None and not cycle.is_open:
        return _("This cycle is closed. Observe within an open cycle.")
    return refusal


def observation_share_refusal(
    observation: Observation, *, present: set[int] | None = None
) -> str | None:
    """Why the feedback cannot be shared now. `present`: the ids of the teachers in the
    partnership now, when the caller already asked the database for them."""
    refusal = observation_change_refusal(observation)
    if refusal is not None:
        return refusal
    if observation.is_shared:
        return _("This observation is already shared.")
    if not observation.has_feedback:
        return _("Write some feedback before sharing: strengths, wonderings or next steps.")
    if present is None:
        present = teachers_now(observation.cycle.partnership)
    # A teacher who left the partnership since the lesson does not receive its feedback.
    if not any(t.pk in present for t in observation.teachers.all()):
        return _(
            "Nobody observed in this lesson is in the partnership any more, so there is "
            "nobody to share it with. Delete the draft instead."
        )
    return None


def observation_delete_refusal(observation: Observation) -> str | None:
    """Why the lesson cannot be thrown away: once shared it is the teacher's record too."""
    if observation.is_shared:
        return _("This observation is shared: it is the teacher's record too, and stays.")
    return None


def evidence_delete_refusal(observation: Observation) -> str | None:
    """Why a note or tally of the lesson cannot be deleted (or a note's adding undone).

    While the lesson is a draft the coach takes back what they like: nobody else has read
    it. Once shared, a note is the teacher's record too, read and perhaps answered: it is
    corrected in place, marked "edited" and written in the teacher's log, but never made to
    disappear, so the teacher's record cannot quietly shrink behind them. A wrong note is
    rewritten; what it said is not kept (`ObservationNote.edited_at`)."""
    refusal = observation_change_refusal(observation)
    if refusal is None and observation.is_shared:
        return _(
            "This observation is shared: its notes and tallies are the teacher's record too "
            "and stay. Edit one to correct it; the teacher sees that it was edited."
        )
    return refusal


def same_unit(a: str, b: str) -> bool:
    """Whether two units name the same thing, however they were typed ("Times" is "times")."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def observation_feed_goal_refusal(observation: Observation, unit: str | None = None) -> str | None:
    """Why a figure of the lesson, in `unit`, cannot become a progress point of the cycle's
    goal now; without a unit, why no figure of it can.

    A figure joins the chart only in the goal's own unit: a share of the seats that spoke
    is not the share of exit tickets met, and once drawn beside it reads as a fall (61% to
    15%) the teacher would see. Figures name their unit fully ("% of seats") so that two
    different shares never pass as one."""
    goal = getattr(observation.cycle, "goal", None)
    if goal is None:
        return _("This cycle has no goal yet to record progress against.")
    refusal = cycle_change_refusal(observation.cycle)
    if refusal is None and unit is not None and not same_unit(unit, goal.unit):
        return _(
            "The goal is measured in %(goal_unit)s (%(measure)s); this figure is in %(unit)s. "
            "Only a figure in the goal's own measure and unit joins its chart."
        ) % {"goal_unit": goal.unit, "measure": goal.measure, "unit": unit}
    return refusal


def observation_use_seats_refusal(observation: Observation, *, tapped: bool) -> str | None:
    """Why the lesson cannot take (other) seats; `tapped`: whether a seat of it was tapped."""
    refusal = observation_change_refusal(observation)
    if refusal is None and tapped:
        return _("Seats were already tapped in this lesson: its seats stay.")
    return refusal


def seat_layout_refusal(partnership: Partnership) -> str | None:
    """Why a class's room cannot be laid out now: only for a partnership at work."""
    return partnership_work_refusal(partnership)


def observation_seats_refusal(observation: Observation) -> str | None:
    """Why the seats page can do nothing for the lesson now: the room is laid out for the
    partnership (`seat_layout_refusal`), then put on the lesson (`observation_change_refusal`)."""
    return seat_layout_refusal(observation.cycle.partnership) or observation_change_refusal(
        observation
    )


def look_for_choice_refusal(cycle: Cycle) -> str | None:
    """Why what the cycle's next lessons look for can no longer change."""
    refusal = partnership_work_refusal(cycle.partnership)
    if refusal is None and not cycle.is_open:
        return _("This cycle is closed: its look-fors can no longer change.")
    return refusal


# What a page offers: the permission and the state together, asked in one place ----------


def observation_permissions(user: User, observation: Observation) -> dict[str, Any]:
    """What `user` may do on the observation's pages now."""
    capture = user.has_perm("observations.capture", observation)
    respond = user.has_perm("observations.respond", observation)
    change_refusal = observation_change_refusal(observation)
    share_refusal = observation_share_refusal(observation) if capture else None
    return {
        # Notes, tallies, look-fors added in the lesson, feedback: the observer's.
        "capture": capture and change_refusal is None,
        "share": capture and share_refusal is None,
        # Said on a draft's page instead of its Share button.
        "why_not_share": share_refusal if capture and not observation.is_shared else None,
        "delete": capture and observation_delete_refusal(observation) is None,
        # Notes and tallies: edited while the lesson may change, deleted only in a draft.
        "edit_evidence": capture and change_refusal is None,
        "delete_evidence": capture and evidence_delete_refusal(observation) is None,
        "lay_out_seats": capture and observation_seats_refusal(observation) is None,
        "respond": respond and change_refusal is None,
        # Said to the teacher instead of the answer's form.
        "why_not_respond": change_refusal if respond else None,
        "feed_goal": user.has_perm("observations.feed_goal", observation)
        and observation_feed_goal_refusal(observation) is None,
    }


def look_for_choice_permissions(user: User, cycle: Cycle) -> dict[str, Any]:
    """What `user` may do with the look-fors of the cycle's next lessons now."""
    refusal = look_for_choice_refusal(cycle)
    allowed = user.has_perm("observations.choose_look_fors", cycle)
    return {
        "choose": allowed and refusal is None,
        "why_not_choose": refusal if allowed else None,
        # The coach adds to the teacher's choice, visibly; the page speaks to each in turn.
        "as_coach": user.has_perm("cycles.steer_cycle", cycle),
    }


def library_permissions(
    membership: Membership | None, template: LookForTemplate | None = None
) -> dict[str, bool]:
    """What the active role may do with the look-for library, and with `template` in it."""
    return {
        "add": library_scope(membership) is not None,
        "edit": template is not None
        and templates_managed_by(membership).filter(pk=template.pk).exists(),
    }
