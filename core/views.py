"""The view kit every app's views are made with: forms handled by services, one-tap
actions, the one-time key that saves a form once, and the role a page asks for."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView

from .http import TandemRequest
from .models import FormSubmission

if TYPE_CHECKING:
    from accounts.models import Membership

SUBMISSION_FIELD = "submission"


def require_perm(request: TandemRequest, perm: str, obj: Any) -> None:
    """Refuse (403) an act on a record the person may see but may not change."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def require_role(request: TandemRequest, *roles: str) -> Membership:
    """The active membership when it is one of `roles`; otherwise the page does not exist."""
    if request.membership is None or request.membership.role not in roles:
        raise Http404
    return request.membership


def with_submission_key(form: forms.Form) -> forms.Form:
    """Give a form a hidden one-time key, so that sending it twice saves it once."""
    form.fields[SUBMISSION_FIELD] = forms.UUIDField(
        required=False, widget=forms.HiddenInput, initial=uuid.uuid4
    )
    return form


def _claim_submission(user: Any, key: uuid.UUID) -> bool:
    try:
        with transaction.atomic():
            FormSubmission.objects.create(user=user, key=key)
    except IntegrityError:
        return False
    return True


def save_once(
    request: TandemRequest, form: forms.Form, save: Callable[[dict], str]
) -> tuple[HttpResponseRedirect, bool]:
    """Run `save(cleaned_data)`, which returns the address to go to next, once per copy of
    the form (see `with_submission_key`). Returns the redirect and whether this call saved.

    A second copy of the same form waits for the first to commit, then finds its key taken
    and goes where the first went. A refused first copy (a ValidationError from `save`)
    rolls its claim back with it, so the corrected copy goes through.
    """
    key = form.cleaned_data.pop(SUBMISSION_FIELD, None)
    with transaction.atomic():
        if key and not _claim_submission(request.user, key):
            earlier = FormSubmission.objects.get(user=request.user, key=key)
            messages.info(request, _("That was already saved."))
            return redirect(earlier.redirect_to or request.path), False
        url = save(form.cleaned_data)
        if key:
            FormSubmission.objects.filter(user=request.user, key=key).update(redirect_to=url)
    return redirect(url), True


class ServiceFormView(FormView):
    """A form whose cleaned data goes to a service; the service's refusals show on the form.

    Subclasses fetch their objects in `setup_objects` (through a selector, so what is not
    the person's is 404), implement `perform(data)` and `success_url_for(result)`: where
    to go once `perform` returned `result` (Django's own `get_success_url` takes none).
    """

    request: TandemRequest

    success_message = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.setup_objects(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def setup_objects(self, request: HttpRequest, **kwargs: Any) -> None:
        pass

    def get_form(self, form_class: type[forms.Form] | None = None) -> forms.Form:
        return with_submission_key(super().get_form(form_class))

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            response, saved = save_once(
                self.request, form, lambda data: self.success_url_for(self.perform(data))
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if saved and self.success_message:
            messages.success(self.request, self.success_message)
        return response

    def perform(self, data: dict) -> Any:
        raise NotImplementedError

    def success_url_for(self, result: Any) -> str:
        raise NotImplementedError


def run_action(
    request: TandemRequest,
    action: Callable[[], object],
    *,
    success_message: str,
    redirect_to: str,
    partial: str | None = None,
    context: dict | None = None,
) -> HttpResponse:
    """Run a one-tap action. htmx gets the refreshed fragment; a plain form gets a redirect.

    A refusal from the service is shown in the fragment, or as a message after the redirect,
    and nothing is changed.
    """
    context = dict(context or {})
    try:
        action()
    except ValidationError as error:
        context["action_error"] = " ".join(error.messages)
        if not (request.htmx and partial):
            messages.error(request, context["action_error"])
    else:
        if not (request.htmx and partial):
            messages.success(request, success_message)
    if request.htmx and partial:
        return render(request, partial, context)
    return redirect(redirect_to)


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` address posted with a form, if it stays on this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    # A path only: anything else would be taken for a URL name by redirect() and reversed.
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default
