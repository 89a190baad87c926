from django.db import migrations


def retire_feeds_of_closed_accounts(apps, schema_editor):
    """Accounts closed before calendar addresses were retired with them: their addresses go
    now, so a reactivation never brings an old one back."""
    CalendarFeed = apps.get_model("notifications", "CalendarFeed")
    CalendarFeed.objects.filter(user__is_active=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_reminder_mailed_index"),
        ("accounts", "0011_one_line_text_rule"),
    ]

    operations = [
        migrations.RunPython(retire_feeds_of_closed_accounts, migrations.RunPython.noop),
    ]
