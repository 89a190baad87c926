"""Administrator report pages and their CSV exports: anonymised figures only."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.exports import csv_response
from accounts.selectors import administered_districts, administered_schools

from .. import tasks
from . import snapshots
from .periods import PERIODS


def _school_for(request, school_id):
    # Any school the person administers, directly or through their district; else 404.
    return get_object_or_404(administered_schools(request.user).distinct(), pk=school_id)


def _district_for(request, district_id):
    return get_object_or_404(administered_districts(request.user), pk=district_id)


def _render(request, template, scope, snapshot):
    context = {
        **scope,
        "figures": snapshot.figures,
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
    return _render(request, "reports/district_report.html", {"district": district}, snapshot)


@require_POST
def school_report_refresh(request, school):
    school = _school_for(request, school)
    tasks.refresh_report_snapshots.delay(school_id=school.pk)
    messages.success(request, "Figures recomputed." if _eager() else "Recomputing: reload soon.")
    return redirect(reverse("coaching:school_report", args=[school.pk]) + _query(request))


@require_POST
def district_report_refresh(request, district):
    district = _district_for(request, district)
    tasks.refresh_report_snapshots.delay(district_id=district.pk)
    messages.success(request, "Figures recomputed." if _eager() else "Recomputing: reload soon.")
    return redirect(reverse("coaching:district_report", args=[district.pk]) + _query(request))


def _eager():
    from django.conf import settings

    return settings.CELERY_TASK_ALWAYS_EAGER


def _query(request):
    key = request.POST.get("period", "")
    return f"?period={key}" if key in PERIODS else ""


def school_report_csv(request, school):
    school = _school_for(request, school)
    snapshot = snapshots.current(school=school, period_key=request.GET.get("period", ""))
    return _csv(f"{school.name} {snapshot.period}", rows_of(snapshot.figures, snapshot.min_group))


def district_report_csv(request, district):
    district = _district_for(request, district)
    snapshot = snapshots.current(district=district, period_key=request.GET.get("period", ""))
    return _csv(f"{district.name} {snapshot.period}", rows_of(snapshot.figures, snapshot.min_group))


def _csv(name, rows):
    return csv_response(f"tandem-report-{name}", ["section", "row", "column", "value"], rows)


def shown(cell, k):
    """How a page and its export show a figure."""
    if cell is None:
        return "—"
    if isinstance(cell, dict):
        if cell["hidden"] == "small":
            return f"fewer than {k}"
        if cell["hidden"]:
            return "hidden"
        return cell["value"]
    return cell


def rows_of(figures, k):
    """The figures as the page shows them, one (section, row, column, value) per figure."""
    period = figures["period"]["heading"]
    yield ("Period", "", "", period)
    yield ("Teachers taking part", "", "count", shown(figures["participating"], k))
    yield (
        "Teachers taking part",
        "",
        "share of teachers (%)",
        shown(figures["participating_share"], k),
    )
    for row in figures["phases"]["rows"]:
        yield ("Active cycles by phase", row["heading"], "cycles", shown(row["cells"][0], k))
    yield ("Active cycles by phase", "Total", "cycles", shown(figures["phases"]["total"], k))
    outcomes = figures["outcomes"]
    for row in outcomes["rows"]:
        for column, cell in zip(outcomes["columns"], row["cells"], strict=True):
            yield ("Outcomes by focus area", row["heading"], column, shown(cell, k))
        yield ("Outcomes by focus area", row["heading"], "Total", shown(row["total"], k))
        yield ("Outcomes by focus area", row["heading"], "Met (%)", shown(row["met_rate"], k))
    for column, cell in zip(outcomes["columns"], outcomes["totals"], strict=True):
        yield ("Outcomes by focus area", "Total", column, shown(cell, k))
    yield ("Outcomes by focus area", "Total", "Total", shown(outcomes["grand"], k))
    yield ("Outcomes by focus area", "Total", "Met (%)", shown(outcomes["met_rate"], k))
    yield ("Median cycle length (days)", "", "", shown(figures["median_days"], k))
    minutes = figures["minutes"]
    for row in minutes["rows"]:
        for column, value in zip(minutes["columns"], row["cells"], strict=True):
            yield ("Coaching minutes", row["heading"], column, value)
        yield ("Coaching minutes", row["heading"], "Total", row["total"])
    for column, value in zip(minutes["columns"], minutes["totals"], strict=True):
        yield ("Coaching minutes", "Total", column, value)
    yield ("Coaching minutes", "Total", "Total", minutes["grand"])
    yield (
        "Coaching minutes",
        "",
        "Non-coaching share (%)",
        shown(minutes["non_coaching_share"], k),
    )
    for row in figures["trends"]["rows"]:
        for column, cell in zip(figures["trends"]["columns"], row["cells"], strict=True):
            yield ("Trends per term", row["heading"], column, shown(cell, k))
        yield ("Trends per term", row["heading"], "Met (%)", shown(row["met_rate"], k))
    for row in figures.get("schools", {}).get("rows", []):
        for column in ("participating", "share", "active", "completed", "met_rate", "minutes"):
            yield ("Schools side by side", row["heading"], column, shown(row[column], k))
        yield (
            "Schools side by side",
            row["heading"],
            "non_coaching_share",
            shown(row["non_coaching_share"], k),
        )
    if "schools" in figures:
        total = figures["schools"]["total"]
        for column in ("participating", "active", "completed", "met_rate", "minutes"):
            yield ("Schools side by side", "District", column, shown(total[column], k))
