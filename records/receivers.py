"""What records hears of from below without importing it back (docs/architecture.md)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from video.models import Video


@receiver(post_delete, sender=Video)
def forget_downloads_holding_a_deleted_video(sender, instance, **kwargs):
    from .services import exports_forget_videos_of

    owner = instance.owner_id
    transaction.on_commit(lambda: exports_forget_videos_of(owner))
