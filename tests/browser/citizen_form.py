"""The public request form as a citizen fills it in on a phone: controls found by their visible Thai labels, a
signature drawn with the finger, and the whole form filled in for the factories' applicant (สมศักดิ์ ใจดี)."""

import re
from datetime import timedelta

from django.utils import timezone

from cctv.thai.dates import format_be_date
from tests.factories import national_id


def field(page, label):
    """The control whose label is exactly ``label`` (a required field's label ends with " *"). On the stepped form
    (forms/js/form-steps.js) it first chooses "the whole form on one page", as a citizen may: the tests of single
    fields see the form as one page; those of the steps use ``step_field``."""
    one_page(page)
    return step_field(page, label)


def one_page(page):
    """On the stepped form, chooses "แสดงแบบฟอร์มทั้งหมดในหน้าเดียว" (in English too; nothing when the form is one
    page already)."""
    whole = page.get_by_role("button", name=re.compile("^(แสดงแบบฟอร์มทั้งหมดในหน้าเดียว|Show the whole form on one page)$"))
    if whole.count() and whole.is_visible():
        whole.click()


def step_field(page, label):
    """``field`` without leaving the steps: the control on the step shown."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}( \*)?\s*$"))


def next_step(page, expect_step: int | None = None):
    """Presses "ถัดไป" (the server checks the step) and waits for step ``expect_step`` (1-based) to show."""
    page.get_by_role("button", name="ถัดไป").click()
    if expect_step is not None:
        page.locator("[data-step-progress]").filter(has_text=f"ขั้นที่ {expect_step} จาก").wait_for()


def fill_in_the_request_in_steps(page, *, card, copies=0, on_step=None, told_by=None):
    """The applicant's answers (as ``fill_in_the_request``), one step at a time, each checked by the server, up to
    the check of the answers; ``on_step(number)`` runs on each step once it is filled in (screenshots, axe);
    ``told_by`` is the label of the way to be told chosen on the contact step (SMS when None)."""
    on_step = on_step or (lambda number: None)
    f = lambda label: step_field(page, label)  # noqa: E731
    f("คำนำหน้าชื่อ").select_option(label="นาย")
    f("ชื่อ").fill("สมศักดิ์")
    f("นามสกุล").fill("ใจดี")
    f("เลขบัตรประชาชน").fill(national_id())
    f("อายุ").fill("40")
    on_step(1)
    next_step(page, 2)
    f("บ้านเลขที่").fill("99/1")
    f("ตำบล/แขวง").fill("ศาลา")
    f("อำเภอ/เขต").fill("เกาะคา")
    f("จังหวัด").fill("ลำปาง")
    f("รหัสไปรษณีย์").fill("52130")
    on_step(2)
    next_step(page, 3)
    f("หมายเลขโทรศัพท์").fill("081-234-5678")
    if told_by:
        page.get_by_role("radio", name=told_by, exact=True).check()
    on_step(3)
    next_step(page, 4)
    if copies:
        f("ขอสำเนาข้อมูลภาพ").check()
        f("จำนวนไฟล์ที่ขอ").fill(str(copies))
    else:
        f("ขอดูข้อมูลภาพ").check()
    on_step(4)
    next_step(page, 5)
    f("เหตุเกิดบริเวณ").select_option(label="สวนสาธารณะหนองกระทิง (อ.เมือง)")
    f("วันที่เกิดเหตุ").fill(format_be_date(timezone.localdate() - timedelta(days=3)))
    f("เวลา (โดยประมาณ)").fill("14:30")
    f("เหตุผล/ความจำเป็น").fill("ต้องการค้นหาโทรศัพท์ที่ทำหาย")
    on_step(5)
    next_step(page, 6)
    f("สำเนาบัตรประชาชน").set_input_files(card)
    on_step(6)
    next_step(page, 7)
    f("ข้าพเจ้าได้อ่านและยอมรับนโยบายความเป็นส่วนตัวแล้ว").check()
    draw_signature(page)
    on_step(7)
    next_step(page, 8)


def draw_signature(page):
    canvas = page.locator("canvas.signature__canvas")
    if not canvas.is_visible():  # another step of the stepped form is shown
        one_page(page)
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
