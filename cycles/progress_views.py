"""Correcting the goal's progress: a point edited or deleted by whoever added it, after a
confirmation that shows the chart before and after, so that a slip never reaches the
teacher's chart unseen."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from core.views import require_perm, run_action

from . import rules, selectors, services
from .charts import chart_change
from .forms import ProgressForm
from .models import ProgressPoint


def _change_context(point: ProgressPoint, after: list[ProgressPoint]) -> dict:
    """The chart as it stands and as it would be, each with its own ids on the page."""
    goal = point.goal
    return {
        "cycle": goal.cycle,
        "goal": goal,
        "point": point,
        **chart_change(goal, list(goal.progress.all()), after),
        "refusal": rules.progress_change_refusal(point),
    }


def _changeable(request, cycle, point) -> ProgressPoint:
    point = selectors.get_progress_point(request.user, cycle, point)
    require_perm(request, "cycles.change_progress", point)
    return point


def _checked(form: ProgressForm, goal) -> bool:
    """Whether the chart may be previewed with the form's point: the service's own checks,
    asked before the preview, so that a refused value is never drawn."""
    try:
        services.progress_check(goal, form.cleaned_data["recorded_on"], form.cleaned_data["value"])
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@require_http_methods(["GET", "POST"])
def progress_edit(request, cycle, point):
    """Correct a point: the form, then the chart's change to confirm, then saved."""
    point = _changeable(request, cycle, point)
    back = reverse("cycles:detail", args=[point.goal.cycle.pk])
    form = ProgressForm(request.POST or None, instance=ProgressPoint(goal=point.goal))
    if request.method == "GET":
        form = ProgressForm(instance=point)
    context = {"form": form, "back": back, **_change_context(point, [])}
    if request.method == "POST" and form.is_valid() and _checked(form, point.goal):
        changed = form.save(commit=False)
        changed.pk, changed.created_at = point.pk, point.created_at
        others = [p for p in point.goal.progress.all() if p.pk != point.pk]
        context.update(_change_context(point, [*others, changed]), confirming=True)
        if "confirmed" in request.POST:
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            return run_action(
                request,
                lambda: services.progress_edit(actor=request.user, point=point, **data),
                success_message=gettext("Progress point corrected."),
                redirect_to=back,
            )
    return render(request, "cycles/progress_edit.html", context)


@require_http_methods(["GET", "POST"])
def progress_delete(request, cycle, point):
    """Take a point off the chart, after seeing the chart without it."""
    point = _changeable(request, cycle, point)
    back = reverse("cycles:detail", args=[point.goal.cycle.pk])
    if request.method == "GET":
        others = [p for p in point.goal.progress.all() if p.pk != point.pk]
        context = {"back": back, **_change_context(point, others)}
        return render(request, "cycles/progress_delete.html", context)
    return run_action(
        request,
        lambda: services.progress_delete(actor=request.user, point=point),
        success_message=gettext("Progress point deleted."),
        redirect_to=back,
    )
