from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _

from core.http import expects_json

from .security import keep_alive, two_step_required
from .selectors import choose_active_membership, memberships_of

ACTIVE_MEMBERSHIP_SESSION_KEY = "active_membership_id"


class ActiveRoleMiddleware:
    """Sets `request.memberships` and `request.membership` (the role being acted in).

    The active role's school also sets the time zone that dates are shown in. Pages that
    need no sign-in (such as /healthz) are left alone so that they touch no database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = []
        request.membership = None
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True) or not request.user.is_authenticated:
            return None
        request.memberships = memberships_of(request.user)
        if (
            two_step_required(request.user, request.memberships)
            and not request.user.is_verified()
            and not getattr(view_func, "two_step_exempt", False)
        ):
            if expects_json(request):
                return JsonResponse(
                    {"error": _("Confirm your sign-in."), "reason": "two_step"}, status=401
                )
            return redirect_to_login(request.get_full_path(), resolve_url("two_step"))
        request.membership = choose_active_membership(
            request.memberships, request.session.get(ACTIVE_MEMBERSHIP_SESSION_KEY)
        )
        if request.membership and request.membership.school_id:
            timezone.activate(request.membership.school.zone)
        keep_alive(request.session)
        return None


def set_active_membership(request, membership):
    request.session[ACTIVE_MEMBERSHIP_SESSION_KEY] = membership.pk
    request.membership = membership
