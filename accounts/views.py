from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import expects_json

from . import services
from .forms import SignInForm
from .middleware import set_active_membership
from .sso import SIGNED_IN_WITH, district_providers


@require_POST
def switch_role(request):
    """Make another of the person's own roles the active one, then go to its home."""
    try:
        chosen = int(request.POST.get("membership", ""))
    except ValueError:
        raise Http404 from None
    for membership in request.memberships:
        if membership.pk == chosen:
            set_active_membership(request, membership)
            return redirect("homes:route")
    raise Http404


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a script gets JSON it can tell apart from a refusal of its data.

    Signing in again in another tab changes the CSRF token; the capture page keeps what it
    could not send and says to sign in, rather than drop it as refused.
    """
    if expects_json(request):
        return JsonResponse(
            {"error": _("Your session changed. Sign in again to send this."), "reason": "csrf"},
            status=403,
        )
    # A page left open while its person signed in again elsewhere, or cookies cleared: a
    # page of Tandem's own that says what to do, not Django's technical one.
    return render(request, "403_csrf.html", status=403)


@require_POST
def sign_out_other_devices(request):
    services.person_sign_out_other_devices(actor=request.user, request=request)
    messages.success(request, _("You are signed out of every other device."))
    return redirect("password_change")


class SignInView(auth_views.LoginView):
    """The district's accounts first, then e-mail and password unless the district turned
    those off (PASSWORD_SIGN_IN; operators keep them, see accounts.forms.SignInForm)."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            providers=district_providers(),
            password_sign_in=settings.PASSWORD_SIGN_IN,
            **kwargs,
        )


class SignOutView(auth_views.LogoutView):
    """Sign out, and have the browser forget what it kept of observations.

    The capture page's service worker caches the page (notes included) and its queue holds
    unsent notes in local storage: on a shared device neither may outlive the session.
    static/js/device.js clears both before the form is sent; this header is the second
    line, for a browser that did not run it.
    """

    def post(self, request, *args, **kwargs):
        provider = request.session.get(SIGNED_IN_WITH)
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        if provider:
            # Tandem cannot sign anyone out of their district account, and does not pretend
            # to: on a shared device that account is still open in the browser.
            messages.info(
                request,
                _(
                    "You are signed out of Tandem. You are still signed in to your %(provider)s "
                    "account in this browser: sign out of %(provider)s too on a shared device."
                )
                % {"provider": provider},
            )
        return response
