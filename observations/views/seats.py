"""Seat maps of a lesson: laying out the room, and the taps that show who speaks."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.views import require_perm

from .. import rules, selectors, services
from ..forms import SeatLayoutForm, SeatTapForm, SeatUntapForm
from ..seats import layout_grid
from .capture import capture_endpoint


@require_http_methods(["GET", "POST"])
def seats(request, observation):
    """Lay out the class's seats, or use a layout made for an earlier lesson."""
    observation = selectors.get_observation(request.user, observation)
    require_perm(request, "observations.capture", observation)
    # A room that could only be refused is not laid out: the lesson's page says why.
    refusal = rules.observation_seats_refusal(observation)
    if request.method == "GET" and refusal:
        messages.error(request, refusal)
        return redirect("observations:detail", observation.pk)
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
                messages.success(request, _("Grid updated: tap the places with no seat."))
                return redirect(
                    reverse("observations:seats", args=[observation.pk]) + f"?layout={layout.pk}"
                )
            messages.success(
                request,
                _("Seats of %(name)s ready: tap a seat when a student there speaks.")
                % {"name": layout.name},
            )
            return redirect(reverse("observations:capture", args=[observation.pk]) + "#seat-map")
    context = {
        "observation": observation,
        "form": form,
        "layouts": layouts,
        "chosen": chosen,
        "grid": layout_grid(form["rows"].value(), form["columns"].value(), form["gaps"].value()),
        # Said instead of using the seats: a lesson whose seats were tapped keeps them.
        "use_seats_refusal": None
        if refusal
        else rules.observation_use_seats_refusal(
            observation, tapped=observation.seat_taps.exists()
        ),
    }
    return render(request, "observations/seat_layout_form.html", context)


@capture_endpoint(SeatTapForm)
def seat_tap(request, observation, data):
    tap, created = services.observation_tap_seat(
        actor=request.user, observation=observation, **data
    )
    return {"client_id": str(tap.client_id), "created": created}


@capture_endpoint(SeatUntapForm)
def seat_untap(request, observation, data):
    removed = services.observation_untap_seat(actor=request.user, observation=observation, **data)
    return {"client_id": str(data["client_id"]), "removed": removed}
