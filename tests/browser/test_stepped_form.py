"""The request form in steps on a phone (issue #16 §3): one section a screen, each step checked by the server,
the answers to check with "แก้ไข" links, and the one-page form without JavaScript. axe checks every step; the
screenshots of each step go to /tmp/shots."""

import re

import pytest
from django.utils import timezone

from tests.browser.admin_session import watch_server_errors
from tests.browser.citizen_form import (
    draw_signature,
    fill_in_the_request,
    fill_in_the_request_in_steps,
    next_step,
    step_field,
)
from tests.browser.conftest import axe_violations, shoot
from tests.factories import png_bytes
from workflow.request.models import FootageRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUESTS = "/admin/snippets/cctv_workflow/footagerequest/"
CARD = [{"name": "บัตรประชาชน.png", "mimeType": "image/png", "buffer": png_bytes(size=(320, 200))}]


def progress(page) -> str:
    return page.locator("[data-step-progress]").inner_text().strip()


def altcha_state(page, *, seconds=15) -> str:
    """The anti-robot widget's state once it stopped working (the page's CSP forbids wait_for_function's eval)."""
    state = ""
    for _ in range(seconds * 10):
        state = page.evaluate("document.querySelector('altcha-widget').getState()")
        if state not in ("unverified", "verifying"):
            break
        page.wait_for_timeout(100)
    return state


def signature_painted(page) -> bool:
    return page.locator("canvas.signature__canvas").evaluate(
        "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0)"
    )


def test_citizen_sends_the_stepped_form_and_staff_see_the_request(live_server, form_page, phone, admin, staff):
    page = phone
    errors = watch_server_errors(page)
    checks = []
    page.on("request", lambda r: "check-step" in r.url and checks.append((r.method, r.url, r.post_data or "")))
    page.goto(live_server.url + form_page.url)
    assert progress(page) == "ขั้นที่ 1 จาก 8"
    assert page.evaluate("document.activeElement.hasAttribute('data-step-title')")
    assert not page.get_by_role("button", name="ส่งคำร้อง").is_visible()

    def on_step(number):
        assert axe_violations(page) == [], number
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shoot(page, f"step-{number}", full_page=True)

    fill_in_the_request_in_steps(page, card=CARD, copies=2, on_step=on_step)
    assert progress(page) == "ขั้นที่ 8 จาก 8"
    assert page.locator("[data-step-title]").inner_text() == "ตรวจสอบข้อมูลก่อนส่ง"
    answers = page.locator("[data-check-list]")
    for shown in ("สมศักดิ์", "ใจดี", "99/1", "081-234-5678", "ขอสำเนาข้อมูลภาพ", "บัตรประชาชน.png", "ลงลายมือชื่อแล้ว"):
        assert shown in answers.inner_text(), shown
    assert answers.get_by_role("link", name=re.compile("^แก้ไข")).count() > 20
    # The anti-robot check works while the citizen reads the answers.
    assert altcha_state(page) == "verified"
    assert axe_violations(page) == []
    shoot(page, "step-8-check", full_page=True)

    # Change the first name: back to its step, the value still there; then straight back to the check.
    answers.get_by_role("link", name="แก้ไข ชื่อ", exact=True).click()
    assert progress(page) == "ขั้นที่ 1 จาก 8"
    first_name = step_field(page, "ชื่อ")
    assert first_name.input_value() == "สมศักดิ์"
    assert page.evaluate("document.activeElement.name") == "first_name"
    first_name.fill("สมชาย")
    page.get_by_role("button", name="บันทึกและกลับไปหน้าตรวจสอบ").click()
    page.locator("[data-step-progress]").filter(has_text="ขั้นที่ 8 จาก 8").wait_for()
    assert "สมชาย" in answers.inner_text()

    # The file and the signature were never lost on the way.
    assert page.locator("input[name=id_card]").evaluate("i => i.files.length") == 1
    assert page.locator("input[name=signature]").input_value().startswith("data:image/png;base64,")

    # No step check sent a file, the proof of work, or anything in its address.
    assert checks and all(method == "POST" and url.endswith("/check-step/") for method, url, _body in checks)
    assert not [body for *_x, body in checks if "altcha=" in body or "id_card=" in body]

    page.get_by_role("button", name="ส่งคำร้อง").click()
    page.wait_for_url("**/request/submitted/")
    reference = page.locator("[data-reference]").inner_text().strip()
    assert reference.startswith(f"CCTV-{timezone.localdate().year + 543}-")
    assert axe_violations(page) == []
    shoot(page, "step-submitted", full_page=True)
    saved = FootageRequest.objects.get()
    assert (saved.first_name, saved.file_count) == ("สมชาย", 2)

    officer = admin.open_as(staff["officer"])
    officer.goto(live_server.url + REQUESTS)
    assert officer.get_by_role("link", name=reference).count() == 1
    assert errors == [] and page.console_errors == []


def test_going_back_keeps_the_values_and_the_signature(live_server, form_page, phone):
    page = phone
    page.goto(live_server.url + form_page.url)
    fill_in_the_request_in_steps(page, card=CARD)
    page.get_by_role("button", name="ย้อนกลับ").click()
    assert progress(page) == "ขั้นที่ 7 จาก 8"
    assert signature_painted(page)
    for _ in range(6):
        page.get_by_role("button", name="ย้อนกลับ").click()
    assert progress(page) == "ขั้นที่ 1 จาก 8"
    assert step_field(page, "นามสกุล").input_value() == "ใจดี"
    for number in range(2, 8):
        next_step(page, number)
    assert signature_painted(page)
    assert page.locator("input[name=signature]").input_value().startswith("data:image/png;base64,")
    assert page.console_errors == []


