"""Administrator report pages and their CSV exports: anonymised figures only."""

import zoneinfo

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.exports import csv_response
from accounts.models import School
from accounts.selectors import administered_districts, administered_schools

from . import charts, export, snapshots, tasks
from .periods import PERIODS

SCHOOLS_PER_PAGE = 25


def _school_for(request, school_id):
    # Any school the person administers, directly or through their district; else 404.
    school = get_object_or_404(administered_schools(request.user), pk=school_id)
    # Time is the school's, also for a district administrator (whose role has no zone).
    timezone.activate(school.zone)
    return school


def _district_for(request, district_id):
    # Its first school's zone comes with it: a district has none of its own.
    first_zone = School.objects.filter(district=OuterRef("pk")).order_by("pk").values("time_zone")
    district = get_object_or_404(
        administered_districts(request.user).annotate(zone=Subquery(first_zone[:1])),
        pk=district_id,
    )
    if district.zone:
        timezone.activate(zoneinfo.ZoneInfo(district.zone))
    return district


def _render(request, template, scope, snapshot):
    minutes = snapshot.figures["minutes"]
    context = {
        **scope,
        "figures": snapshot.figures,
        "minutes_chart": charts.bar_chart(minutes["columns"], minutes["totals"]),
        "snapshot": snapshot,
        "periods": PERIODS.items(),
        "period": snapshot.period,
        "k": snapshot.min_group,
    }
    return render(request, template, context)


def school_report(request, school):
    school = _school_for(request, school)
    snapshot = snapshots.current(school=school, period_key=request.GET.get("period", ""))
    return _render(request, "reports/school_report.html", {"school": school}, snapshot)


def district_report(request, district):
    district = _district_for(request, district)
    snapshot = snapshots.current(district=district, period_key=request.GET.get("period", ""))
    # Two hundred schools side by side are a page no one reads on a phone: 25 at a time.
    schools = Paginator(snapshot.figures["schools"]["rows"], SCHOOLS_PER_PAGE)
    scope = {"district": district, "schools": schools.get_page(request.GET.get("page"))}
    return _render(request, "reports/district_report.html", scope, snapshot)


@require_POST
def school_report_refresh(request, school):
    school = _school_for(request, school)
    tasks.refresh_report_snapshots.delay(school_id=school.pk)
    messages.success(request, "Figures recomputed." if _eager() else "Recomputing: reload soon.")
    return redirect(reverse("reports:school_report", args=[school.pk]) + _query(request))


@require_POST
def district_report_refresh(request, district):
    district = _district_for(request, district)
    tasks.refresh_report_snapshots.delay(district_id=district.pk)
    messages.success(request, "Figures recomputed." if _eager() else "Recomputing: reload soon.")
    return redirect(reverse("reports:district_report", args=[district.pk]) + _query(request))


def _eager():
    from django.conf import settings

    return settings.CELERY_TASK_ALWAYS_EAGER


def _query(request):
    key = request.POST.get("period", "")
    return f"?period={key}" if key in PERIODS else ""


def school_report_csv(request, school):
    school = _school_for(request, school)
    snapshot = snapshots.current(school=school, period_key=request.GET.get("period", ""))
    return _csv(f"{school.name} {snapshot.period}", snapshot)


def district_report_csv(request, district):
    district = _district_for(request, district)
    snapshot = snapshots.current(district=district, period_key=request.GET.get("period", ""))
    return _csv(f"{district.name} {snapshot.period}", snapshot)


def _csv(name, snapshot):
    rows = export.rows(snapshot.figures, snapshot.min_group)
    return csv_response(f"tandem-report-{name}", export.HEADER, rows)
