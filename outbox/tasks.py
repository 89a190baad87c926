"""Mail delivery from the outbox (`outbox.mail`); every app's e-mails go through it.

Each task imports the module it runs inside its body: `outbox.mail` enqueues these tasks,
and a task is the thin door a worker comes in by, never a module others import from."""

from celery import shared_task
from django.conf import settings

# An SMTP conversation is about ten round trips, each bounded by EMAIL_TIMEOUT; past this a
# slow-dripping server has the worker's process replaced, and the message stays unsent.
SEND_TIME_LIMIT = 10 * settings.EMAIL_TIMEOUT


@shared_task(
    autoretry_for=(OSError,),  # smtplib's errors and socket timeouts are OSErrors
    retry_backoff=True,
    max_retries=3,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=SEND_TIME_LIMIT,
)
def send_outbox_message(message_id: int) -> bool:
    from .mail import mail_send

    return mail_send(message_id)


@shared_task(acks_late=True)
def resend_unsent_mail() -> int:
    """Beat, every few minutes: a message whose task was lost is sent all the same."""
    from .mail import mail_resend_unsent

    return mail_resend_unsent()


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=SEND_TIME_LIMIT * 20)
def send_outbox_batch(message_ids: list[int]) -> int:
    """Send many messages; one that fails stays unsent for the sweeper, the rest go on."""
    from .mail import mail_send

    sent = 0
    for message_id in message_ids:
        try:
            sent += mail_send(message_id)
        except OSError:
            continue
    return sent
