"""Each request type's own text for an approved request (viewing and copying differ), filled for the types that
exist with the texts new types start with (workflow.request.models.DEFAULT_APPROVED_INSTRUCTIONS, copied here as
they were, as migrations keep their data)."""

from django.db import migrations, models

TEXTS = {
    "view": (
        "ท่านสามารถมาดูภาพได้ที่สำนักงาน โดยนำบัตรประจำตัวประชาชนตัวจริงมาด้วย "
        "กรุณาเลือกเวลาเข้าชมจากเวลาที่เจ้าหน้าที่เสนอไว้ในหน้านี้ หรือโทรติดต่อเจ้าหน้าที่เพื่อนัดเวลาก่อนเดินทางมา",
        "Come to the office to view the footage and bring your national ID card. Choose one of the times staff "
        "offer on this page, or call the staff to agree a time before you come.",
    ),
    "copy": (
        "ท่านสามารถนำอุปกรณ์บันทึกข้อมูล (เช่น แฟลชไดรฟ์) พร้อมบัตรประจำตัวประชาชนตัวจริง มารับสำเนาภาพได้ที่สำนักงาน "
        "หรือดาวน์โหลดสำเนาจากลิงก์ในหน้านี้เมื่อเจ้าหน้าที่จัดทำเสร็จแล้ว",
        "Bring a storage device (such as a USB flash drive) and your national ID card to the office to receive the "
        "copy, or download it from the link on this page once staff have made it.",
    ),
}


def fill(apps, schema_editor):
    RequestType = apps.get_model("cctv_workflow", "RequestType")
    for kind, (thai, english) in TEXTS.items():
        RequestType.objects.filter(kind=kind, approved_instructions_th="", approved_instructions_en="").update(
            approved_instructions_th=thai, approved_instructions_en=english
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cctv_workflow", "0017_notification_sending_claim"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalrequesttype",
            name="approved_instructions_en",
            field=models.TextField(blank=True, verbose_name="what to do after approval (English)"),
        ),
        migrations.AddField(
            model_name="historicalrequesttype",
            name="approved_instructions_th",
            field=models.TextField(
                blank=True,
                help_text="Shown to the applicant when a request of this type is approved.",
                verbose_name="what to do after approval (Thai)",
            ),
        ),
        migrations.AddField(
            model_name="requesttype",
            name="approved_instructions_en",
            field=models.TextField(blank=True, verbose_name="what to do after approval (English)"),
        ),
        migrations.AddField(
            model_name="requesttype",
            name="approved_instructions_th",
            field=models.TextField(
                blank=True,
                help_text="Shown to the applicant when a request of this type is approved.",
                verbose_name="what to do after approval (Thai)",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
