"""The coach's page in the classroom: starting an observation, capturing notes and tallies
as they are entered (what static/js/capture/ sends), and deleting a draft."""

import functools
import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Membership
from coaching.selectors import members_with_teachers
from core.http import expects_json
from core.views import ServiceFormView, require_perm, require_role, run_action
from cycles.models import Cycle
from cycles.selectors import cycles_visible_to, get_cycle

from .. import rules, selectors, services
from ..access import log_observation
from ..forms import LookForAddForm, NoteForm, ObservationStartForm, TallyForm
from ..models import AccessEvent, SeatTap

Role = Membership.Role


class ObservationStartView(ServiceFormView):
    """Start a lesson observation: from a cycle, or from the coach home choosing one."""

    template_name = "observations/observation_start.html"
    form_class = ObservationStartForm

    def setup_objects(self, request, cycle=None):
        if cycle is None:
            membership = require_role(request, Role.COACH)
            self.cycle = None
            self.cycles = (
                cycles_visible_to(request.user)
                .filter(
                    partnership__coach=request.user,
                    partnership__school=membership.school,
                    partnership__status="active",
                )
                .exclude(phase=Cycle.Phase.CLOSED)
                .select_related("partnership")
                .prefetch_related(members_with_teachers("partnership"))
            )
        else:
            self.cycle = get_cycle(request.user, cycle)
            require_perm(request, "observations.start", self.cycle)
            self.cycles = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cycles": self.cycles}

    def get_context_data(self, **kwargs):
        # From a cycle that cannot be observed now, the page says why instead of starting.
        refusal = rules.observation_start_refusal(self.cycle) if self.cycle else None
        return super().get_context_data(cycle=self.cycle, start_refusal=refusal, **kwargs)

    def perform(self, data):
        cycle = data.pop("cycle", None) or self.cycle
        return services.observation_start(actor=self.request.user, cycle=cycle, **data)

    def success_url_for(self, observation):
        return reverse("observations:capture", args=[observation.pk])


def observation_capture(request, observation):
    """The coach's page in the classroom: notes and tallies, saved as they are entered."""
    observation = selectors.get_observation(request.user, observation)
    require_perm(request, "observations.capture", observation)
    # Notes that could only be refused are not asked for: the lesson's page says why.
    refusal = rules.observation_change_refusal(observation)
    if refusal:
        messages.error(request, refusal)
        return redirect("observations:detail", observation.pk)
    log_observation(request.user, observation, AccessEvent.Action.READ)
    evidence = selectors.evidence_of(observation)
    context = {
        "observation": observation,
        "can": rules.observation_permissions(request.user, observation),
        **evidence,
        "note_form": NoteForm(initial={"client_id": uuid.uuid4()}),
        # Its own ids: both forms have a client_id field, and ids must be unique on a page.
        "tally_form": TallyForm(initial={"client_id": uuid.uuid4()}, auto_id="tally_%s"),
        "look_for_form": LookForAddForm(auto_id="look_for_%s"),
        "tap_kinds": SeatTap.Kind.choices,
        # The id in the edit address of a note the page adds itself (js/capture/notes.js).
        "some_note": uuid.UUID(int=0),
        # The taps this page already counts, so that js/capture/main.js adds to the heat only
        # those it confirmed after a copy of the page was kept for offline use.
        "tap_ids": [str(i) for i in observation.seat_taps.values_list("client_id", flat=True)]
        if evidence["seat_map"]
        else [],
    }
    return render(request, "observations/observation_capture.html", context)


@require_GET
def capture_worker(request):
    """The capture page's service worker (static/js/capture-sw.js), which lets the page load
    offline. It is served here rather than under /static/ because a worker may only control
    pages below the path it comes from."""
    script = Path(finders.find("js/capture-sw.js")).read_text()
    response = HttpResponse(script, content_type="text/javascript")
    # No HTTP cache may hold on to an old worker: a fixed one must reach the next visit.
    response["Cache-Control"] = "no-cache"
    return response


def capture_endpoint(form_class):
    """Make a view of what the capture page sends, one note, tally or seat tap at a time
    (static/js/capture/queue.js), from `save(request, observation, data)`.

    POST only, to an observation the person sees and observes (else 404 or 403), with
    `form_class` checking what was sent. `save` calls the service and returns the answer,
    naming the item's client id: that answer is the page's only receipt. A script gets it
    as JSON; a form sent without JavaScript goes back to the capture page. A refusal (the
    form's, or the service's ValidationError) is a 400 naming it, or a message on the page.
    """

    def decorate(save):
        @require_POST
        @functools.wraps(save)
        def view(request, observation):
            observation = selectors.get_observation(request.user, observation)
            require_perm(request, "observations.capture", observation)
            form = form_class(request.POST)
            if not form.is_valid():
                errors = form.errors.values()
                return _refused(request, observation, " ".join(e for es in errors for e in es))
            try:
                answer = save(request, observation, form.cleaned_data)
            except ValidationError as error:
                return _refused(request, observation, " ".join(error.messages))
            if expects_json(request):
                return JsonResponse(answer)
            return redirect("observations:capture", observation.pk)

        return view

    return decorate


def _refused(request, observation, error):
    if expects_json(request):
        return JsonResponse({"error": error}, status=400)
    messages.error(request, error)
    return redirect("observations:capture", observation.pk)


@capture_endpoint(NoteForm)
def note_add(request, observation, data):
    note, created = services.observation_add_note(
        actor=request.user,
        observation=observation,
        client_id=data["client_id"],
        text=data["text"],
        noted_at=data["noted_at"],
        look_for=data["look_for"],
    )
    return {"client_id": str(note.client_id), "created": created}


@capture_endpoint(TallyForm)
def tally_set(request, observation, data):
    tally = services.observation_set_tally(actor=request.user, observation=observation, **data)
    return {"client_id": str(tally.client_id), "count": tally.count}


def observation_delete(request, observation):
    """A draft the coach no longer wants: asked once, then gone."""
    observation = selectors.get_observation(request.user, observation)
    require_perm(request, "observations.capture", observation)
    # A shared lesson has no draft to delete: as if this page did not exist.
    if rules.observation_delete_refusal(observation):
        raise Http404
    if request.method == "GET":
        return render(request, "observations/observation_delete.html", {"observation": observation})
    return run_action(
        request,
        lambda: services.observation_delete_draft(actor=request.user, observation=observation),
        success_message=_("Draft of %(names)s’s lesson deleted.")
        % {"names": observation.teacher_names},
        redirect_to=reverse("cycles:detail", args=[observation.cycle_id]),
    )
