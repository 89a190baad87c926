"""Reminders that lose their subject: a cancelled meeting is not reminded of."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from coaching.models import Meeting

from .models import Reminder


@receiver(post_delete, sender=Meeting, dispatch_uid="notifications.meeting_cancelled")
def drop_reminders_of_meeting(sender, instance, **kwargs):
    # One waiting for the person's e-mail of the day would still go, naming a meeting that
    # is not happening.
    Reminder.objects.filter(
        about__startswith=f"meeting:{instance.pk}:", mailed_at__isnull=True
    ).delete()
