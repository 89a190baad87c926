from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import District

from .models import COMPETENCIES, Competency, competency_translations


@receiver(post_save, sender=District, dispatch_uid="seed_competencies")
def seed_competencies(sender, instance, created, raw=False, **kwargs):
    """Every new district starts with the list of coaching competencies, which it may change."""
    if created and not raw:
        Competency.objects.bulk_create(
            Competency(
                district=instance,
                name=name,
                description=description,
                position=index,
                translations=competency_translations(name),
            )
            for index, (name, description) in enumerate(COMPETENCIES)
        )
