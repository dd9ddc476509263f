"""The public request form as a citizen fills it in on a phone: controls found by their visible Thai labels, a
signature drawn with the finger, and the whole form filled in for the factories' applicant (สมศักดิ์ ใจดี)."""

import re
from datetime import timedelta

from django.utils import timezone

from cctv.thai.dates import format_be_date
from tests.factories import national_id


def field(page, label):
    """The control whose label is exactly ``label`` (a required field's label ends with " *")."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}( \*)?\s*$"))


def draw_signature(page):
    canvas = page.locator("canvas.signature__canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 20, box["y"] + box["height"] * (0.3 if step % 2 else 0.7), steps=3)
    page.mouse.up()


def fill_in_the_request(page, *, card, report=None, copies=0):
    """Every question of the core form, as the applicant answers it: to view the footage, or for ``copies`` files
    of it; an incident three days ago; the ID card (and the police report), each a path or the payload
    ``set_input_files`` takes; the privacy consent; the signature. Not sent."""
    field(page, "คำนำหน้าชื่อ").select_option(label="นาย")
    field(page, "ชื่อ").fill("สมศักดิ์")
    field(page, "นามสกุล").fill("ใจดี")
    field(page, "เลขบัตรประชาชน").fill(national_id())
    field(page, "อายุ").fill("40")
    field(page, "บ้านเลขที่").fill("99/1")
    field(page, "ตำบล/แขวง").fill("ศาลา")
    field(page, "อำเภอ/เขต").fill("เกาะคา")
    field(page, "จังหวัด").fill("ลำปาง")
    field(page, "รหัสไปรษณีย์").fill("52130")
    field(page, "หมายเลขโทรศัพท์").fill("081-234-5678")
    if copies:
        field(page, "ขอสำเนาข้อมูลภาพ").check()
        field(page, "จำนวนไฟล์ที่ขอ").fill(str(copies))
    else:
        field(page, "ขอดูข้อมูลภาพ").check()
    field(page, "เหตุเกิดบริเวณ").select_option(label="สวนสาธารณะหนองกระทิง (อ.เมือง)")
    field(page, "วันที่เกิดเหตุ").fill(format_be_date(timezone.localdate() - timedelta(days=3)))
    field(page, "เวลา (โดยประมาณ)").fill("14:30")
    field(page, "เหตุผล/ความจำเป็น").fill("ต้องการค้นหาโทรศัพท์ที่ทำหาย")
    field(page, "สำเนาบัตรประชาชน").set_input_files(card)
    if report is not None:
        field(page, "สำเนาบันทึกแจ้งความ").set_input_files(report)
    field(page, "ข้าพเจ้าได้อ่านและยอมรับนโยบายความเป็นส่วนตัวแล้ว").check()
    draw_signature(page)
