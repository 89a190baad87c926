import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import Membership
from coaching.rules import cycle_start_refusal
from coaching.selectors import get_partnership
from core.locking import reread
from core.views import ServiceFormView, require_perm, require_role, run_action

from . import rules, selectors, services
from .charts import progress_chart
from .forms import (
    CycleCloseForm,
    CycleStartForm,
    EvidenceForm,
    FocusAreaForm,
    GoalForm,
    ProgressForm,
    ReflectionForm,
    StrategyForm,
    SurveyForm,
)
from .models import FocusArea, Reflection, Strategy
from .prompts import PROMPTS_BY_PHASE
from .signals import private_reflections_accessed


def _log_private_reads(user, reflections):
    private = [r for r in reflections if r.visibility == Reflection.Visibility.PRIVATE]
    if private:
        private_reflections_accessed.send(
            sender=Reflection, actor=user, reflections=private, action="read"
        )


def _goal_of(cycle):
    return getattr(cycle, "goal", None)


def _progress_context(request, cycle, form=None):
    """What the progress card shows: chart, points and (for those who may) the add form."""
    goal = _goal_of(cycle)
    points = list(goal.progress.all()) if goal else []
    can = rules.cycle_permissions(request.user, cycle)
    return {
        "can": can,
        "cycle": cycle,
        "goal": goal,
        "points": points,
        "chart": progress_chart(goal, points) if goal and goal.chartable else None,
        "progress_form": (
            form or ProgressForm(initial={"recorded_on": timezone.localdate()}, goal=goal)
        )
        if can["add_progress"]
        else None,
    }


class CycleStartView(ServiceFormView):
    template_name = "cycles/cycle_start.html"
    form_class = CycleStartForm
    success_message = _("Cycle started, in the identify phase. Next: set its goal.")

    def setup_objects(self, request, partnership):
        self.partnership = get_partnership(request.user, partnership)
        require_perm(request, "cycles.start_cycle", self.partnership)

    def get(self, request, *args, **kwargs):
        # A form that could only be refused once filled is not offered: say why at once.
        refusal = cycle_start_refusal(self.partnership)
        if refusal:
            messages.info(request, refusal)
            return redirect("coaching:partnership_detail", self.partnership.pk)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "focus_areas": selectors.focus_areas_of(self.partnership.school.district_id),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(partnership=self.partnership, **kwargs)

    def perform(self, data):
        return services.cycle_start(actor=self.request.user, partnership=self.partnership, **data)

    def success_url_for(self, cycle):
        return reverse("cycles:goal", args=[cycle.pk])


def cycle_detail(request, cycle):
    cycle = selectors.get_cycle(request.user, cycle)
    partnership = cycle.partnership
    goal = _goal_of(cycle)
    reflections = list(selectors.reflections_on(request.user, cycle))
    _log_private_reads(request.user, reflections)
    context = {
        **_progress_context(request, cycle),
        "partnership": partnership,
        "phase_changes": cycle.phase_changes.all(),
        "evidence": list(goal.evidence.all()) if goal else [],
        "meetings": selectors.meetings_in_cycle(cycle),
        "next_steps": selectors.open_next_steps_of(partnership),
        "reflections": reflections,
        "today": timezone.localdate(),
        # Asked once the cycle has closed, of its teachers alone; never shown to the coach.
        "survey_offered": not cycle.is_open
        and rules.survey_refusal(cycle, teacher=request.user) is None,
    }
    return render(request, "cycles/cycle_detail.html", context)


@require_POST
def cycle_advance(request, cycle):
    cycle = selectors.get_cycle(request.user, cycle)
    require_perm(request, "cycles.steer_cycle", cycle)
    return run_action(
        request,
        lambda: services.cycle_advance_phase(
            actor=request.user, cycle=cycle, expected_phase=request.POST.get("phase", "")
        ),
        success_message=gettext("On to the next phase."),
        redirect_to=reverse("cycles:detail", args=[cycle.pk]),
        partial="cycles/_phase_card.html",
        context={
            "cycle": cycle,
            "can": rules.cycle_permissions(request.user, cycle),
            "phase_changes": cycle.phase_changes.all(),
        },
    )


class CycleCloseView(ServiceFormView):
    template_name = "cycles/cycle_close.html"
    form_class = CycleCloseForm
    success_message = _("Cycle closed. Its outcome is kept in the teacher's portfolio.")

    def setup_objects(self, request, cycle):
        self.cycle = selectors.get_cycle(request.user, cycle)
        require_perm(request, "cycles.steer_cycle", self.cycle)

    def get_context_data(self, **kwargs):
        return super().get_context_data(cycle=self.cycle, **kwargs)

    def perform(self, data):
        return services.cycle_close(actor=self.request.user, cycle=self.cycle, **data)

    def success_url_for(self, cycle):
        return reverse("cycles:detail", args=[cycle.pk])


