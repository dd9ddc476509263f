import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Organisation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name_th", models.CharField(max_length=200, verbose_name="name (Thai)")),
                ("name_en", models.CharField(blank=True, max_length=200, verbose_name="name (English)")),
                (
                    "code",
                    models.CharField(
                        help_text="Starts every reference number of this organisation, e.g. CCTV-2569-000001.",
                        max_length=12,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Z][A-Z0-9]{1,11}$", "Capital Latin letters and digits, from 2 to 12 of them."
                            )
                        ],
                        verbose_name="reference prefix",
                    ),
                ),
                (
                    "active",
                    models.BooleanField(
                        default=True,
                        help_text="A closed organisation's public pages say the service is closed; its data stays "
                        "under retention.",
                        verbose_name="open",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "site",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="organisation",
                        to="wagtailcore.site",
                        verbose_name="site",
                    ),
                ),
                (
                    "members",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Staff of this organisation. Their groups say what they may do; this says where.",
                        related_name="organisations",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="staff",
                    ),
                ),
            ],
            options={
                "verbose_name": "organisation",
                "verbose_name_plural": "organisations",
                "ordering": ["name_th"],
            },
        ),
    ]
