"""The city manual's steps and time standards, the laws it lists, the usual no-footage reasons, and the
overwrite date of requests already submitted. Editors change all of them in the admin afterwards."""

from datetime import timedelta

from django.db import migrations

# The manual's lists, kept where create_organisation copies them from for each later organisation.
from workflow.handling.manual_lists import LAWS, NO_FOOTAGE, STEPS


def seed(apps, schema_editor):
    ServiceStep = apps.get_model("cctv_workflow", "ServiceStep")
    LegalBasis = apps.get_model("cctv_workflow", "LegalBasis")
    NoFootageReason = apps.get_model("cctv_workflow", "NoFootageReason")
    for order, (code, th, en, pth, pen, minutes, unit, copies, per_camera, approval, note) in enumerate(STEPS):
        ServiceStep.objects.get_or_create(
            code=code,
            defaults=dict(
                name_th=th, name_en=en, public_name_th=pth, public_name_en=pen, standard_minutes=minutes, unit=unit,
                copies_only=copies, per_camera=per_camera, approval=approval, note_th=note, sort_order=order,
            ),
        )
    if not LegalBasis.objects.exists():
        for order, (th, en) in enumerate(LAWS):
            LegalBasis.objects.create(text_th=th, text_en=en, sort_order=order)
    if not NoFootageReason.objects.exists():
        for order, (th, en) in enumerate(NO_FOOTAGE):
            NoFootageReason.objects.create(text_th=th, text_en=en, sort_order=order)
    # One statement for the station's retention, then the few requests whose cameras keep less.
    sql = {
        "postgresql": (
            "UPDATE cctv_workflow_footagerequest AS r SET footage_overwritten_on = r.incident_date + s.recorder_retention_days "
            "FROM cctv_stations_station AS s WHERE s.id = r.station_id AND r.footage_overwritten_on IS NULL"
        ),
        "sqlite": (
            "UPDATE cctv_workflow_footagerequest SET footage_overwritten_on = date(incident_date, '+' || "
            "(SELECT recorder_retention_days FROM cctv_stations_station WHERE id = station_id) || ' days') "
            "WHERE footage_overwritten_on IS NULL"
        ),
    }[schema_editor.connection.vendor]
    schema_editor.execute(sql)
    FootageRequest = apps.get_model("cctv_workflow", "FootageRequest")
    shorter = FootageRequest.objects.filter(cameras__recorder_retention_days__isnull=False).distinct()
    for request in shorter.select_related("station").iterator():
        days = [
            camera.recorder_retention_days or request.station.recorder_retention_days
            for camera in request.cameras.all()
        ] or [request.station.recorder_retention_days]
        request.footage_overwritten_on = request.incident_date + timedelta(days=min(days))
        request.save(update_fields=["footage_overwritten_on"])


class Migration(migrations.Migration):
    dependencies = [("cctv_workflow", "0011_footage_handling")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
