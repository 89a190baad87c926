from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Membership
from coaching.prompts import PROMPTS_BY_KIND
from core.views import ServiceFormView, require_perm, require_role, run_action
from cycles.selectors import voice_of

from . import selectors, services
from .forms import (
    AnswerForm,
    CompetencyForm,
    GoalForm,
    MeetingForm,
    OfferForm,
    ReflectionForm,
    StepForm,
)
from .models import Competency, GrowthCycle, LeadSupport
from .rules import growth_change_refusal

Role = Membership.Role


def _in_coach_time(coach) -> None:
    """Dates of a coach's growth are the coach's school's, whoever reads or writes them."""
    school = selectors.home_school(coach)
    if school is not None:
        timezone.activate(school.zone)


def _cycle_context(user, coach, *, shown=None, schools=None):
    """A coach's growth cycles and what is in them, as `user` (the coach, or their lead)
    reads them: `shown`, or the one under way, or the last. `schools`: a lead's, whose
    teachers' answers they read."""
    _in_coach_time(coach)
    cycles = list(selectors.growth_cycles_of(user, coach))
    current = next((c for c in cycles if c.is_open), None)
    shown = shown or current or (cycles[0] if cycles else None)
    return {
        "current": current,
        "shown": shown,
        "past": [c for c in cycles if c != shown and not c.is_open],
        "reflections": list(selectors.reflections_for(user, shown)) if shown else [],
        "meetings": list(selectors.meetings_for(user, shown)) if shown else [],
        "steps": list(shown.steps.all()) if shown else [],
        "voice": voice_of(coach, schools),
        "min_group": settings.REPORT_MIN_GROUP,
    }


def my_growth(request):
    require_role(request, Role.COACH)
    user = request.user
    context = {
        **_cycle_context(user, user),
        "lead": selectors.lead_of(user),
        "offers": selectors.offers_to(user),
    }
    return render(request, "growth/mine.html", context)


def lead_home(request):
    require_role(request, Role.LEAD_COACH)
    supports = list(selectors.supports_of(request.user))
    return render(
        request,
        "growth/lead_home.html",
        {
            "active": [s for s in supports if s.status == LeadSupport.Status.ACTIVE],
            "offered": [s for s in supports if s.status == LeadSupport.Status.OFFERED],
            "can_offer": selectors.coaches_to_offer(request.user).exists(),
        },
    )


def coach_for_lead(request, support):
    require_role(request, Role.LEAD_COACH)
    support = selectors.get_support(request.user, support)
    schools = selectors.lead_schools(request.user)
    growth = _cycle_context(request.user, support.coach, schools=schools)  # in coach's time
    context = {
        **growth,
        "support": support,
        "coach": support.coach,
        "figures": selectors.activity_figures(support.coach, timezone.localdate(), schools),
    }
    return render(request, "growth/coach.html", context)


def cycle_detail(request, growth_cycle):
    """An earlier growth cycle, whole, for the coach or (while it is theirs) their lead."""
    cycle = selectors.get_growth_cycle(request.user, growth_cycle)
    is_coach = cycle.coach_id == request.user.id
    schools = None if is_coach else selectors.lead_schools(request.user)
    context = {
        **_cycle_context(request.user, cycle.coach, shown=cycle, schools=schools),
        "is_coach": is_coach,
        "back": _page_of(request.user, cycle),
    }
    return render(request, "growth/cycle.html", context)


def _page_of(user, cycle: GrowthCycle) -> str:
    """Where the cycle is read from: the coach's own page, or their page for their lead."""
    if cycle.coach_id == user.id:
        return reverse("growth:mine")
    support = LeadSupport.objects.get(
        lead=user, coach=cycle.coach_id, status=LeadSupport.Status.ACTIVE
    )
    return reverse("growth:coach", args=[support.pk])


class GrowthFormView(ServiceFormView):
    """A form of a coach's growth cycle, on its own page, for the coach or their lead."""

    template_name = "growth/form.html"
    heading = ""
    perm = "growth.plan"
    submit_label = gettext_lazy("Save")

    def setup_objects(self, request, growth_cycle):
        self.cycle = selectors.get_growth_cycle(request.user, growth_cycle)
        require_perm(request, self.perm, self.cycle)
        _in_coach_time(self.cycle.coach)

    def refusal(self) -> str | None:
        return growth_change_refusal(self.cycle)

    def get(self, request, *args, **kwargs):
        # A form that could only be refused once filled is not offered: say why at once.
        refusal = self.refusal()
        if refusal:
            messages.info(request, refusal)
            return redirect(self.back_url())
        return super().get(request, *args, **kwargs)

    def back_url(self) -> str:
        return _page_of(self.request.user, self.cycle)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.heading, back=self.back_url(), submit_label=self.submit_label, **kwargs
        )

    def success_url_for(self, _):
        return self.back_url()


