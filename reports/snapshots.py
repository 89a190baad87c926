"""Stored report figures: read in one query, recomputed nightly or on demand."""

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts.models import School, Term

from .figures import school_figures
from .models import ReportSnapshot
from .periods import PERIODS, period_for


def _period(district_id, key, using):
    terms = list(Term.objects.using(using).filter(district_id=district_id).order_by("starts_on"))
    return period_for(key, terms, timezone.localdate())


def compute(*, school=None, district=None, period_key, using=None) -> ReportSnapshot:
    """Compute a report's figures on the reports connection and store them."""
    using = using or settings.REPORTS_DATABASE
    district_id = school.district_id if school else district.pk
    key = period_key if period_key in PERIODS else "this_term"
    # Stored under the key asked for: with no terms defined, "this term" falls back to the
    # school year, and must still be found again under "this term".
    period = _period(district_id, key, using)
    k = settings.REPORT_MIN_GROUP
    if school:
        figures = school_figures([school.pk], period, k, using=using)
    else:
        school_ids = School.objects.using(using).filter(district=district).values("pk")
        figures = school_figures(school_ids, period, k, using=using, by_school=True)
    figures["period"] = {
        "key": period.key,
        "heading": period.heading,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }
    stored = {"figures": figures, "min_group": k, "computed_at": timezone.now()}
    snapshot, _ = ReportSnapshot.objects.update_or_create(
        school=school,
        district=district,
        period=key,
        defaults={**stored, "version": F("version") + 1},
        create_defaults={**stored, "version": 1},
    )
    snapshot.refresh_from_db(fields=["version"])
    return snapshot


def current(*, school=None, district=None, period_key, using=None) -> ReportSnapshot:
    """The stored figures, computed first when there are none yet (or K has changed)."""
    using = using or settings.REPORTS_DATABASE
    key = period_key if period_key in PERIODS else "this_term"
    scope = {"school": school} if school else {"district": district}
    snapshot = ReportSnapshot.objects.using(using).filter(period=key, **scope).first()
    if snapshot is None or snapshot.min_group != settings.REPORT_MIN_GROUP:
        snapshot = compute(school=school, district=district, period_key=key, using=using)
    return snapshot


def refresh_all(using=None) -> int:
    """Recompute every school's and district's report for every period."""
    using = using or settings.REPORTS_DATABASE
    count = 0
    schools = School.objects.using(using).select_related("district")
    districts = {school.district_id: school.district for school in schools}
    for key in PERIODS:
        for school in schools:
            compute(school=school, period_key=key, using=using)
            count += 1
        for district in districts.values():
            compute(district=district, period_key=key, using=using)
            count += 1
    return count
