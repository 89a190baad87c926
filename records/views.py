from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.mixins import require_role
from accounts.models import Membership

from . import bundle, retention, services
from .models import Export


@require_safe
def mine(request):
    """Everything about me, to take away: what it holds, and the latest export's progress.
    While one is being made, htmx asks for the status part again every two seconds."""
    export = services.latest_export(request.user)
    context = {"export": export}
    if request.htmx:
        return render(request, "records/_export_status.html", context)
    context["partnerships"] = bundle.partnerships_of(request.user).count()
    context["cycles"] = bundle.cycles_of(request.user).count()
    return render(request, "records/mine.html", context)


@require_POST
def export(request):
    made = services.export_request(actor=request.user)
    if made.status == Export.Status.FAILED:
        messages.error(request, "Your records could not be put together. Try again later.")
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
