from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Membership
from coaching.selectors import (
    meetings_while_in_each,
    next_steps_while_in_each,
    partnerships_taken_part_in,
)
from core.views import require_role
from cycles.selectors import cycles_taken_part_in
from video.selectors import videos_owned_by

from . import retention, services
from .bundle import records_of_cycles
from .models import Export


@require_safe
def mine(request):
    """Everything about me, to take away: what it holds, and the latest export's progress.
    While one is being made, htmx asks for the status part again every two seconds."""
    export = services.latest_export(request.user)
    context = {"export": export, "has_videos": videos_owned_by(request.user).exists()}
    if request.htmx:
        return render(request, "records/_export_status.html", context)
    context["partnerships"] = partnerships_taken_part_in(request.user).count()
    context["cycles"] = cycles_taken_part_in(request.user).count()
    return render(request, "records/mine.html", context)


@require_safe
def portfolio(request):
    """The portfolio of the export, to read (and print) in the browser: the same records,
    read through the same selectors, so it holds exactly what the ZIP holds, and after
    leaving a team or the school only what was theirs until then."""
    teacher = request.user
    # The team's members are for the export's tables; the page does not name them.
    partnerships = list(partnerships_taken_part_in(teacher).prefetch_related(None))
    cycles = list(cycles_taken_part_in(teacher))
    by_partnership = {p.pk: p for p in partnerships}
    records = {p.pk: [] for p in partnerships}
    for cycle_records in records_of_cycles(teacher, cycles):
        cycle = cycle_records.cycle
        # Its partnership as already fetched, coach and school with it.
        cycle.partnership = by_partnership[cycle.partnership_id]
        records[cycle.partnership_id].append(cycle_records)
    meetings = meetings_while_in_each(partnerships)
    steps = next_steps_while_in_each(partnerships)
    return render(
        request,
        "records/portfolio_page.html",
        {
            "teacher": teacher,
            "cycles": cycles,
            "parts": [
                {
                    "partnership": p,
                    "cycles": records[p.pk],
                    "meetings": meetings[p.pk],
                    "steps": steps[p.pk],
                }
                for p in partnerships
            ],
            "made_at": timezone.now(),
        },
    )


@require_POST
def export(request):
    made = services.export_request(
        actor=request.user, with_videos=request.POST.get("with_videos") == "on"
    )
    if made.status == Export.Status.FAILED:
        messages.error(request, _("Your records could not be put together. Try again later."))
    return redirect("records:mine")


@require_safe
def download(request, export):
    """The ZIP, streamed from where it is kept; only its owner's, and only for a day."""
    export = get_object_or_404(
        Export,
        pk=export,
        user=request.user,
        status=Export.Status.READY,
        expires_at__gt=timezone.now(),
    )
    try:
        handle = default_storage.open(export.file, "rb")
    except FileNotFoundError:
        raise Http404 from None
    name = f"tandem-records-{timezone.localdate(export.created_at):%Y-%m-%d}.zip"
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def data_we_keep(request):
    """For administrators: how long each kind of record is kept before the nightly purge."""
    require_role(request, Membership.Role.SCHOOL_ADMIN, Membership.Role.DISTRICT_ADMIN)
    return render(
        request,
        "records/data_we_keep.html",
        {
            "periods": retention.periods(),
            "export_hours": int(services.KEPT_FOR.total_seconds() // 3600),
        },
    )
