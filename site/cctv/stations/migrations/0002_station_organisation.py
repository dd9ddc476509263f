"""Stations belong to an organisation; codes are unique within it (ADR 0016)."""

import cctv.organisations.models
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cctv_organisations", "0002_first_organisation"),
        ("cctv_stations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalstation",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                default=cctv.organisations.models.sole_organisation_id,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="cctv_organisations.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AddField(
            model_name="station",
            name="organisation",
            field=models.ForeignKey(
                default=cctv.organisations.models.sole_organisation_id,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cctv_organisations.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AlterField(
            model_name="station",
            name="code",
            field=models.SlugField(max_length=30, verbose_name="code"),
        ),
        migrations.AddConstraint(
            model_name="station",
            constraint=models.UniqueConstraint(fields=("organisation", "code"), name="station_code_per_organisation"),
        ),
    ]
