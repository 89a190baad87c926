"""Look-fors of a lesson: chosen by the teacher for the cycle's next lessons, or added by
the coach during one, for the teacher to see."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.views import ServiceFormView, require_perm, run_action
from cycles.selectors import get_cycle

from .. import rules, selectors, services
from ..forms import LookForAddForm, LookForChoiceForm


@require_POST
def look_for_add(request, observation):
    """The coach adds a look-for in the lesson; the teacher will see the coach added it."""
    observation = selectors.get_observation(request.user, observation)
    require_perm(request, "observations.capture", observation)
    form = LookForAddForm(request.POST)
    back = reverse("observations:capture", args=[observation.pk])
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    return run_action(
        request,
        lambda: services.observation_add_look_for(
            actor=request.user, observation=observation, **form.cleaned_data
        ),
        success_message=_("Look-for added."),
        redirect_to=back,
    )


class LookForChoiceView(ServiceFormView):
    """The teacher picks what their coach looks for in the next lessons; the coach sees the
    choice and may add to it, visibly."""

    template_name = "observations/look_for_choose.html"
    form_class = LookForChoiceForm
    success_message = gettext_lazy("Look-fors saved for the next observation.")

    def setup_objects(self, request, cycle):
        self.cycle = get_cycle(request.user, cycle)
        require_perm(request, "observations.choose_look_fors", self.cycle)
        self.options = selectors.look_for_options(self.cycle)
        self.waiting = list(selectors.look_fors_waiting(self.cycle))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "options": self.options, "waiting": self.waiting}

    def get_initial(self):
        return {"picks": [c.origin for c in self.waiting]}

    def get_context_data(self, **kwargs):
        mine = {c.origin for c in self.waiting if c.chosen_by_id == self.request.user.id}
        others = {c.origin: c for c in self.waiting if c.chosen_by_id != self.request.user.id}
        kwargs.setdefault("form", self.get_form())
        picked = set(kwargs["form"]["picks"].value() or [])
        groups, open_groups = selectors.look_for_groups(self.options, others, picked)
        return super().get_context_data(
            cycle=self.cycle,
            mine=mine,
            waiting=self.waiting,
            groups=groups,
            open_groups=open_groups,
            own_waiting=[c for c in self.waiting if c.origin not in self.options],
            can=rules.look_for_choice_permissions(self.request.user, self.cycle),
            **kwargs,
        )

    def perform(self, data):
        return services.look_fors_choose(
            actor=self.request.user,
            cycle=self.cycle,
            options=self.options,
            picks=data["picks"],
            own=data["own"],
        )

    def success_url_for(self, cycle):
        return reverse("cycles:detail", args=[cycle.pk]) + "#look-fors"
