import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.middleware import expects_json
from accounts.mixins import ServiceFormView, require_perm, require_role, run_action
from accounts.models import Membership
from cycles.models import Cycle
from cycles.selectors import cycles_visible_to, get_cycle

from . import selectors, services
from .access import log_observation
from .forms import (
    FeedbackForm,
    FeedGoalForm,
    NoteForm,
    ObservationStartForm,
    ResponseForm,
    TallyForm,
)
from .models import AccessEvent

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
                .prefetch_related("partnership__members__teacher")
            )
        else:
            self.cycle = get_cycle(request.user, cycle)
            require_perm(request, "observations.start", self.cycle)
            self.cycles = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cycles": self.cycles}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cycle=self.cycle, **kwargs)

    def perform(self, data):
        cycle = data.pop("cycle", None) or self.cycle
        return services.observation_start(actor=self.request.user, cycle=cycle, **data)

    def get_success_url(self, observation):
        return reverse("observations:capture", args=[observation.pk])


def observation_detail(request, observation):
    observation = selectors.get_observation(request.user, observation)
    return _show_detail(request, observation)


def _show_detail(request, observation, response_form=None):
    log_observation(request.user, observation, AccessEvent.Action.READ)
    services.observation_mark_responses_seen(actor=request.user, observation=observation)
    responses = list(observation.responses.all())
    my_response = next((r for r in responses if r.teacher_id == request.user.id), None)
    context = {
        "observation": observation,
        "cycle": observation.cycle,
        "notes": observation.notes.all(),
        "tallies": observation.tallies.all(),
        "responses": responses,
        "can_capture": request.user.has_perm("observations.capture", observation),
        "can_respond": request.user.has_perm("observations.respond", observation),
        "can_feed_goal": request.user.has_perm("observations.feed_goal", observation)
        and observation.cycle.is_open,
        "response_form": response_form
        or ResponseForm(initial={"text": my_response.text if my_response else ""}),
        "my_response": my_response,
        "goal_form": FeedGoalForm(),
    }
    return render(request, "observations/observation_detail.html", context)


def observation_capture(request, observation):
    """The coach's page in the classroom: notes and tallies, saved as they are entered."""
    observation = selectors.get_observation(request.user, observation)
    require_perm(request, "observations.capture", observation)
    log_observation(request.user, observation, AccessEvent.Action.READ)
    context = {
        "observation": observation,
        "notes": observation.notes.all(),
        "tallies": observation.tallies.all(),
        "note_form": NoteForm(initial={"client_id": uuid.uuid4()}),
        # Its own ids: both forms have a client_id field, and ids must be unique on a page.
        "tally_form": TallyForm(initial={"client_id": uuid.uuid4()}, auto_id="tally_%s"),
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


def _capture_answer(request, observation, form, action):
    """Run a capture action; answer fetch() with JSON and a plain form with a redirect."""
    back = reverse("observations:capture", args=[observation.pk])
    if not form.is_valid():
        error = " ".join(e for errors in form.errors.values() for e in errors)
        if expects_json(request):
            return JsonResponse({"error": error}, status=400)
        messages.error(request, error)
        return redirect(back)
    try:
        result = action(form.cleaned_data)
    except ValidationError as error:
        if expects_json(request):
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    if expects_json(request):
        return JsonResponse(result)
    return redirect(back)


@require_POST
def note_add(request, observation):
    observation = selectors.get_observation(request.user, observation)
    require_perm(request, "observations.capture", observation)

    def add(data):
        note, created = services.observation_add_note(
            actor=request.user,
            observation=observation,
            client_id=data["client_id"],
            text=data["text"],
            noted_at=data["noted_at"],
        )
        return {"client_id": str(note.client_id), "created": created}

    return _capture_answer(request, observation, NoteForm(request.POST), add)


@require_POST
def tally_set(request, observation):
    observation = selectors.get_observation(request.user, observation)
    require_perm(request, "observations.capture", observation)

    def set_count(data):
        tally = services.observation_set_tally(actor=request.user, observation=observation, **data)
        return {"client_id": str(tally.client_id), "count": tally.count}

    return _capture_answer(request, observation, TallyForm(request.POST), set_count)


class FeedbackView(ServiceFormView):
    template_name = "observations/feedback_form.html"
    form_class = FeedbackForm
    success_message = "Feedback saved."

    def setup_objects(self, request, observation):
        self.observation = selectors.get_observation(request.user, observation)
        require_perm(request, "observations.capture", self.observation)
        if request.method == "GET":
            log_observation(request.user, self.observation, AccessEvent.Action.READ)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.observation}

    def get_context_data(self, **kwargs):
        # Feedback is written beside the evidence it rests on.
        return super().get_context_data(
            observation=self.observation,
            tallies=self.observation.tallies.all(),
            notes=self.observation.notes.all(),
            **kwargs,
        )

    def perform(self, data):
        self.observation.refresh_from_db()
        return services.observation_write_feedback(
            actor=self.request.user, observation=self.observation, **data
        )

    def get_success_url(self, observation):
        return reverse("observations:detail", args=[observation.pk])


