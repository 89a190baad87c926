"""Who may act on an observation they can already see (seeing: `selectors`, else 404)."""

import rules

from cycles.rules import is_cycle_coach, is_cycle_teacher


@rules.predicate
def is_observer(user, observation):
    return observation.observer_id == user.id


@rules.predicate
def is_observed_teacher(user, observation):
    return observation.is_shared and any(t.pk == user.id for t in observation.teachers.all())


@rules.predicate
def is_cycle_coach_of(user, observation):
    return is_cycle_coach(user, observation.cycle)


@rules.predicate
def is_cycle_teacher_of(user, observation):
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
