"""Plural names for the models that had only a singular, so Django no longer adds an English s to the Thai name
("2 บันทึกการปฏิบัติงานs"). Only model options change."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cctv_workflow", "0020_handling_running_steps"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="appointment",
            options={
                "ordering": ["starts_at", "pk"],
                "verbose_name": "appointment",
                "verbose_name_plural": "appointments",
            },
        ),
        migrations.AlterModelOptions(
            name="attachment",
            options={"ordering": ["pk"], "verbose_name": "attachment", "verbose_name_plural": "attachments"},
        ),
        migrations.AlterModelOptions(
            name="decision",
            options={"ordering": ["created_at", "pk"], "verbose_name": "decision", "verbose_name_plural": "decisions"},
        ),
        migrations.AlterModelOptions(
            name="footagepreservation",
            options={
                "ordering": ["created_at", "pk"],
                "verbose_name": "footage preservation",
                "verbose_name_plural": "footage preservations",
            },
        ),
        migrations.AlterModelOptions(
            name="privacydecision",
            options={
                "ordering": ["created_at", "pk"],
                "verbose_name": "privacy decision",
                "verbose_name_plural": "privacy decisions",
            },
        ),
        migrations.AlterModelOptions(
            name="requeststatistic",
            options={"verbose_name": "request statistic", "verbose_name_plural": "request statistics"},
        ),
        migrations.AlterModelOptions(
            name="reviewfinding",
            options={
                "ordering": ["created_at", "pk"],
                "verbose_name": "review finding",
                "verbose_name_plural": "review findings",
            },
        ),
        migrations.AlterModelOptions(
            name="steprecord",
            options={
                "ordering": ["started_at", "pk"],
                "permissions": [
                    ("handle_footage", "Can record the handling of footage requests"),
                    ("view_service_report", "Can see the time-against-standard report"),
                ],
                "verbose_name": "step record",
                "verbose_name_plural": "step records",
            },
        ),
    ]
