"""Middleware every page goes through, whoever is signed in."""

from collections.abc import Callable

from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

from .http import expects_json


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's, except that a script's request whose session has ended answers 401.

    A script follows a redirect to the sign-in page and sees a 200: the capture page once
    took that for "saved" and dropped notes that never reached the server.
    """

    # A script gets JSON where Django's gives only redirects.
    def handle_no_permission(  # type: ignore[override]
        self, request: HttpRequest, view_func: Callable[..., HttpResponseBase]
    ) -> HttpResponseBase:
        if expects_json(request):
            return JsonResponse(
                {
                    "error": _("You are signed out. Sign in again to send this."),
                    "reason": "signed_out",
                    "sign_in_url": resolve_url(self.get_login_url(view_func)),
                },
                status=401,
            )
        return super().handle_no_permission(request, view_func)


class PrivatePagesMiddleware:
    """Every page Tandem makes is `Cache-Control: private, no-store` unless its view says
    otherwise: feedback, notes, reflections, report figures, CSV downloads and people's
    names must not stay in a shared computer's browser cache after an idle sign-out or a
    closed browser, nor in a proxy. Static files (WhiteNoise, earlier in the chain) are
    public and cached for long; nothing else is worth the risk of deciding page by page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
