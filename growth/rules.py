"""Who may do what in a coach's growth cycle (reading it is the selectors' business: 404).

The coach owns the cycle: they reflect, share a reflection or keep it, and close the cycle.
Their lead answers what is shared with them; either of them sets the goal, records a
conversation and adds or ticks a next step.
"""

import rules
from django.utils.translation import gettext as _

from accounts.models import User

from .models import GrowthCycle, GrowthReflection
from .selectors import supports_led_now


@rules.predicate
def is_growth_coach(user: User, cycle: GrowthCycle) -> bool:
    return cycle.coach_id == user.id


@rules.predicate
def is_growth_lead(user: User, cycle: GrowthCycle) -> bool:
    return supports_led_now(user).filter(coach=cycle.coach_id).exists()


@rules.predicate
def answers_shared_reflection(user: User, reflection: GrowthReflection) -> bool:
    """The lead it was shared with, while they lead the coach: not a later lead."""
    shared_with = reflection.shared_with_id
    return shared_with is not None and supports_led_now(user).filter(pk=shared_with).exists()


@rules.predicate
def owns_reflection(user: User, reflection: GrowthReflection) -> bool:
    return reflection.cycle.coach_id == user.id


rules.add_perm("growth.plan", is_growth_coach | is_growth_lead)
rules.add_perm("growth.reflect", is_growth_coach)
rules.add_perm("growth.close_cycle", is_growth_coach)
rules.add_perm("growth.share_reflection", owns_reflection)
rules.add_perm("growth.answer_reflection", answers_shared_reflection)


def growth_change_refusal(cycle: GrowthCycle) -> str | None:
    """Why the growth cycle takes nothing new now."""
    if not cycle.is_open:
        return _("This growth cycle is closed: start a new one to carry on.")
    return None