class GoalView(ServiceFormView):
    """Coach or teacher proposes the goal, or a change to it, for the other to accept."""

    template_name = "cycles/goal_form.html"
    form_class = GoalForm

    def setup_objects(self, request, cycle):
        self.cycle = selectors.get_cycle(request.user, cycle)
        require_perm(request, "cycles.propose_goal", self.cycle)

    def get(self, request, *args, **kwargs):
        # A form that could only be refused once filled is not offered: say why at once.
        refusal = rules.goal_propose_refusal(self.cycle)
        if refusal:
            messages.info(request, refusal)
            return redirect("cycles:detail", self.cycle.pk)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        district = self.cycle.partnership.school.district_id
        return {
            **super().get_form_kwargs(),
            "instance": _goal_of(self.cycle),
            "strategies": Strategy.objects.filter(district=district),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(cycle=self.cycle, goal=_goal_of(self.cycle), **kwargs)

    def perform(self, data):
        return services.goal_propose(actor=self.request.user, cycle=self.cycle, **data)

    def success_url_for(self, goal):
        other = self.cycle.partnership.label_for(self.request.user)
        messages.success(
            self.request,
            gettext("Goal proposed. %(other)s can accept it or change it.") % {"other": other},
        )
        return reverse("cycles:detail", args=[self.cycle.pk])


class SurveyView(ServiceFormView):
    """A teacher says, once and without their name, how the coaching of a closed cycle went."""

    template_name = "cycles/survey.html"
    form_class = SurveyForm
    success_message = _("Thank you. Your answer is counted with other teachers' answers.")

    def setup_objects(self, request, cycle):
        self.cycle = selectors.get_cycle(request.user, cycle)
        self.refusal = rules.survey_refusal(self.cycle, teacher=request.user)
        if not rules.is_cycle_teacher(request.user, self.cycle):
            raise Http404

    def get(self, request, *args, **kwargs):
        if self.refusal:
            messages.info(request, self.refusal)
            return redirect("cycles:detail", self.cycle.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cycle=self.cycle, min_group=settings.REPORT_MIN_GROUP, **kwargs
        )

    def perform(self, data):
        return services.survey_answer(actor=self.request.user, cycle=self.cycle, **data)

    def success_url_for(self, _):
        return reverse("homes:route")


@require_POST
def survey_decline(request, cycle):
    cycle = selectors.get_cycle(request.user, cycle)
    if not rules.is_cycle_teacher(request.user, cycle):
        raise Http404
    return run_action(
        request,
        lambda: services.survey_decline(actor=request.user, cycle=cycle),
        success_message=gettext("No answer, then: you will not be asked about this cycle again."),
        redirect_to=reverse("homes:route"),
    )


@require_POST
def goal_accept(request, cycle):
    """The other person accepts the goal as they read it."""
    cycle = selectors.get_cycle(request.user, cycle)
    require_perm(request, "cycles.propose_goal", cycle)
    goal = _goal_of(cycle)
    if goal is None:
        raise Http404
    try:
        seen_at = datetime.datetime.fromisoformat(request.POST.get("seen", ""))
    except ValueError:
        # Not a moment this page wrote: accepted unread it is not, so the person is shown
        # the goal again.
        seen_at = None
    return run_action(
        request,
        lambda: services.goal_accept(
            actor=request.user,
            goal=goal,
            seen_at=seen_at,
        ),
        success_message=gettext("Goal agreed. It is now the goal you both work towards."),
        redirect_to=reverse("cycles:detail", args=[cycle.pk]),
    )


class EvidenceView(ServiceFormView):
    template_name = "cycles/evidence_form.html"
    form_class = EvidenceForm
    success_message = _("Student evidence recorded.")

    def setup_objects(self, request, cycle):
        self.cycle = selectors.get_cycle(request.user, cycle)
        require_perm(request, "cycles.steer_cycle", self.cycle)
        self.goal = _goal_of(self.cycle)

    def get(self, request, *args, **kwargs):
        if self.goal is None:
            messages.info(
                request, gettext("Set the cycle's goal first: evidence is measured against it.")
            )
            return redirect("cycles:goal", self.cycle.pk)
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {"taken_on": timezone.localdate(), "kind": self.request.GET.get("kind", "pre")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cycle=self.cycle, **kwargs)

    def perform(self, data):
        if self.goal is None:
            raise ValidationError(
                gettext("Set the cycle's goal first: evidence is measured against it.")
            )
        return services.evidence_record(actor=self.request.user, goal=self.goal, **data)

    def success_url_for(self, snapshot):
        return reverse("cycles:detail", args=[self.cycle.pk])


def progress_add(request, cycle):
    """Add a progress point; htmx swaps the progress card, a plain form gets a page."""
    cycle = selectors.get_cycle(request.user, cycle)
    require_perm(request, "cycles.add_progress", cycle)
    goal = _goal_of(cycle)
    form = ProgressForm(
        request.POST or None, initial={"recorded_on": timezone.localdate()}, goal=goal
    )
    if request.method == "POST" and form.is_valid():
        try:
            if goal is None:
                raise ValidationError(
                    gettext("This cycle has no goal yet to record progress against.")
                )
            services.progress_add(actor=request.user, goal=goal, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.htmx:
                return render(
                    request, "cycles/_progress_card.html", _progress_context(request, cycle)
                )
            messages.success(request, gettext("Progress recorded."))
            return redirect("cycles:detail", cycle.pk)
    if request.htmx:
        return render(
            request, "cycles/_progress_card.html", _progress_context(request, cycle, form)
        )
    return render(request, "cycles/progress_form.html", {"cycle": cycle, "form": form})


class ReflectionWriteView(ServiceFormView):
    template_name = "cycles/reflection_form.html"
    form_class = ReflectionForm
    success_message = _("Reflection saved.")

    def setup_objects(self, request, cycle):
        self.cycle = selectors.get_cycle(request.user, cycle)
        require_perm(request, "cycles.write_reflection", self.cycle)

    def get_initial(self):
        return {"prompt": PROMPTS_BY_PHASE[self.cycle.phase]}

    def get_context_data(self, **kwargs):
        prompt = self.get_form().initial.get("prompt") or PROMPTS_BY_PHASE[self.cycle.phase]
        return super().get_context_data(cycle=self.cycle, prompt=prompt, **kwargs)

    def perform(self, data):
        return services.reflection_write(actor=self.request.user, cycle=self.cycle, **data)

    def success_url_for(self, reflection):
        return reverse("cycles:detail", args=[self.cycle.pk])


class ReflectionUpdateView(ServiceFormView):
    template_name = "cycles/reflection_form.html"
    form_class = ReflectionForm
    success_message = _("Reflection saved.")

    def setup_objects(self, request, reflection):
        self.reflection = selectors.get_reflection(request.user, reflection)
        require_perm(request, "cycles.change_reflection", self.reflection)
        if request.method == "GET":
            _log_private_reads(request.user, [self.reflection])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.reflection}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cycle=self.reflection.cycle,
            prompt=self.reflection.prompt,
            reflection=self.reflection,
            **kwargs,
        )

    def perform(self, data):
        reread(self.reflection)
        return services.reflection_update(
            actor=self.request.user, reflection=self.reflection, **data
        )

    def success_url_for(self, reflection):
        return reverse("cycles:detail", args=[reflection.cycle_id])