def test_a_step_error_from_the_server_is_shown_in_thai_and_gets_the_focus(live_server, form_page, phone):
    page = phone
    page.goto(live_server.url + form_page.url)
    step_field(page, "ชื่อ").fill("สมศักดิ์")
    step_field(page, "เลขบัตรประชาชน").fill("1234567890123")  # wrong check digit
    page.get_by_role("button", name="ถัดไป").click()
    summary = page.locator("[data-step-errors]")
    summary.wait_for(state="visible")
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.hasAttribute('data-step-errors')")
    assert "กรุณาแก้ไขข้อมูลต่อไปนี้" in summary.inner_text()
    assert "เลขบัตรประชาชน:" in summary.inner_text()
    assert "นามสกุล:" in summary.inner_text() and "บ้านเลขที่" not in summary.inner_text()
    assert progress(page) == "ขั้นที่ 1 จาก 8"
    national = step_field(page, "เลขบัตรประชาชน")
    assert national.get_attribute("aria-invalid") == "true"
    error_id = national.get_attribute("aria-describedby").split()[-1]
    assert page.locator(f"#{error_id}").inner_text().strip()
    assert step_field(page, "ชื่อ").input_value() == "สมศักดิ์"
    assert axe_violations(page) == []
    shoot(page, "step-1-error", full_page=True)
    summary.get_by_role("link", name=re.compile("^เลขบัตรประชาชน")).click()
    assert page.evaluate("document.activeElement.name") == "national_id"


def test_without_javascript_the_form_is_one_page_and_sends(live_server, form_page, browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="th-TH", java_script_enabled=False, is_mobile=True
    )
    page = context.new_page()
    errors = watch_server_errors(page)
    page.goto(live_server.url + form_page.url)
    assert page.locator("[data-step-progress]").is_visible() is False
    assert page.get_by_role("button", name="ถัดไป").count() == 0
    assert page.get_by_role("button", name="ส่งคำร้อง").is_visible()
    for label in ("ชื่อ", "บ้านเลขที่", "หมายเลขโทรศัพท์", "เหตุผล/ความจำเป็น", "สำเนาบัตรประชาชน"):
        assert step_field(page, label).is_visible(), label
    shoot(page, "no-js-form", full_page=True)
    page.get_by_role("button", name="ส่งคำร้อง").click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").is_visible()  # one page, checked as before
    assert page.locator("[data-step-progress]").is_visible() is False
    assert errors == []
    context.close()


def test_the_whole_form_on_one_page_is_the_citizens_choice(live_server, form_page, phone):
    page = phone
    page.goto(live_server.url + form_page.url)
    fill_in_the_request(page, card=CARD)  # chooses "the whole form on one page" first
    assert not page.locator("[data-step-progress]").is_visible()
    draw_signature(page)
    page.get_by_role("button", name="ส่งคำร้อง").click()
    page.wait_for_url("**/request/submitted/")
    assert FootageRequest.objects.count() == 1


def test_a_file_the_final_submit_refuses_opens_its_step_with_the_error(live_server, form_page, phone):
    page = phone
    errors = watch_server_errors(page)
    page.goto(live_server.url + form_page.url)
    not_an_image = [{"name": "card.png", "mimeType": "image/png", "buffer": b"not an image at all"}]
    fill_in_the_request_in_steps(page, card=not_an_image)  # the step checks presence only
    page.get_by_role("button", name="ส่งคำร้อง").click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for(state="visible")
    assert progress(page) == "ขั้นที่ 6 จาก 8"  # the documents, where the refused file is
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert "สำเนาบัตรประชาชน" in summary.inner_text()
    assert step_field(page, "สำเนาบัตรประชาชน").is_visible()
    assert page.locator("input[name=signature]").input_value().startswith("data:image/png;base64,")
    assert axe_violations(page) == []
    shoot(page, "step-6-refused-file", full_page=True)
    assert FootageRequest.objects.count() == 0
    assert errors == []


def test_long_station_names_and_where_cameras_look_are_readable_on_a_phone(live_server, form_page, phone):
    from tests.factories import CameraFactory, StationFactory

    long_name = "ศูนย์ราชการและลานจอดรถอเนกประสงค์ริมแม่น้ำวังฝั่งตะวันออกตรงข้ามตลาดสดเทศบาล"
    station = StationFactory(name_th=long_name, district="อ.เมือง")
    CameraFactory(station=station, code="C09", name="ทางเข้าหลัก", position="หันไปทางประตูทิศใต้และป้ายรถประจำทาง")
    page = phone
    page.goto(live_server.url + form_page.url)
    page.evaluate("() => window.cctvForms.steps.show(4)")  # straight to the incident's step (the fifth)
    step_field(page, "เหตุเกิดบริเวณ").select_option(value=str(station.pk))
    chosen = page.locator("[data-station-chosen]")
    assert chosen.inner_text().strip() == f"{long_name} (อ.เมือง)"
    box = chosen.bounding_box()
    assert box["x"] + box["width"] <= 360
    options = step_field(page, "กล้อง").locator("option")
    assert options.all_inner_texts() == ["C09 ทางเข้าหลัก · หันไปทางประตูทิศใต้และป้ายรถประจำทาง"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []
    shoot(page, "step-5-long-names", full_page=True)
