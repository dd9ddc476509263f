"""The city manual's steps and time standards, the laws it lists, the usual no-footage reasons, and the
overwrite date of requests already submitted. Editors change all of them in the admin afterwards."""

from datetime import timedelta

from django.db import migrations

STEPS = [
    # code, Thai, English, public Thai, public English, minutes, unit, copies only, per camera, approval, note
    ("inquiry", "สอบถามรายละเอียดผู้ขอรูปภาพเหตุการณ์", "Inquiry with the applicant",
     "รับเรื่องและสอบถามรายละเอียด", "Request taken up", 1, "request", False, False, False, ""),
    ("documents", "ตรวจสอบเอกสาร", "Document check", "ตรวจสอบเอกสาร", "Documents checked",
     2, "request", False, False, False, ""),
    ("locate", "ตรวจสอบตำแหน่งกล้องบริเวณเกิดเหตุ", "Locate the cameras covering the incident",
     "ค้นหากล้องบริเวณเกิดเหตุ", "Cameras located", 2, "request", False, False, False, ""),
    ("review", "ตรวจสอบบันทึกเหตุการณ์กล้องโทรทัศน์วงจรปิดตามความประสงค์", "Review the recorded footage as asked",
     "ตรวจสอบภาพจากกล้อง", "Footage reviewed", 10, "camera", False, True, False, "ขึ้นอยู่กับประเภทเหตุการณ์"),
    ("copy_approval", "ขออนุมัติสำเนาไฟล์วิดีโอจากสำนักยุทธศาสตร์และงบประมาณ", "Approval to copy the video",
     "ขออนุมัติสำเนา", "Copy approved", 2, "request", True, False, True, ""),
    ("copy", "จัดทำสำเนาวิดีโอ", "Make the copy", "จัดทำสำเนาวิดีโอ", "Copy made",
     10, "camera", True, True, False, "ขึ้นอยู่กับเวลาวิดีโอที่ต้องการสำเนา"),
]

LAWS = [
    ("พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. ๒๕๖๒", "Personal Data Protection Act B.E. 2562 (2019)"),
    ("พระราชบัญญัติว่าด้วยการกระทำความผิดเกี่ยวกับคอมพิวเตอร์ พ.ศ. ๒๕๕๐", "Computer Crime Act B.E. 2550 (2007)"),
    ("พระราชบัญญัติว่าด้วยการกระทำความผิดเกี่ยวกับคอมพิวเตอร์ (ฉบับที่ ๒) พ.ศ. ๒๕๖๐",
     "Computer Crime Act (No. 2) B.E. 2560 (2017)"),
    ("พระราชบัญญัติการบริหารงานและการให้บริการภาครัฐผ่านระบบดิจิทัล พ.ศ. ๒๕๖๒",
     "Digital Government Administration and Services Act B.E. 2562 (2019)"),
    ("ระเบียบของหน่วยงานว่าด้วยหลักเกณฑ์การขอดูและสำเนาข้อมูลภาพจากกล้องโทรทัศน์วงจรปิด",
     "The organisation's regulation on viewing and copying CCTV footage"),
    ("ประกาศของหน่วยงาน เรื่อง หลักเกณฑ์การขอดู และขอสำเนาภาพกล้องโทรทัศน์วงจรปิด",
     "The organisation's announcement on the criteria for viewing and copying CCTV footage"),
]

NO_FOOTAGE = [
    ("กล้องบริเวณดังกล่าวไม่ได้บันทึกภาพในช่วงเวลาที่เกิดเหตุ (กล้องขัดข้อง)",
     "The camera there was not recording at the time (camera fault)"),
    ("ภาพในช่วงเวลาดังกล่าวถูกบันทึกทับแล้วตามระยะเวลาการจัดเก็บของเครื่องบันทึก",
     "The footage of that time has already been overwritten by the recorder"),
    ("ตรวจสอบแล้วไม่พบเหตุการณ์ตามที่แจ้งในช่วงเวลาดังกล่าว", "The footage was checked and the incident was not found"),
    ("ไม่มีกล้องที่มองเห็นจุดเกิดเหตุ", "No camera covers the place of the incident"),
]


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
