"""Where a teacher whose account is closed may go: their records, and the way in and out."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# What a deactivated teacher may still reach: their records (to read and to download),
# and the way in and out.
OPEN_TO_DEPARTED = {
    "records:mine",
    "records:portfolio",
    "records:export",
    "records:download",
    "login",
    "logout",
    "two_step",
    "language",
    # The words of the scripts those pages run (core/jsi18n.py).
    "javascript_catalog",
}


class DepartedTeacherMiddleware:
    """A deactivated teacher signed in to export their records reaches that page and
    nothing else; every other page sends them there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_active:
            return None
        match = request.resolver_match
        if match and match.view_name in OPEN_TO_DEPARTED:
            return None
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse({"error": _("Your account is closed.")}, status=403)
        if match and match.view_name != "homes:route":
            messages.info(
                request, _("Your account is closed: you can still download your records here.")
            )
        return redirect("records:mine")
