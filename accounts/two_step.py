"""Two-step sign-in: a code from an authenticator app (TOTP) after the password.

Required of administrators and operators (accounts.security.two_step_required); coaches
and teachers may turn it on from their password page. Ten one-time recovery codes,
shown once, let a person in when their phone is lost.
"""

import base64

import segno
from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.views import safe_next

from .models import User
from .security import two_step_exempt, two_step_required

RECOVERY_CODES = 10


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _app_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def two_step_turn_on(*, actor, device: TOTPDevice) -> list[str]:
    """Confirm the app the person just scanned, and give them fresh recovery codes."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    recovery, _created = StaticDevice.objects.get_or_create(user=actor, name="Recovery codes")
    recovery.token_set.all().delete()
    codes = [StaticToken.random_token() for _number in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    User.objects.filter(pk=actor.pk).update(two_step_enabled=True)
    return codes


@two_step_exempt
def two_step(request):
    """Ask for the second step, or set it up when the person has none yet."""
    if _app_device(request.user) is None:
        return _set_up(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(safe_next(request, "/"))
        form.add_error(
            "code",
            _(
                "That code is not right, was already used, or came too soon after a wrong one. "
                "Wait a few seconds, then enter the newest code."
            ),
        )
    return render(
        request, "accounts/two_step_verify.html", {"form": form, "next": request.GET.get("next")}
    )


def _set_up(request):
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            codes = two_step_turn_on(actor=user, device=device)
            otp_login(request, device)
            messages.success(request, _("Two-step sign-in is on."))
            # Shown this once, never stored readable elsewhere: the person keeps them.
            return render(
                request,
                "accounts/two_step_codes.html",
                {"codes": codes, "next": safe_next(request, "/")},
            )
        form.add_error(
            "code",
            _(
                "That code is not right, or came too soon after a wrong one. Wait a few "
                "seconds, then enter the newest code the app shows."
            ),
        )
    context = {
        "form": form,
        # Drawn here as an image, so the secret never leaves the server for a QR service.
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4),
        "secret": base64.b32encode(device.bin_key).decode(),
        "next": request.GET.get("next"),
        "required": two_step_required(user, request.memberships),
    }
    return render(request, "accounts/two_step_setup.html", context)
