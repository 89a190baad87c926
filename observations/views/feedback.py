"""An observation's feedback: read beside its evidence, written and shared by the coach,
answered by the teacher, and fed to the cycle's goal as progress."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.locking import reread
from core.views import (
    ServiceFormView,
    require_perm,
    run_action,
    save_once,
    with_submission_key,
)
from cycles.charts import chart_change
from cycles.models import ProgressPoint

from .. import rules, selectors, services
from ..access import log_observation
from ..forms import FeedbackForm, FeedGoalForm, ResponseForm
from ..models import AccessEvent


def observation_detail(request, observation):
    observation = selectors.get_observation(request.user, observation)
    return _show_detail(request, observation)


def _show_detail(request, observation, response_form=None):
    log_observation(request.user, observation, AccessEvent.Action.READ)
    services.observation_mark_responses_seen(actor=request.user, observation=observation)
    responses = selectors.answers_readable_by(request.user, observation)
    my_response = next((r for r in responses if r.teacher_id == request.user.id), None)
    context = {
        "observation": observation,
        "cycle": observation.cycle,
        **selectors.evidence_of(observation),
        "responses": responses,
        "can": rules.observation_permissions(request.user, observation),
        "response_form": response_form
        or ResponseForm(initial={"text": my_response.text if my_response else ""}),
        "my_response": my_response,
        "goal_form": with_submission_key(
            FeedGoalForm(goal=getattr(observation.cycle, "goal", None))
        ),
    }
    return render(request, "observations/observation_detail.html", context)


class FeedbackView(ServiceFormView):
    template_name = "observations/feedback_form.html"
    form_class = FeedbackForm
    success_message = gettext_lazy("Feedback saved.")

    def setup_objects(self, request, observation):
        self.observation = selectors.get_observation(request.user, observation)
        require_perm(request, "observations.capture", self.observation)

    def get(self, request, *args, **kwargs):
        # Feedback that could only be refused is not asked for: the lesson's page says why.
        refusal = rules.observation_change_refusal(self.observation)
        if refusal:
            messages.error(request, refusal)
            return redirect("observations:detail", self.observation.pk)
        log_observation(request.user, self.observation, AccessEvent.Action.READ)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.observation}

    def get_context_data(self, **kwargs):
        # Feedback is written beside the evidence it rests on, grouped by look-for.
        return super().get_context_data(
            observation=self.observation,
            cycle=self.observation.cycle,
            can=rules.observation_permissions(self.request.user, self.observation),
            # Notes and tallies are corrected beside the feedback they support.
            corrections=True,
            **selectors.evidence_of(self.observation),
            **kwargs,
        )

    def perform(self, data):
        reread(self.observation)
        return services.observation_write_feedback(
            actor=self.request.user, observation=self.observation, **data
        )

    def success_url_for(self, observation):
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
            **selectors.evidence_of(observation),
            "responses": [],
            "preview": True,
            # The preview is shown all the same; the Share button only when it would share.
            "share_refusal": rules.observation_share_refusal(observation),
            "feedback_refusal": rules.observation_change_refusal(observation),
        }
        return render(request, "observations/observation_share.html", context)
    return run_action(
        request,
        lambda: services.observation_share(actor=request.user, observation=observation),
        success_message=_("Shared. The teacher can now read it, and answer."),
        redirect_to=reverse("observations:detail", args=[observation.pk]),
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
    # "Mark as read" says only that the feedback was read: words typed beside it are not
    # sent, since the teacher did not choose to send them.
    marked_read = bool(request.POST.get("read"))
    text = "" if marked_read else form.cleaned_data["text"]
    return run_action(
        request,
        lambda: services.observation_respond(
            actor=request.user, observation=observation, text=text
        ),
        success_message=_("Marked as read. Your coach will see that you read it.")
        if marked_read or not text
        else _("Sent. Your coach will see your reply."),
        redirect_to=reverse("observations:detail", args=[observation.pk]),
    )


@require_POST
def feed_goal(request, observation):
    """A figure of the lesson onto the goal's chart: first the chart before and after, then,
    confirmed, the point. A slip seen on the chart is not added (Chloe's fell 61% to 15%)."""
    observation = selectors.get_observation(request.user, observation)
    require_perm(request, "observations.feed_goal", observation)
    form = with_submission_key(FeedGoalForm(request.POST))
    back = reverse("observations:detail", args=[observation.pk])
    if not form.is_valid():
        errors = [f"{form[name].label}: {' '.join(e)}" for name, e in form.errors.items()]
        messages.error(request, " ".join(errors))
        return redirect(back)
    refusal = rules.observation_feed_goal_refusal(observation, form.cleaned_data["unit"])
    if refusal is not None:
        messages.error(request, refusal)
        return redirect(back)
    if "confirmed" not in request.POST:
        return _confirm_feed_goal(request, observation, form, back)

    def record(data):
        services.observation_feed_goal(actor=request.user, observation=observation, **data)
        return reverse("cycles:detail", args=[observation.cycle_id])

    # A figure confirmed twice is one progress point, not two.
    try:
        response, saved = save_once(request, form, record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    if saved:
        messages.success(request, _("Recorded as progress toward the goal."))
    return response


def _confirm_feed_goal(request, observation, form, back):
    goal = observation.cycle.goal
    point = ProgressPoint(
        goal=goal,
        recorded_on=services.lesson_day(observation),
        value=form.cleaned_data["value"],
        note=form.cleaned_data["what"],
        created_at=timezone.now(),
    )
    before = list(goal.progress.all())
    context = {
        "observation": observation,
        "cycle": observation.cycle,
        "goal": goal,
        "point": point,
        "unit": form.cleaned_data["unit"],
        "form": form,
        "back": back,
        **chart_change(goal, before, [*before, point]),
    }
    return render(request, "observations/feed_goal_confirm.html", context)
