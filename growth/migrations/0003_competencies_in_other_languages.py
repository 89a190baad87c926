from django.db import migrations, models

# The seeded list's Spanish (growth.models.COMPETENCY_TRANSLATIONS as it was written), given
# to each district's competency that still has the seeded English name.
SPANISH = {
    "Listening": (
        "Escucha",
        "Escuchar de verdad al docente: parafrasear, hacer pausas, no llenar el silencio.",
    ),
    "Questioning": (
        "Preguntas",
        "Preguntas abiertas y mediadoras que ayudan al docente a pensar, sin dirigirlo.",
    ),
    "Feedback": (
        "Retroalimentación",
        "Retroalimentación específica y de baja inferencia, ligada a la meta y a la "
        "evidencia de los estudiantes.",
    ),
    "Partnership": ("Colaboración", "Elección, voz e igualdad: el docente decide, el coach acompaña."),
    "Data use": (
        "Uso de datos",
        "Trabajar con la evidencia de los estudiantes: antes y después, el avance, lo que "
        "hacen los estudiantes.",
    ),
}


def translate_the_seeded(apps, schema_editor):
    Competency = apps.get_model("growth", "Competency")
    for competency in Competency.objects.filter(name__in=SPANISH):
        name, description = SPANISH[competency.name]
        competency.translations = {"es": {"name": name, "description": description}}
        competency.save(update_fields=["translations"])


class Migration(migrations.Migration):
    dependencies = [("growth", "0002_competencies_of_every_district")]

    operations = [
        migrations.AddField(
            model_name="competency",
            name="translations",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(translate_the_seeded, migrations.RunPython.noop),
    ]
