from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from accounts.models import User

from . import services
from .forms import PreferencesForm
from .models import Kind, Preference
from .reminders import read_unsubscribe_token


def preferences(request):
    form = PreferencesForm(request.POST or None, current=services.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, "Your reminder choices are saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


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
        return render(request, "notifications/unsubscribed.html", {"kinds": kinds})
    # A link scanner's GET must not switch anything off: the page asks for one click.
    return render(request, "notifications/unsubscribe.html", {"kinds": kinds})
