"""Reads of people, places and roles."""

from .models import Membership

# When a person holds several roles, the one shown first is the one they most likely came for.
ROLE_ORDER = [
    Membership.Role.COACH,
    Membership.Role.TEACHER,
    Membership.Role.SCHOOL_ADMIN,
    Membership.Role.DISTRICT_ADMIN,
]


def memberships_of(user) -> list[Membership]:
    """Every role the user holds, in the order the role switcher lists them."""
    memberships = Membership.objects.filter(user=user).select_related("school", "district")
    return sorted(memberships, key=lambda m: (ROLE_ORDER.index(m.role), m.place_name))


def choose_active_membership(memberships, chosen_id) -> Membership | None:
    """The membership chosen in the switcher, or the first one when none (or a stale one) is."""
    for membership in memberships:
        if membership.pk == chosen_id:
            return membership
    return memberships[0] if memberships else None
