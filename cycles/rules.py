"""Who may act on a cycle they can see (seeing is the selectors' business: 404 otherwise).

The coach steers the cycle; coach and teachers both record progress and write reflections;
a reflection is changed by its author alone.
"""

import rules

from coaching.rules import is_partnership_coach, is_partnership_teacher


@rules.predicate
def is_cycle_coach(user, cycle):
    return is_partnership_coach(user, cycle.partnership)


@rules.predicate
def is_cycle_teacher(user, cycle):
    return is_partnership_teacher(user, cycle.partnership)


@rules.predicate
def is_reflection_author(user, reflection):
    return reflection.author_id == user.id


rules.add_perm("cycles.start_cycle", is_partnership_coach)
rules.add_perm("cycles.steer_cycle", is_cycle_coach)
rules.add_perm("cycles.add_progress", is_cycle_coach | is_cycle_teacher)
rules.add_perm("cycles.write_reflection", is_cycle_coach | is_cycle_teacher)
rules.add_perm("cycles.change_reflection", is_reflection_author)
