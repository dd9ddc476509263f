"""The installation's one organisation, on its default site, so that the keys added next have an owner for the rows
that exist (ADR 0016). Its reference prefix is the one every reference so far has carried."""

from django.db import migrations


def first_organisation(apps, schema_editor):
    Organisation = apps.get_model("cctv_organisations", "Organisation")
    Site = apps.get_model("wagtailcore", "Site")
    ServiceSettings = apps.get_model("cctv_home", "ServiceSettings")
    if Organisation.objects.exists():
        return
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.order_by("pk").first()
    if site is None:
        return
    service = ServiceSettings.objects.filter(site=site).first()
    name = (service.organisation_name if service else "") or site.site_name or site.hostname
    Organisation.objects.create(
        site=site,
        name_th=name,
        name_en=(service.organisation_name_en if service else "") or "",
        code="CCTV",
    )


class Migration(migrations.Migration):
    dependencies = [("cctv_organisations", "0001_initial"), ("cctv_home", "0003_verbose_name_plurals")]

    operations = [migrations.RunPython(first_organisation, migrations.RunPython.noop)]
