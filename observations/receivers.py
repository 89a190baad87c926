from django.dispatch import receiver

from cycles.signals import private_reflections_accessed

from .access import log_access
from .models import AccessEvent


@receiver(private_reflections_accessed, dispatch_uid="log_private_reflections")
def log_private_reflections(sender, actor, reflections, action="read", **kwargs):
    log_access(
        actor=actor,
        action=action,
        kind=AccessEvent.Kind.REFLECTION,
        records=[(r.pk, r.created_at, [r.author_id]) for r in reflections],
    )
