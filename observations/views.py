import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.middleware import expects_json
from accounts.mixins import (
    ServiceFormView,
    require_perm,
    require_role,
    run_action,
    save_once,
    with_submission_key,
)
from accounts.models import Membership
from cycles.models import Cycle
from cycles.selectors import cycles_visible_to, get_cycle

from . import selectors, services
from .access import log_observation
from .forms import (
    FeedbackForm,
    FeedGoalForm,
    LookForAddForm,
    LookForChoiceForm,
    LookForRows,
    LookForTemplateForm,
    NoteForm,
    ObservationStartForm,
    ResponseForm,
    SeatLayoutForm,
    SeatTapForm,
    SeatUntapForm,
    TallyForm,
    TemplateImportForm,
)
from .library import (
    look_for_template_import,
    look_for_template_save,
    template_as_json,
    template_rows,
)
from .models import AccessEvent, LookForTemplate, SeatTap

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
        **selectors.evidence_of(observation),
        "responses": responses,
        "can_capture": request.user.has_perm("observations.capture", observation),
        "can_respond": request.user.has_perm("observations.respond", observation),
        "can_feed_goal": request.user.has_perm("observations.feed_goal", observation)
        and observation.cycle.is_open,
        "response_form": response_form
        or ResponseForm(initial={"text": my_response.text if my_response else ""}),
        "my_response": my_response,
        "goal_form": with_submission_key(FeedGoalForm()),
    }
    return render(request, "observations/observation_detail.html", context)


