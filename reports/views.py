"""Administrator report pages and their CSV exports: a release's figures, read as stored.

Nothing here computes a figure or makes a release: every reader of a school or district
reads the same release until the next one is made at its set time.
"""

import zoneinfo

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import cache_control

from accounts.models import School
from accounts.selectors import administered_districts, administered_schools
from core.spreadsheets import csv_response

from . import charts, export, releases, tables
from .models import ReleasedFigures

SCHOOLS_PER_PAGE = 25

# Report figures are for the administrator who asked, and only until the next release.
private = cache_control(private=True, no_store=True)


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


def _released(district_id, school_id=None):
    """The latest release of a district and the figures of one school (or the district)."""
    release = releases.latest(district_id)
    if release is None:
        return None, None
    row = ReleasedFigures.objects.filter(release=release, school_id=school_id).first()
    return release, row.figures if row else None


def _context(request, release, figures):
    period = tables.chosen_period(figures, request.GET.get("term")) if figures else None
    shown = tables.report(figures, period) if figures else None
    return {
        "release": release,
        "figures": figures,
        "report": shown,
        "periods": tables.periods(figures) if figures else [],
        "term": period,
        "k": release.min_group if release else None,
        "minutes_chart": charts.bar_chart(*zip(*shown["minutes"]["chart"], strict=True))
        if shown and period and shown["minutes"]["chart"]
        else None,
    }


@private
def school_report(request, school):
    school = _school_for(request, school)
    release, figures = _released(school.district_id, school.pk)
    context = {"school": school, **_context(request, release, figures)}
    return render(request, "reports/school_report.html", context)


@private
def district_report(request, district):
    district = _district_for(request, district)
    release, figures = _released(district.pk)
    context = {"district": district, **_context(request, release, figures)}
    if figures:
        # Two hundred schools side by side are a page no one reads on a phone: 25 at a time.
        page = Paginator(figures["schools"], SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
        rows = {
            row.school_id: row.figures
            for row in ReleasedFigures.objects.filter(
                release=release, school_id__in=[s["id"] for s in page.object_list]
            )
        }
        page.object_list = tables.side_by_side(
            {"schools": list(page.object_list)}, rows, context["term"]
        )
        context["schools"] = page
    return render(request, "reports/district_report.html", context)


@private
def school_report_csv(request, school):
    school = _school_for(request, school)
    release, figures = _released(school.district_id, school.pk)
    return _csv(request, school.name, release, figures)


@private
def district_report_csv(request, district):
    district = _district_for(request, district)
    release, figures = _released(district.pk)
    schools = {}
    if figures:
        schools = {
            row.school_id: row.figures
            for row in ReleasedFigures.objects.filter(release=release, school__isnull=False)
        }
    return _csv(request, district.name, release, figures, schools=schools)


def _csv(request, name, release, figures, *, schools=None):
    period = tables.chosen_period(figures, request.GET.get("term")) if figures else None
    key = period["key"] if period else "none"
    rows = export.rows(name, figures, period, release, schools=schools) if figures else []
    return csv_response(f"tandem-report-{name} {key}", export.header(), rows)


def privacy(request):
    """How the reports protect teachers, for anyone signed in: teachers and their union
    may read what an administrator can and cannot learn."""
    return render(request, "reports/privacy.html", {"k": settings.REPORT_MIN_GROUP})
