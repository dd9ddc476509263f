"""Plural names for the home page, the privacy policy and the service settings, so Django no longer adds an English s
to the Thai name. Options only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cctv_home", "0002_approved_instructions_fallback"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="historicalservicesettings",
            options={
                "get_latest_by": ("history_date", "history_id"),
                "ordering": ("-history_date", "-history_id"),
                "verbose_name": "historical service settings",
                "verbose_name_plural": "historical service settings",
            },
        ),
        migrations.AlterModelOptions(
            name="homepage",
            options={"verbose_name": "home page", "verbose_name_plural": "home pages"},
        ),
        migrations.AlterModelOptions(
            name="privacypolicypage",
            options={"verbose_name": "privacy policy", "verbose_name_plural": "privacy policies"},
        ),
        migrations.AlterModelOptions(
            name="servicesettings",
            options={"verbose_name": "service settings", "verbose_name_plural": "service settings"},
        ),
    ]
