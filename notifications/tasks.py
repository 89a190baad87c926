from celery import shared_task


@shared_task(acks_late=True)
def send_reminders() -> int:
    """Beat, every quarter of an hour: what is due is mailed, once (`reminders`)."""
    from . import reminders

    return reminders.send_reminders()
