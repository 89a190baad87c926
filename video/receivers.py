"""A video's files go with its row, however the row goes: its teacher deleting it, the
retention purge, or the cycle or account it belongs to being deleted."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Video


@receiver(post_delete, sender=Video)
def forget_files_of_deleted_video(sender, instance, **kwargs):
    from .services import _forget, files_of

    names = files_of(instance)
    transaction.on_commit(lambda: _forget(names))
