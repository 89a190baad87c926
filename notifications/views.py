from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import User

from . import services
from .calendar import calendar_of, subscribe_links
from .forms import PreferencesForm
from .models import CalendarFeed, Kind, Preference
from .reminders import kind_names, read_unsubscribe_token


def preferences(request):
    form = PreferencesForm(request.POST or None, current=services.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your reminder choices are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@require_safe
def calendar_page(request):
    feed = services.calendar_feed_of(request.user)
    feed_url = request.build_absolute_uri(reverse("notifications:calendar", args=[feed.token]))
    return render(
        request,
        "notifications/calendar_page.html",
        {"feed_url": feed_url, "links": subscribe_links(feed_url)},
    )


# A new address breaks every calendar subscribed to the old one: asked on a page first.
@require_http_methods(["GET", "POST"])
def calendar_reset(request):
    if request.method == "GET":
        return render(request, "notifications/calendar_reset.html")
    services.calendar_feed_reset(user=request.user)
    messages.success(
        request,
        _(
            "Your calendar has a new address. The old one no longer works: subscribe again "
            "with the new one."
        ),
    )
    return redirect("notifications:calendar_page")


# Calendar programs fetch without a session: the secret address is the key.
@login_not_required
@require_safe  # some calendar programs check an address with HEAD first
def calendar(request, token):
    feed = (
        CalendarFeed.objects.filter(token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    if feed is None:
        raise Http404
    response = HttpResponse(calendar_of(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tandem.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


# Opened from an e-mail, perhaps on another device: the signed link is the authority, not a
# session. Mail programs' one-click button POSTs without a CSRF token (RFC 8058).
@login_not_required
@csrf_exempt
def unsubscribe(request, token):
    found = read_unsubscribe_token(token)
    user = User.objects.filter(pk=found[0], is_active=True).first() if found else None
    if user is None:
        raise Http404
    kinds = [Kind(kind) for kind in found[1]]
    if request.method == "POST":
        services.preferences_set(user=user, choices=dict.fromkeys(kinds, Preference.Delivery.OFF))
        return render(request, "notifications/unsubscribed.html", _about(kinds))
    # A link scanner's GET must not switch anything off: the page asks for one click.
    return render(request, "notifications/unsubscribe.html", _about(kinds))


def _about(kinds: list[Kind]) -> dict:
    """The unsubscribe pages' context: the kinds, and their names as one phrase."""
    return {"kinds": kinds, "names": kind_names(kinds)}