@require_http_methods(["GET", "POST"])
def observation_share(request, observation):
    """Show the coach exactly what the teacher will see; sharing is the confirmation."""
    observation = selectors.get_observation(request.user, observation)
    require_perm(request, "observations.capture", observation)
    if request.method == "GET":
        if observation.is_shared:
            return redirect("observations:detail", observation.pk)
        log_observation(request.user, observation, AccessEvent.Action.READ)
        context = {
            "observation": observation,
            "cycle": observation.cycle,
            "notes": observation.notes.all(),
            "tallies": observation.tallies.all(),
            "responses": [],
            "preview": True,
        }
        return render(request, "observations/observation_share.html", context)
    return run_action(
        request,
        lambda: services.observation_share(actor=request.user, observation=observation),
        success_message="Shared. The teacher can now read it, and answer.",
        redirect_to=reverse("observations:detail", args=[observation.pk]),
    )


def observation_delete(request, observation):
    """A draft the coach no longer wants: asked once, then gone."""
    observation = selectors.get_observation(request.user, observation)
    require_perm(request, "observations.capture", observation)
    if observation.is_shared:
        raise Http404
    if request.method == "GET":
        return render(request, "observations/observation_delete.html", {"observation": observation})
    return run_action(
        request,
        lambda: services.observation_delete_draft(actor=request.user, observation=observation),
        success_message=f"Draft of {observation.teacher_names}’s lesson deleted.",
        redirect_to=reverse("cycles:detail", args=[observation.cycle_id]),
    )


@require_POST
def observation_respond(request, observation):
    observation = selectors.get_observation(request.user, observation)
    require_perm(request, "observations.respond", observation)
    form = ResponseForm(request.POST)
    if not form.is_valid():
        # Shown again with what the teacher typed and why it was refused; the answer saved
        # before stays as it was.
        return _show_detail(request, observation, response_form=form)
    text = form.cleaned_data["text"]
    return run_action(
        request,
        lambda: services.observation_respond(
            actor=request.user, observation=observation, text=text
        ),
        success_message="Thank you. Your coach will see your answer.",
        redirect_to=reverse("observations:detail", args=[observation.pk]),
    )


@require_POST
def feed_goal(request, observation):
    observation = selectors.get_observation(request.user, observation)
    require_perm(request, "observations.feed_goal", observation)
    form = FeedGoalForm(request.POST)
    if not form.is_valid():
        errors = [f"{form[name].label}: {' '.join(e)}" for name, e in form.errors.items()]
        messages.error(request, " ".join(errors))
        return redirect("observations:detail", observation.pk)
    return run_action(
        request,
        lambda: services.observation_feed_goal(
            actor=request.user, observation=observation, **form.cleaned_data
        ),
        success_message="Recorded as progress toward the goal.",
        redirect_to=reverse("cycles:detail", args=[observation.cycle_id]),
    )


def my_feedback(request):
    """The teacher's "My feedback": every shared observation of their lessons, with its state."""
    require_role(request, Role.TEACHER)
    page = Paginator(selectors.shared_with(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "observations/my_feedback.html", {"page": page})


def access_log(request):
    """ "Who has read my records": every read and change of the teacher's confidential records."""
    require_role(request, Role.TEACHER)
    include_own = request.GET.get("mine") == "1"
    events = selectors.access_events_of(request.user, include_own=include_own)
    page = Paginator(events, 30).get_page(request.GET.get("page"))
    links = selectors.record_links(request.user, page.object_list)
    for event in page.object_list:
        event.link = links.get(event.record_id)
    return render(
        request,
        "observations/access_log.html",
        {"page": page, "include_own": include_own, "now": timezone.now()},
    )