def observation_capture(request, observation):
    """The coach's page in the classroom: notes and tallies, saved as they are entered."""
    observation = selectors.get_observation(request.user, observation)
    require_perm(request, "observations.capture", observation)
    log_observation(request.user, observation, AccessEvent.Action.READ)
    evidence = selectors.evidence_of(observation)
    context = {
        "observation": observation,
        **evidence,
        "tallies": observation.tallies.all(),
        "note_form": NoteForm(initial={"client_id": uuid.uuid4()}),
        # Its own ids: both forms have a client_id field, and ids must be unique on a page.
        "tally_form": TallyForm(initial={"client_id": uuid.uuid4()}, auto_id="tally_%s"),
        "look_for_form": LookForAddForm(auto_id="look_for_%s"),
        "tap_kinds": SeatTap.Kind.choices,
        # The taps this page already counts, so that capture.js adds to the heat only those
        # it confirmed after a copy of the page was kept for offline use.
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
            look_for=data["look_for"],
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
        # Feedback is written beside the evidence it rests on, grouped by look-for.
        return super().get_context_data(
            observation=self.observation,
            cycle=self.observation.cycle,
            can_feed_goal=self.observation.cycle.is_open,
            **selectors.evidence_of(self.observation),
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
            **selectors.evidence_of(observation),
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
    form = with_submission_key(FeedGoalForm(request.POST))
    back = reverse("observations:detail", args=[observation.pk])
    if not form.is_valid():
        errors = [f"{form[name].label}: {' '.join(e)}" for name, e in form.errors.items()]
        messages.error(request, " ".join(errors))
        return redirect(back)

    def record(data):
        services.observation_feed_goal(actor=request.user, observation=observation, **data)
        return reverse("cycles:detail", args=[observation.cycle_id])

    # A figure tapped twice is one progress point, not two.
    try:
        response, saved = save_once(request, form, record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    if saved:
        messages.success(request, "Recorded as progress toward the goal.")
    return response


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


# Look-fors and seat maps of a lesson.


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
        success_message="Look-for added.",
        redirect_to=back,
    )


@require_http_methods(["GET", "POST"])
def seats(request, observation):
    """Lay out the class's seats, or use a layout made for an earlier lesson."""
    observation = selectors.get_observation(request.user, observation)
    require_perm(request, "observations.capture", observation)
    layouts = list(selectors.seat_layouts_of(observation))
    current = getattr(observation, "seat_map", None)
    chosen = selectors.seat_layout_likely(observation, layouts, current)
    if request.method == "GET" and "layout" in request.GET:
        chosen = next((x for x in layouts if str(x.pk) == request.GET["layout"]), None)
    initial = (
        {
            "layout": chosen.pk,
            "name": chosen.name,
            "rows": chosen.rows,
            "columns": chosen.columns,
            "gaps": chosen.gaps,
        }
        if chosen
        else {}
    )
    form = SeatLayoutForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        layout = next((x for x in layouts if x.pk == data["layout"]), None)
        try:
            layout = services.seat_layout_save(
                actor=request.user,
                partnership=observation.cycle.partnership,
                layout=layout,
                name=data["name"],
                rows=data["rows"],
                columns=data["columns"],
                gaps=data["gaps"],
            )
            if "preview" not in request.POST:
                services.observation_use_seats(
                    actor=request.user, observation=observation, layout=layout
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if "preview" in request.POST:
                messages.success(request, "Grid updated: tap the places with no seat.")
                return redirect(
                    reverse("observations:seats", args=[observation.pk]) + f"?layout={layout.pk}"
                )
            messages.success(
                request, f"Seats of {layout.name} ready: tap a seat when a student there speaks."
            )
            return redirect(reverse("observations:capture", args=[observation.pk]) + "#seat-map")
    rows = form["rows"].value() or 5
    columns = form["columns"].value() or 6
    try:
        rows, columns = min(int(rows), 12), min(int(columns), 12)
    except (TypeError, ValueError):
        rows, columns = 5, 6
    gaps = set(form["gaps"].value() or [])
    grid = [
        [{"key": f"{r}-{c}", "gap": f"{r}-{c}" in gaps} for c in range(columns)]
        for r in range(rows)
    ]
    context = {
        "observation": observation,
        "form": form,
        "layouts": layouts,
        "chosen": chosen,
        "grid": grid,
        "tapped": observation.seat_taps.exists(),
    }
    return render(request, "observations/seat_layout_form.html", context)


@require_POST
def seat_tap(request, observation):
    observation = selectors.get_observation(request.user, observation)
    require_perm(request, "observations.capture", observation)

    def tap(data):
        tap, created = services.observation_tap_seat(
            actor=request.user, observation=observation, **data
        )
        return {"client_id": str(tap.client_id), "created": created}

    return _capture_answer(request, observation, SeatTapForm(request.POST), tap)


@require_POST
def seat_untap(request, observation):
    observation = selectors.get_observation(request.user, observation)
    require_perm(request, "observations.capture", observation)

    def untap(data):
        removed = services.observation_untap_seat(
            actor=request.user, observation=observation, **data
        )
        return {"client_id": str(data["client_id"]), "removed": removed}

    return _capture_answer(request, observation, SeatUntapForm(request.POST), untap)


class LookForChoiceView(ServiceFormView):
    """The teacher picks what their coach looks for in the next lessons; the coach sees the
    choice and may add to it, visibly."""

    template_name = "observations/look_for_choose.html"
    form_class = LookForChoiceForm
    success_message = "Look-fors saved for the next observation."

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
        groups, open_groups = {}, set()
        kwargs.setdefault("form", self.get_form())
        picked = set(kwargs["form"]["picks"].value() or [])
        for key, option in self.options.items():
            template = option.get("template")
            group = template.name if template else option["section"]
            groups.setdefault(group, []).append((key, option, others.get(key)))
            # The goal's and the strategy's own are few and first to consider; a library
            # template opens when something in it is ticked, so a long library stays short.
            if not template or key in picked or key in others:
                open_groups.add(group)
        return super().get_context_data(
            cycle=self.cycle,
            mine=mine,
            waiting=self.waiting,
            groups=groups,
            open_groups=open_groups if len(groups) > 2 else set(groups),
            own_waiting=[c for c in self.waiting if c.origin not in self.options],
            is_coach=self.cycle.partnership.coach_id == self.request.user.id,
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

    def get_success_url(self, cycle):
        return reverse("cycles:detail", args=[cycle.pk]) + "#look-fors"


# The look-for library: everyone in the district reads it; administrators keep it.


def _library_scope(request):
    """Where the active role adds templates: (district, school) or None to read only."""
    membership = request.membership
    if membership and membership.role == Role.SCHOOL_ADMIN:
        return membership.school.district, membership.school
    if membership and membership.role == Role.DISTRICT_ADMIN:
        return membership.district, None
    return None


def look_for_library(request):
    if not request.user.is_authenticated or request.membership is None:
        raise Http404
    templates = selectors.templates_readable_by(request.user).prefetch_related("look_fors")
    managed = set(selectors.templates_managed_by(request.membership).values_list("pk", flat=True))
    page = Paginator(templates, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "observations/look_for_library.html",
        {"page": page, "managed": managed, "can_add": _library_scope(request) is not None},
    )


def _template_for(request, template):
    return get_object_or_404(
        selectors.templates_readable_by(request.user).prefetch_related("look_fors"), pk=template
    )


def look_for_template(request, template):
    template = _template_for(request, template)
    can_edit = selectors.templates_managed_by(request.membership).filter(pk=template.pk).exists()
    return render(
        request,
        "observations/look_for_template.html",
        {"template": template, "can_edit": can_edit},
    )


def look_for_template_export(request, template):
    template = _template_for(request, template)
    response = JsonResponse(template_as_json(template), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="look-fors-{template.pk}.json"'
    return response


@require_http_methods(["GET", "POST"])
def look_for_template_edit(request, template=None):
    scope = _library_scope(request)
    if scope is None:
        raise Http404
    if template is None:
        instance = LookForTemplate(district=scope[0], school=scope[1])
        rows = []
    else:
        instance = get_object_or_404(
            selectors.templates_managed_by(request.membership).prefetch_related("look_fors"),
            pk=template,
        )
        rows = template_rows(instance)
    form = LookForTemplateForm(
        request.POST or None, initial={"name": instance.name, "description": instance.description}
    )
    formset = LookForRows(request.POST or None, initial=rows, prefix="look_fors")
    errors = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        kept = [
            row
            for row in formset.cleaned_data
            if row and not row.get("DELETE") and row.get("description")
        ]
        try:
            instance = look_for_template_save(
                actor=request.user, template=instance, rows=kept, **form.cleaned_data
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"“{instance.name}” saved (version {instance.version}).")
            return redirect("observations:look_for_template", instance.pk)
    return render(
        request,
        "observations/look_for_template_form.html",
        {"template": instance, "form": form, "formset": formset, "errors": errors},
    )


@require_http_methods(["GET", "POST"])
def look_for_template_import_view(request):
    scope = _library_scope(request)
    if scope is None:
        raise Http404
    form = TemplateImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            template = look_for_template_import(
                actor=request.user,
                district=scope[0],
                school=scope[1],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"“{template.name}” added to the library.")
            return redirect("observations:look_for_template", template.pk)
    return render(request, "observations/look_for_import.html", {"form": form, "errors": errors})
