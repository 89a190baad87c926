from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def refresh_report_snapshots(school_id: int | None = None, district_id: int | None = None):
    """Recompute report figures: all of them (nightly), or one school's or district's."""
    from accounts.models import District, School

    from . import snapshots
    from .periods import PERIODS

    if school_id is None and district_id is None:
        return snapshots.refresh_all()
    school = School.objects.filter(pk=school_id).first() if school_id else None
    district = District.objects.filter(pk=district_id).first() if district_id else None
    if school is None and district is None:
        return 0
    for key in PERIODS:
        snapshots.compute(school=school, district=district, period_key=key)
    return len(PERIODS)
