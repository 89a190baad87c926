"""The district's roster packages: upload, preview, apply. District administrators only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import require_role

from ..models import Membership, RosterImport
from . import services
from .forms import PackageForm
from .planning import HEADINGS, NOTES, Plan, say
from .reading import Refusal
from .rules import roster_apply_refusal
from .selectors import roster_imports_at

RECENT = 20


def _district(request):
    return require_role(request, Membership.Role.DISTRICT_ADMIN).district


def _record(request, package):
    return get_object_or_404(roster_imports_at(request.user, _district(request)), pk=package)


def oneroster_upload(request):
    district = _district(request)
    form = PackageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["package"]
        try:
            record, _plan = services.roster_package_preview(
                actor=request.user, district=district, upload=upload, file_name=upload.name
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("accounts:oneroster_detail", record.pk)
    recent = roster_imports_at(request.user, district)[:RECENT]
    context = {"form": form, "recent": recent, "district": district}
    return render(request, "accounts/rosterimport_upload.html", context)


def oneroster_detail(request, package):
    record = _record(request, package)
    summary = record.summary or {}
    counts = summary.get("counts", {})
    shown = summary.get("shown", {})
    applied = record.status == RosterImport.Status.APPLIED
    lists = [
        {
            "heading": headings[applied],
            "note": NOTES[kind][applied] if kind in NOTES else "",
            "count": counts.get(kind, 0),
            "rows": [say(kind, row) for row in shown.get(kind, [])],
        }
        for kind, headings in HEADINGS.items()
    ]
    context = {
        "record": record,
        "changes": lists,
        "total": sum(counts.get(kind, 0) for kind in Plan.CHANGES),
        "applied": applied,
        "passed_over": counts.get("passed_over", 0),
        # School names (packages previewed before names alone were kept said why too).
        "kept": [
            name.removesuffix(" (schools are never removed by a roster)")
            for name in summary.get("kept", [])
        ],
        "refusals": [Refusal(**r) for r in record.refusals],
        "apply_refusal": roster_apply_refusal(request.user, record),
        "previewed": record.status == RosterImport.Status.PREVIEWED,
    }
    return render(request, "accounts/rosterimport_detail.html", context)


@require_POST
def oneroster_apply(request, package):
    record = _record(request, package)
    try:
        result = services.roster_package_apply(actor=request.user, record=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:oneroster_detail", record.pk)
    if result.applied:
        messages.success(request, _("The roster is applied."))
        return redirect("accounts:oneroster")
    messages.warning(
        request,
        _(
            "Nothing was applied: the district changed since the preview. Here is what the "
            "package would change now."
        ),
    )
    return redirect("accounts:oneroster_detail", record.pk)


@require_POST
def oneroster_discard(request, package):
    record = _record(request, package)
    try:
        services.roster_package_discard(actor=request.user, record=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:oneroster_detail", record.pk)
    messages.info(request, _("The package was put aside: nothing changed."))
    return redirect("accounts:oneroster")
