from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxMessage(models.Model):
    """An e-mail Tandem owes someone, one row per purpose: see `outbox.mail` for what
    "sent once" can and cannot promise."""

    # What the message is for ("invitation:42"); unique, so a double submit or a
    # redelivered task can never owe the same e-mail twice.
    key = models.CharField(max_length=120, unique=True)
    recipient = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
    # An HTML version beside the text one, when the message has one (the Monday digest).
    html = models.TextField(blank=True)
    # Extra headers, e.g. List-Unsubscribe for reminders.
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Written only after the mail server accepted the message.
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        db_table = "accounts_outboxmessage"  # made before the model moved here
        # The sweeper looks only at what is unsent, which stays small however much is sent.
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="outbox_unsent_idx"
            ),
            # The nightly purge deletes copies older than the retention period.
            models.Index(fields=["sent_at"], name="outbox_sent_idx"),
        ]

    def __str__(self):
        return self.key
