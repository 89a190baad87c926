from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from accounts.models import District

from .models import FocusArea

# Jim Knight's Big Four: the focus areas every district starts with, and may change.
BIG_FOUR = ["Content planning", "Formative assessment", "Instruction", "Community building"]
# Their words in each other language, given to the districts that start with them.
BIG_FOUR_TRANSLATIONS = {
    "es": {
        "Content planning": "Planificación del contenido",
        "Formative assessment": "Evaluación formativa",
        "Instruction": "Enseñanza",
        "Community building": "Construcción de comunidad",
    }
}


@receiver(post_save, sender=District, dispatch_uid="seed_focus_areas")
def seed_focus_areas(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        FocusArea.objects.bulk_create(
            FocusArea(
                district=instance,
                name=name,
                position=index,
                translations={
                    lang: {"name": words[name]} for lang, words in BIG_FOUR_TRANSLATIONS.items()
                },
            )
            for index, name in enumerate(BIG_FOUR)
        )


# Sent with `actor` and `reflections` whenever private reflections are read or changed, so
# the observations app (which keeps the access log, and sits above this one) records it.
private_reflections_accessed = Signal()
