"""What Tandem reminds people of, and how each person wants to hear of it.

A reminder is a row before it is an e-mail: it says what it is about and in which state
("this meeting, for this person, at this time"), and its unique `key` makes a scan that runs
twice, or two at once, find the row and send nothing more.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    # Translators: each kind of reminder names a choice on the reminders page, and, in lower
    # case, what an unsubscribe link stops ("No more e-mails about …").
    MEETING = "meeting", _("Meetings coming up (a day before)")
    STEP_DUE = "step_due", _("Next steps due tomorrow")
    CYCLE_QUIET = "cycle_quiet", _("Cycles with no activity for two weeks")
    INVITATION = "invitation", _("Invitations waiting for your answer")
    DIGEST = "digest", _("Monday digest of your coaching week (coaches)")


class Preference(models.Model):
    """How one person hears of one kind of reminder. No row: at once, by e-mail."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("An e-mail for each")
        DAILY = "daily", _("One e-mail a day, from 7:00 where your school is")
        OFF = "off", _("No e-mails")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self):
        return f"{self.kind}: {self.delivery}"


class Reminder(models.Model):
    """One thing one person is reminded of, once per state of it."""

    key = models.CharField(max_length=200, unique=True)
    # What it is about, for whom, and which state of it: see `reminders.Due`.
    about = models.CharField(max_length=150, db_index=True)
    version = models.CharField(max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # One line that names the people and the moment, never what anyone wrote.
    line = models.CharField(max_length=300)
    path = models.CharField(max_length=200)
    # The school's zone: a daily e-mail goes at 7:00 there.
    time_zone = models.CharField(max_length=64, default="UTC")
    # Past this (a meeting started, a due day over) it is no use: the day's e-mail drops it.
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when it went into an e-mail (its own, or the day's); never, when switched off.
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["user"], condition=Q(mailed_at__isnull=True), name="reminder_waiting_idx"
            ),
            # The nightly purge deletes those mailed longer ago than the retention period.
            models.Index(fields=["mailed_at"], name="reminder_mailed_idx"),
        ]

    def __str__(self):
        return self.key


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar address: whoever holds the token reads their meetings'
    times and people (never notes), so the person can reset it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar feed of {self.user}"
