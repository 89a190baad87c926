from celery import shared_task


@shared_task(acks_late=True)
def send_reminders() -> int:
    """Beat, every quarter of an hour: what is due is mailed, once (`reminders`)."""
    from . import reminders

    return reminders.send_reminders()


@shared_task(acks_late=True)
def send_digests() -> int:
    """Beat, every quarter of an hour: Monday's digest where it is Monday morning, once."""
    from . import digest

    return digest.send_digests()
