"""Sign-in protection and session lifetime: who is knocking, under which name, how often,
and how long a session lives without use.

django-axes locks an account for the address it is tried from (the pair), so nobody can
lock a colleague out from elsewhere; this module tells it the real client address behind
the school's proxies and the account's one true name, and throttles an address that
tries many accounts.

A school's staff share one public address, so the throttle of an address can never refuse
a right password for an account nobody has guessed at from there: a stranger's failures
would otherwise lock the whole school out. Past the limit, an address gets one guess per
account per window instead of axes' five; someone spraying one password across the
district still learns nothing from a refusal, and the accounts it reaches are guarded by
the password rules (common passwords refused) and by two steps for those who hold most.
"""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.utils import timezone

from .models import Membership

ADDRESS_FAILURE_LIMIT = 50
ADDRESS_WINDOW_SECONDS = 15 * 60


def client_ip(request) -> str:
    """The address the request came from, through TRUSTED_PROXY_COUNT reverse proxies.

    Each proxy appends the address it was reached from to X-Forwarded-For, so behind N of
    them the client is the N-th entry from the right; anything left of it was written by
    the client itself and proves nothing. Without proxies, the socket's address is the truth.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [part.strip() for part in forwarded if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def sign_in_name(request, credentials) -> str:
    """The name failures are counted under. Accounts are found whatever the capitals, so
    Amara.Bello@ and amara.bello@ must be one name here too, or each spelling gets its own
    five guesses and a success under one wipes the count of all."""
    return str((credentials or {}).get("username") or "").strip().lower()


def _address_key(address: str) -> str:
    return f"sign-in-failures:{address}"


def address_throttled(request) -> bool:
    """Whether this address failed so often, across any accounts, that each account it
    tries gets one guess per window (`guessed_from_here`)."""
    return cache.get(_address_key(client_ip(request)), 0) >= ADDRESS_FAILURE_LIMIT


def guessed_from_here(request, name: str) -> bool:
    """Whether a password for this account failed from this address within the window.

    axes keeps these counts per account and address, and an administrator's unlock clears
    them, so one slip stays forgivable."""
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(
        username=sign_in_name(request, {"username": name}),
        ip_address=client_ip(request),
        failures_since_start__gt=0,
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    ).exists()


def held_back_on_a_busy_network(user) -> bool:
    """Whether a wrong password from a throttled address keeps this person out from there
    just now, short of axes' own lockout: their administrator may unlock them sooner."""
    from axes.models import AccessAttempt

    addresses = AccessAttempt.objects.filter(
        username=sign_in_name(None, {"username": user.email}),
        failures_since_start__gt=0,
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    ).values_list("ip_address", flat=True)
    counts = cache.get_many([_address_key(address) for address in addresses])
    return any(count >= ADDRESS_FAILURE_LIMIT for count in counts.values())


@receiver(user_login_failed)
def count_address_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    key = _address_key(client_ip(request))
    if not cache.add(key, 1, ADDRESS_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, ADDRESS_WINDOW_SECONDS)


def keep_alive(session) -> None:
    """Renew an active session now and then.

    A session expires SESSION_COOKIE_AGE after it was last saved. Touching it every few
    minutes of activity (a tenth of the idle time, at most five minutes) makes that an idle
    time-out, for one write per few minutes rather than one per request.
    """
    now = int(time.time())
    renew_after = min(5 * 60, settings.SESSION_COOKIE_AGE // 10)
    if now - session.get("seen_at", 0) >= renew_after:
        session["seen_at"] = now


@receiver(user_logged_in)
def start_idle_clock(sender, request, user, **kwargs):
    # Signing in saves the session anyway: start its clock then, not on the next page.
    keep_alive(request.session)


# Who may read the most must prove it twice: administrators see their schools' people and
# reports, operators the whole installation.
TWO_STEP_ROLES = (Membership.Role.SCHOOL_ADMIN, Membership.Role.DISTRICT_ADMIN)


def two_step_required(user, memberships) -> bool:
    return (
        user.is_staff or user.two_step_enabled or any(m.role in TWO_STEP_ROLES for m in memberships)
    )


def two_step_exempt(view):
    """Mark a view a person may open before their second step: the step itself."""
    view.two_step_exempt = True
    return view
