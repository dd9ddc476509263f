"""Requests are no longer in Wagtail's search index (staff search uses indexed columns): remove their entries."""

from django.db import migrations


def forget(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    IndexEntry = apps.get_model("wagtailsearch", "IndexEntry")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    content_type = ContentType.objects.filter(app_label="cctv_workflow", model="footagerequest").first()
    if content_type is not None:
        IndexEntry.objects.filter(content_type=content_type).delete()
        ReferenceIndex.objects.filter(base_content_type=content_type).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cctv_workflow", "0014_handling_permissions"),
        ("wagtailsearch", "0010_add_text_fields"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