def reflection_delete(request, reflection):
    """The author's private reflection, deleted for good once confirmed."""
    reflection = selectors.get_reflection(request.user, reflection)
    require_perm(request, "cycles.change_reflection", reflection)
    if request.method == "GET":
        return render(request, "cycles/reflection_delete.html", {"reflection": reflection})
    return run_action(
        request,
        lambda: services.reflection_delete(actor=request.user, reflection=reflection),
        success_message=gettext("Reflection deleted."),
        redirect_to=reverse("cycles:detail", args=[reflection.cycle_id]),
    )


def strategy_list(request):
    strategies = selectors.strategies_for(request.user).select_related("focus_area")
    page = Paginator(strategies, 20).get_page(request.GET.get("page"))
    return render(request, "cycles/strategy_list.html", {"page": page})


def strategy_detail(request, strategy):
    strategy = selectors.get_strategy(request.user, strategy)
    return render(request, "cycles/strategy_detail.html", {"strategy": strategy})


# The district's library: focus areas and strategies, kept by district administrators.


def _district_of(request):
    membership = require_role(request, Membership.Role.DISTRICT_ADMIN)
    return membership.district


def library(request):
    district = _district_of(request)
    context = {
        "district": district,
        "focus_areas": selectors.focus_areas_of(district),
        "strategies": Strategy.objects.filter(district=district).select_related("focus_area"),
        "form": FocusAreaForm(),
    }
    return render(request, "cycles/library.html", context)


def _save_in_library(request, form, save, words):
    """`words`: what the page calls the kind of item (`noun`), a new one (`new`), and what
    it says once one is saved (`saved`), each a whole phrase for the translators."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, words["saved"])
            return redirect("cycles:library")
    return render(request, "cycles/library_form.html", {"form": form, **words})


def focus_area_edit(request, focus_area=None):
    district = _district_of(request)
    instance = (
        get_object_or_404(FocusArea, district=district, pk=focus_area)
        if focus_area
        else FocusArea(district=district)
    )
    form = FocusAreaForm(request.POST or None, instance=instance)
    return _save_in_library(
        request,
        form,
        lambda area: services.focus_area_save(actor=request.user, focus_area=area),
        {
            "noun": gettext("Focus area"),
            "new": gettext("New focus area"),
            "saved": gettext("Focus area saved."),
        },
    )


def strategy_edit(request, strategy=None):
    district = _district_of(request)
    instance = (
        get_object_or_404(Strategy, district=district, pk=strategy)
        if strategy
        else Strategy(district=district)
    )
    form = StrategyForm(
        request.POST or None, instance=instance, focus_areas=selectors.focus_areas_of(district)
    )
    return _save_in_library(
        request,
        form,
        lambda item: services.strategy_save(actor=request.user, strategy=item),
        {
            "noun": gettext("Strategy"),
            "new": gettext("New strategy"),
            "saved": gettext("Strategy saved."),
        },
    )
