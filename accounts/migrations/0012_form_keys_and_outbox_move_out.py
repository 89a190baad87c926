from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0011_one_line_text_rule'),
    ]

    # The one-time form keys moved to `core` and the outbox to its own app; their tables
    # stay where they are (core's and outbox's 0001 take them over): state only.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='OutboxMessage'),
                migrations.DeleteModel(name='FormSubmission'),
            ],
        ),
    ]
