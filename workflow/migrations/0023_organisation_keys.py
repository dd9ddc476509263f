"""Every list and every request gets its organisation's key (ADR 0016); the rows that exist go to the one
organisation of the installation (cctv_organisations 0002), through the key's default. The reference counters
run per organisation and year from now on."""

import cctv.organisations.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_counters(apps, schema_editor):
    """The year counters so far belong to the one organisation the rows above were given."""
    Organisation = apps.get_model("cctv_organisations", "Organisation")
    ReferenceSequence = apps.get_model("cctv_workflow", "ReferenceSequence")
    ReferenceCounter = apps.get_model("cctv_workflow", "ReferenceCounter")
    sequences = list(ReferenceSequence.objects.all())
    if not sequences:
        return
    organisation = Organisation.objects.order_by("pk").first()
    if organisation is None or Organisation.objects.count() != 1:
        raise RuntimeError("Reference counters exist but there is not exactly one organisation to give them to.")
    ReferenceCounter.objects.bulk_create(
        ReferenceCounter(organisation=organisation, year_be=s.year_be, last_number=s.last_number) for s in sequences
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cctv_organisations", "0002_first_organisation"),
        ("cctv_stations", "0002_station_organisation"),
        ("cctv_workflow", "0022_notification_names"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReferenceCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year_be", models.PositiveIntegerField()),
                ("last_number", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RemoveConstraint(
            model_name="messagetemplate",
            name="one_template_per_event_channel",
        ),
        migrations.RemoveConstraint(
            model_name="requeststatistic",
            name="one_row_per_bucket",
        ),
        migrations.AddField(
            model_name="footagerequest",
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
        migrations.AddField(
            model_name="historicallegalbasis",
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
            model_name="historicalmessagetemplate",
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
            model_name="historicalnofootagereason",
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
            model_name="historicalrefusalreason",
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
            model_name="historicalrequesttype",
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
            model_name="historicalservicestep",
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
            model_name="legalbasis",
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
        migrations.AddField(
            model_name="messagetemplate",
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
        migrations.AddField(
            model_name="nofootagereason",
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
        migrations.AddField(
            model_name="refusalreason",
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
        migrations.AddField(
            model_name="requeststatistic",
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
        migrations.AddField(
            model_name="requesttype",
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
        migrations.AddField(
            model_name="servicestep",
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
            model_name="historicalrequesttype",
            name="kind",
            field=models.CharField(
                choices=[("view", "View footage"), ("copy", "Copy footage")], max_length=10, verbose_name="kind"
            ),
        ),
        migrations.AlterField(
            model_name="requesttype",
            name="kind",
            field=models.CharField(
                choices=[("view", "View footage"), ("copy", "Copy footage")], max_length=10, verbose_name="kind"
            ),
        ),
        migrations.AlterField(
            model_name="servicestep",
            name="code",
            field=models.SlugField(max_length=40, verbose_name="code"),
        ),
        migrations.AddIndex(
            model_name="footagerequest",
            index=models.Index(fields=["organisation", "-submitted_at"], name="request_organisation_submitted"),
        ),
        migrations.AddConstraint(
            model_name="messagetemplate",
            constraint=models.UniqueConstraint(
                fields=("organisation", "event", "channel"), name="one_template_per_organisation_event_channel"
            ),
        ),
        migrations.AddConstraint(
            model_name="requeststatistic",
            constraint=models.UniqueConstraint(
                fields=("organisation", "month", "station_code", "kind", "final_status"),
                name="one_row_per_organisation_bucket",
            ),
        ),
        migrations.AddConstraint(
            model_name="requesttype",
            constraint=models.UniqueConstraint(fields=("organisation", "kind"), name="request_kind_per_organisation"),
        ),
        migrations.AddConstraint(
            model_name="servicestep",
            constraint=models.UniqueConstraint(fields=("organisation", "code"), name="step_code_per_organisation"),
        ),
        migrations.AddField(
            model_name="referencecounter",
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
        migrations.AddConstraint(
            model_name="referencecounter",
            constraint=models.UniqueConstraint(
                fields=("organisation", "year_be"), name="one_counter_per_organisation_year"
            ),
        ),
        migrations.RunPython(copy_counters, migrations.RunPython.noop),
        migrations.DeleteModel(
            name="ReferenceSequence",
        ),
    ]
