from django.db import migrations

BIG_FOUR = ["Content planning", "Formative assessment", "Instruction", "Community building"]


def seed(apps, schema_editor):
    District = apps.get_model("accounts", "District")
    FocusArea = apps.get_model("cycles", "FocusArea")
    for district in District.objects.all():
        for index, name in enumerate(BIG_FOUR):
            FocusArea.objects.get_or_create(district=district, name=name, defaults={"position": index})


class Migration(migrations.Migration):
    dependencies = [("cycles", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
