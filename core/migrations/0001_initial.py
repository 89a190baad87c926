import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('accounts', '0012_form_keys_and_outbox_move_out'),
    ]

    operations = [
        # The table exists already (made by accounts' migrations): state only.
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='FormSubmission',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('key', models.UUIDField()),
                    ('redirect_to', models.CharField(blank=True, max_length=500)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'accounts_formsubmission',
                    'constraints': [models.UniqueConstraint(fields=('user', 'key'), name='form_submitted_once')],
                },
            ),
            ],
        ),
    ]
