from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from accounts.models import District

from .models import FocusArea

# Jim Knight's Big Four: the focus areas every district starts with, and may change.
BIG_FOUR = ["Content planning", "Formative assessment", "Instruction", "Community building"]


@receiver(post_save, sender=District, dispatch_uid="seed_focus_areas")
def seed_focus_areas(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        FocusArea.objects.bulk_create(
            FocusArea(district=instance, name=name, position=index)
            for index, name in enumerate(BIG_FOUR)
        )


# Sent with `actor` and `reflections` whenever private reflections are read or changed, so
# the observations app (which keeps the access log, and sits above this one) records it.
private_reflections_accessed = Signal()
