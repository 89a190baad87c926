from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def release_due_reports():
    """Make every district's report release whose time has come (checked hourly).

    Idempotent: a district whose release was made since it fell due is skipped, so a
    redelivered or doubled task releases nothing twice.
    """
    from .releases import release_due_districts

    return release_due_districts()
