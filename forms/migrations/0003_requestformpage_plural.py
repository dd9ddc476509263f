"""A plural name for the request form page, so Django no longer adds an English s to the Thai name. Options only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cctv_forms", "0002_extra_questions_optional_thai_types"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="requestformpage",
            options={"verbose_name": "request form page", "verbose_name_plural": "request form pages"},
        ),
    ]
