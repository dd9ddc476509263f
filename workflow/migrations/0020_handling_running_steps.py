"""A step record without an end: the work was started with the request page's start button and is under way."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cctv_workflow", "0019_notification_event_received"),
    ]

    operations = [
        migrations.AlterField(
            model_name="steprecord",
            name="ended_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="ended"),
        ),
    ]