class GoalStartView(GrowthFormView):
    """The coach sets a goal for their practice; or their lead, with them, from their page."""

    form_class = GoalForm
    heading = gettext_lazy("A goal for the coach's own practice")
    submit_label = gettext_lazy("Start the growth cycle")
    success_message = gettext_lazy("Growth cycle started.")

    def setup_objects(self, request, support=None):
        if support is None:
            require_role(request, Role.COACH)
            self.coach, self.back = request.user, reverse("growth:mine")
        else:
            found = selectors.get_support(request.user, support)
            self.coach, self.back = found.coach, reverse("growth:coach", args=[found.pk])
        _in_coach_time(self.coach)

    def back_url(self) -> str:
        return self.back

    def refusal(self) -> str | None:
        return None  # no cycle yet: the service says if one is already under way

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "competencies": selectors.competencies_for(self.coach)}

    def perform(self, data):
        return services.growth_cycle_start(actor=self.request.user, coach=self.coach, **data)


class GoalChangeView(GrowthFormView):
    form_class = GoalForm
    heading = gettext_lazy("Change the goal")
    success_message = gettext_lazy("Goal changed.")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "competencies": selectors.competencies_for(self.cycle.coach),
            "initial": {"competency": self.cycle.competency, "goal": self.cycle.goal},
        }

    def perform(self, data):
        return services.growth_goal_change(actor=self.request.user, cycle=self.cycle, **data)


class ReflectionWriteView(GrowthFormView):
    form_class = ReflectionForm
    heading = gettext_lazy("Reflect on your coaching")
    perm = "growth.reflect"
    submit_label = gettext_lazy("Save the reflection")
    success_message = gettext_lazy("Reflection saved.")

    def perform(self, data):
        return services.growth_reflection_write(actor=self.request.user, cycle=self.cycle, **data)


class MeetingRecordView(GrowthFormView):
    form_class = MeetingForm
    heading = gettext_lazy("Record a conversation")
    submit_label = gettext_lazy("Record it")
    success_message = gettext_lazy("Conversation recorded.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "initial": {"held_on": timezone.localdate()}}

    def get_context_data(self, **kwargs):
        return super().get_context_data(prompts=PROMPTS_BY_KIND, **kwargs)

    def perform(self, data):
        return services.growth_meeting_record(actor=self.request.user, cycle=self.cycle, **data)


class StepAddView(GrowthFormView):
    form_class = StepForm
    heading = gettext_lazy("Add a next step")
    submit_label = gettext_lazy("Add it")
    success_message = gettext_lazy("Next step added.")

    def perform(self, data):
        return services.growth_step_add(actor=self.request.user, cycle=self.cycle, **data)


class AnswerView(GrowthFormView):
    """The lead answers a reflection the coach shared with them."""

    form_class = AnswerForm
    heading = gettext_lazy("Answer the reflection")
    perm = "growth.answer_reflection"
    submit_label = gettext_lazy("Send the answer")
    success_message = gettext_lazy("Answer saved. The coach reads it under their reflection.")

    def setup_objects(self, request, growth_reflection):
        self.reflection = selectors.get_reflection(request.user, growth_reflection)
        self.cycle = self.reflection.cycle
        require_perm(request, self.perm, self.reflection)
        _in_coach_time(self.cycle.coach)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "initial": {"answer": self.reflection.answer}}

    def get_context_data(self, **kwargs):
        return super().get_context_data(reflection=self.reflection, **kwargs)

    def perform(self, data):
        return services.growth_reflection_answer(
            actor=self.request.user, reflection=self.reflection, **data
        )


class OfferView(ServiceFormView):
    template_name = "growth/form.html"
    form_class = OfferForm
    success_message = gettext_lazy(
        "Offer sent. The coach sees it on their growth page and decides."
    )

    def setup_objects(self, request):
        require_role(request, Role.LEAD_COACH)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "coaches": selectors.coaches_to_offer(self.request.user),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Offer to support a coach"),
            back=reverse("growth:lead_home"),
            submit_label=_("Offer support"),
            **kwargs,
        )

    def perform(self, data):
        return services.support_offer(actor=self.request.user, **data)

    def success_url_for(self, _):
        return reverse("growth:lead_home")


