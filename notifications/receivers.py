"""Reminders that lose their subject (a cancelled meeting is not reminded of), and calendar
addresses that lose their person."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from coaching.models import Meeting

from .models import CalendarFeed, Reminder


@receiver(post_delete, sender=Meeting, dispatch_uid="notifications.meeting_cancelled")
def drop_reminders_of_meeting(sender, instance, **kwargs):
    # One waiting for the person's e-mail of the day would still go, naming a meeting that
    # is not happening.
    Reminder.objects.filter(
        about__startswith=f"meeting:{instance.pk}:", mailed_at__isnull=True
    ).delete()


@receiver(
    post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="notifications.retire_calendar_feed"
)
def retire_calendar_feed(sender, instance, update_fields=None, **kwargs):
    """Deactivating or reactivating an account retires its calendar address.

    Whoever kept the address (a calendar shared with a family, a device the person gave
    back) must not read their meetings again once they are back: a reactivated person
    subscribes again with a new one. Saves of other fields leave the address alone.
    """
    if update_fields is None:
        activation_saved = not instance.is_active
    else:
        activation_saved = "is_active" in update_fields
    if activation_saved:
        CalendarFeed.objects.filter(user=instance).delete()
