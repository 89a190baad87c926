import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0012_form_keys_and_outbox_move_out'),
    ]

    operations = [
        # The table exists already (made by accounts' migrations): state only.
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='OutboxMessage',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('key', models.CharField(max_length=120, unique=True)),
                    ('recipient', models.EmailField(max_length=254)),
                    ('subject', models.CharField(max_length=255)),
                    ('body', models.TextField()),
                    ('html', models.TextField(blank=True)),
                    ('headers', models.JSONField(blank=True, default=dict)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('sent_at', models.DateTimeField(blank=True, null=True)),
                    ('attempts', models.PositiveIntegerField(default=0)),
                    ('last_error', models.TextField(blank=True)),
                ],
                options={
                    'db_table': 'accounts_outboxmessage',
                    'indexes': [models.Index(condition=models.Q(('sent_at__isnull', True)), fields=['created_at'], name='outbox_unsent_idx'), models.Index(fields=['sent_at'], name='outbox_sent_idx')],
                },
            ),
            ],
        ),
    ]
