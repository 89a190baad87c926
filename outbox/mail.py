"""The outbox: every e-mail Tandem sends is first a row, written with the change it is
about, then a delivery.

What "sent once" means here. A message is marked sent only after the mail server accepted
it, in the same transaction that locks its row, so:

- a worker killed before the server's "250 OK" leaves the row unsent, and the redelivered
  task (or the sweeper) sends it: no mail is lost;
- a second task for a sent message, or one that finds another worker sending it, sends
  nothing: no mail is sent twice by a retry, a redelivery or a double submit.

What no one can promise across SMTP: if a worker dies, or the database fails, in the
instant between the server's acceptance and the commit of `sent_at`, Tandem cannot know
the message went out, and sends it again. That window is a few milliseconds; we choose a
rare duplicate over a lost invitation. The duplicate carries the same Message-ID, so a
mail system or reader that de-duplicates by Message-ID can show it as one.
"""

import unicodedata
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import tasks
from .models import OutboxMessage

# A message still unsent after this long has lost its task (a broker restarted without it,
# a worker died before taking it): the sweeper queues it again.
RESEND_AFTER = timedelta(minutes=5)
# Each task tries four times within seconds; the sweeper hands a failing message a new task
# every five minutes. Past this many attempts (about two hours of a refusing server) the
# message waits for an operator, who sees its last error in the admin site.
MAX_ATTEMPTS = 100
# Messages per task when many are owed at once: few tasks, yet none runs for long.
BATCH = 200


def say_when(moment, school) -> str:
    """A moment as e-mails say it, in the school's zone: "Tuesday November 24 at 10:00 am"."""
    local = timezone.localtime(moment, school.zone)
    # Translators: a time as e-mails say it, "10:00 am" (A is AM or PM, written in lower case).
    time = date_format(local, _("g:i A")).replace("AM", "am").replace("PM", "pm")
    # Translators: a moment in an e-mail, "Tuesday November 24 at 10:00 am".
    return _("%(day)s at %(time)s") % {"day": say_day(local), "time": time}


def say_day(date) -> str:
    """A day as e-mails say it: "Tuesday November 24"."""
    # Translators: a day as e-mails say it, "Tuesday November 24".
    return date_format(date, _("l F j"))


def header_safe(text: str) -> str:
    """`text` on one line. A name typed with a newline or a control character would otherwise
    make every e-mail whose subject names that person fail (BadHeaderError)."""
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)
    return " ".join(text.split())


def mail_enqueue(
    *, key: str, to: str, subject: str, body: str, headers: dict | None = None, html: str = ""
) -> OutboxMessage:
    """Owe `to` an e-mail, sent once the caller's transaction commits.

    `key` names the message's purpose; a second call with the same key (a double submit, a
    repeated task) returns the first message and sends nothing more.
    """
    message, created = OutboxMessage.objects.get_or_create(
        key=key,
        defaults={
            "recipient": to,
            "subject": header_safe(subject)[:255],
            "body": body,
            "headers": headers or {},
            "html": html,
        },
    )
    if created:
        # Robust: a broker that is down must not undo the change the mail is about, nor
        # answer 500. The row is committed; the sweeper sends it.
        transaction.on_commit(lambda: tasks.send_outbox_message.delay(message.pk), robust=True)
    return message


def mail_enqueue_many(messages: list[dict]) -> None:
    """Owe many e-mails at once (a roster's welcomes), written in bulk and sent in batches
    once the caller's transaction commits. Their keys must be new."""
    rows = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                key=m["key"],
                recipient=m["to"],
                subject=header_safe(m["subject"])[:255],
                body=m["body"],
            )
            for m in messages
        ],
        batch_size=1000,
    )
    ids = [row.pk for row in rows]
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        transaction.on_commit(lambda batch=batch: tasks.send_outbox_batch.delay(batch), robust=True)


def mail_send(message_id: int) -> bool:
    """Send one message unless it is sent already or another worker is sending it.

    Returns whether this call sent it. A failure is counted and recorded on the row, which
    stays unsent, and raised again for the task to retry.
    """
    with transaction.atomic():
        # The row stays locked while the server talks, so a second worker skips it rather
        # than send it too; a worker that dies drops its lock with its connection.
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        try:
            _deliver(message)
        except Exception as error:
            failure = error
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
        else:
            failure = None
            message.sent_at, message.last_error = timezone.now(), ""
        message.save(update_fields=["attempts", "sent_at", "last_error"])
    if failure is not None:
        raise failure
    return True


def mail_resend_unsent() -> int:
    """Queue a new task for every message left unsent too long; returns how many."""
    stale = list(
        OutboxMessage.objects.filter(
            sent_at__isnull=True,
            created_at__lt=timezone.now() - RESEND_AFTER,
            attempts__lt=MAX_ATTEMPTS,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    for pk in stale:
        tasks.send_outbox_message.delay(pk)
    return len(stale)


def mail_try_again(messages) -> int:
    """An operator's second chance for messages that ran out of attempts."""
    unsent = list(messages.filter(sent_at__isnull=True).values_list("pk", flat=True))
    OutboxMessage.objects.filter(pk__in=unsent).update(attempts=0)
    for pk in unsent:
        transaction.on_commit(lambda pk=pk: tasks.send_outbox_message.delay(pk), robust=True)
    return len(unsent)


def _deliver(message: OutboxMessage) -> None:
    # The same Message-ID on every attempt (the row's creation instant and id), so a
    # duplicate from the window above is recognisable as one; unique across installations
    # by the site's own domain, which the sending machine's name (often "localhost") is not.
    # Not make_msgid(), which would make a new one on every attempt.
    domain = urlsplit(settings.SITE_URL).hostname or DNS_NAME
    message_id = f"<{message.created_at:%Y%m%d%H%M%S%f}.{message.pk}.tandem@{domain}>"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        to=[message.recipient],
        headers={**message.headers, "Message-ID": message_id},
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    email.send()
