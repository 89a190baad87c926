"""Changes to how a person hears of reminders."""

from django.db import transaction

from accounts.models import User

from .models import CalendarFeed, Preference, Reminder, new_feed_token


@transaction.atomic
def preferences_set(*, user: User, choices: dict[str, str]) -> None:
    """`choices`: delivery by kind. Kinds not named keep theirs. A kind switched off drops
    what was waiting for tomorrow's e-mail too."""
    for kind, delivery in choices.items():
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
    off = [kind for kind, delivery in choices.items() if delivery == Preference.Delivery.OFF]
    Reminder.objects.filter(user=user, kind__in=off, mailed_at__isnull=True).delete()


def preferences_of(user: User) -> dict[str, str]:
    return dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))


def calendar_feed_of(user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """A new secret address; the old one answers 404 from now on."""
    feed = calendar_feed_of(user)
    feed.token = new_feed_token()
    feed.save(update_fields=["token"])
    return feed
