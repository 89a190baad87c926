from django.db import migrations

COMPETENCIES = [
    ("Listening", "Hearing the teacher out: paraphrasing, pausing, not filling the silence."),
    ("Questioning", "Open, mediative questions that help the teacher think, not lead them."),
    ("Feedback", "Specific, low-inference feedback tied to the goal and to student evidence."),
    ("Partnership", "Choice, voice and equality: the teacher decides, the coach supports."),
    ("Data use", "Working from student evidence: pre and post, progress, what students do."),
]


def seed(apps, schema_editor):
    District = apps.get_model("accounts", "District")
    Competency = apps.get_model("growth", "Competency")
    for district in District.objects.all():
        for index, (name, description) in enumerate(COMPETENCIES):
            Competency.objects.get_or_create(
                district=district, name=name, defaults={"description": description, "position": index}
            )


class Migration(migrations.Migration):
    dependencies = [("growth", "0001_initial"), ("accounts", "0015_lead_coach")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