@require_POST
def cycle_close(request, growth_cycle):
    cycle = selectors.get_growth_cycle(request.user, growth_cycle)
    require_perm(request, "growth.close_cycle", cycle)
    return run_action(
        request,
        lambda: services.growth_cycle_close(actor=request.user, cycle=cycle),
        success_message=_("Growth cycle closed. It stays here, with its reflections."),
        redirect_to=reverse("growth:mine"),
    )


@require_POST
def step_toggle(request, growth_step):
    found = selectors.get_growth_step(request.user, growth_step)
    require_perm(request, "growth.plan", found.cycle)
    done = request.POST.get("done") == "1"
    return run_action(
        request,
        lambda: services.growth_step_mark(actor=request.user, step=found, done=done),
        success_message=_("Marked done.") if done else _("Marked not done."),
        redirect_to=_page_of(request.user, found.cycle),
    )


@require_POST
def step_delete(request, growth_step):
    found = selectors.get_growth_step(request.user, growth_step)
    require_perm(request, "growth.plan", found.cycle)
    return run_action(
        request,
        lambda: services.growth_step_delete(actor=request.user, step=found),
        success_message=_("Next step deleted."),
        redirect_to=_page_of(request.user, found.cycle),
    )


@require_POST
def meeting_delete(request, growth_meeting):
    found = selectors.get_meeting(request.user, growth_meeting)
    return run_action(
        request,
        lambda: services.growth_meeting_delete(actor=request.user, meeting=found),
        success_message=_("Conversation deleted."),
        redirect_to=_page_of(request.user, found.cycle),
    )


@require_POST
def reflection_delete(request, growth_reflection):
    found = selectors.get_reflection(request.user, growth_reflection)
    require_perm(request, "growth.share_reflection", found)
    return run_action(
        request,
        lambda: services.growth_reflection_delete(actor=request.user, reflection=found),
        success_message=_("Reflection deleted."),
        redirect_to=reverse("growth:mine"),
    )


@require_POST
def reflection_share(request, growth_reflection):
    found = selectors.get_reflection(request.user, growth_reflection)
    require_perm(request, "growth.share_reflection", found)
    shared = request.POST.get("shared") == "1"
    return run_action(
        request,
        lambda: services.growth_reflection_share(
            actor=request.user, reflection=found, shared=shared
        ),
        success_message=_("Shared with your lead coach.")
        if shared
        else _("Your lead coach no longer sees this reflection."),
        redirect_to=reverse("growth:mine"),
    )


def _offer_answer(request, support, action, message):
    offer = selectors.get_offer(request.user, support)
    return run_action(
        request,
        lambda: action(actor=request.user, support=offer),
        success_message=message,
        redirect_to=reverse("growth:mine"),
    )


@require_POST
def offer_accept(request, support):
    return _offer_answer(
        request, support, services.support_accept, _("Your lead coach now supports you.")
    )


@require_POST
def offer_decline(request, support):
    return _offer_answer(request, support, services.support_decline, _("Offer declined."))


@require_POST
def support_end(request, support):
    """Either of them ends the support (or the lead withdraws an offer)."""
    found = selectors.get_support_of_party(request.user, support)
    as_lead = found.lead_id == request.user.id
    if found.status == LeadSupport.Status.OFFERED:
        message = _("Offer withdrawn.") if as_lead else _("Offer declined.")
    elif as_lead:
        message = _("Support ended: you no longer read this coach's growth records.")
    else:
        message = _("Support ended: your lead coach no longer reads your growth records.")
    return run_action(
        request,
        lambda: services.support_end(actor=request.user, support=found),
        success_message=message,
        redirect_to=reverse("growth:lead_home" if as_lead else "growth:mine"),
    )


def competencies(request):
    """The district's coaching competencies, which coaches choose their growth goals from."""
    district = require_role(request, Role.DISTRICT_ADMIN).district
    return render(
        request,
        "growth/competencies.html",
        {
            "district": district,
            "competencies": district.competencies.all(),
            "form": CompetencyForm(),
        },
    )


def competency_edit(request, competency=None):
    district = require_role(request, Role.DISTRICT_ADMIN).district
    instance = (
        get_object_or_404(Competency, district=district, pk=competency)
        if competency
        else Competency(district=district)
    )
    form = CompetencyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.competency_save(actor=request.user, competency=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Competency saved."))
            return redirect("growth:competencies")
    return render(request, "growth/competency_form.html", {"form": form})
