from django.db import migrations, models

# The Big Four's Spanish (cycles.signals.BIG_FOUR_TRANSLATIONS as it was written), given to
# each district's focus area that still has its seeded English name.
SPANISH = {
    "Content planning": "Planificación del contenido",
    "Formative assessment": "Evaluación formativa",
    "Instruction": "Enseñanza",
    "Community building": "Construcción de comunidad",
}


def translate_the_seeded(apps, schema_editor):
    FocusArea = apps.get_model("cycles", "FocusArea")
    for area in FocusArea.objects.filter(name__in=SPANISH):
        area.translations = {"es": {"name": SPANISH[area.name]}}
        area.save(update_fields=["translations"])


class Migration(migrations.Migration):
    dependencies = [("cycles", "0004_survey")]

    operations = [
        migrations.AddField(
            model_name="focusarea",
            name="translations",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="strategy",
            name="translations",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(translate_the_seeded, migrations.RunPython.noop),
    ]
