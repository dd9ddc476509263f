"""A citizen on a phone fills in the form by its visible Thai labels, signs, uploads, submits, and follows the
status link; axe-core checks every page on the way."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cctv.thai.dates import THAI_MONTHS, format_be_date
from tests.browser.citizen_form import draw_signature, field, fill_in_the_request
from tests.browser.conftest import axe_violations
from tests.factories import national_id, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def files(tmp_path):
    card = tmp_path / "บัตรประชาชน.png"
    card.write_bytes(png_bytes(size=(320, 200)))
    report = tmp_path / "report.png"
    report.write_bytes(png_bytes(size=(200, 300)))
    return card, report


def test_citizen_submits_on_a_phone_and_checks_the_status(live_server, form_page, phone, files):
    page = phone
    page.goto(live_server.url + form_page.url)
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    today = timezone.localdate()
    fill_in_the_request(page, copies=2, card=str(files[0]), report=str(files[1]))
    assert page.locator("input[name=signature]").input_value().startswith("data:image/png;base64,")

    page.get_by_role("button", name="ส่งคำร้อง").click()
    page.wait_for_url("**/request/submitted/")
    reference = page.locator("[data-reference]").inner_text().strip()
    assert reference.startswith(f"CCTV-{today.year + 543}-")
    assert page.locator(".qr img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert axe_violations(page) == []

    page.get_by_role("link", name="เปิดหน้าสถานะคำร้อง").click()
    assert page.locator("[data-status]").inner_text().strip() == "รออนุมัติ"
    assert reference in page.content()
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_a_mistake_keeps_signature_and_files(live_server, form_page, phone, files):
    page = phone
    page.goto(live_server.url + form_page.url)
    field(page, "เลขบัตรประชาชน").fill("1234567890123")  # wrong check digit; the rest left empty
    field(page, "สำเนาบัตรประชาชน").set_input_files(str(files[0]))
    draw_signature(page)
    page.get_by_role("button", name="ส่งคำร้อง").click()  # the anti-robot check solves, then the form is sent
    summary = page.locator("[data-error-summary]")
    summary.wait_for(state="visible")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.locator("input[name=signature]").input_value().startswith("data:image/png;base64,")
    assert page.locator(".field__kept").count() == 1
    # The redrawn signature is on the canvas again, not only in the hidden field.
    painted = page.locator("canvas.signature__canvas").evaluate(
        "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0)"
    )
    assert painted
    assert axe_violations(page) == []


def test_status_lookup_finds_the_request_after_the_anti_robot_check(
    live_server, form_page, phone, stations, request_types
):
    from tests.factories import submission
    from workflow.request.services import submit_request

    found = submit_request(submission=submission(station=stations[0], request_type=request_types["view"]))
    page = phone
    page.goto(live_server.url + "/status/")
    assert axe_violations(page) == []
    field(page, "เลขบัตรประชาชน").fill(national_id())
    field(page, "หมายเลขโทรศัพท์").fill("081-234-5678")
    page.get_by_role("button", name="ค้นหา").click()
    page.wait_for_url(f"**/status/{found.token}/")
    assert page.locator("[data-status]").inner_text().strip() == "รออนุมัติ"
    assert page.console_errors == []


def test_calendar_works_by_keyboard_with_thai_months_and_be_years(live_server, form_page, phone):
    page = phone
    page.goto(live_server.url + form_page.url)
    date_input = field(page, "วันที่เกิดเหตุ")
    date_input.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    today = timezone.localdate()
    assert dialog.get_by_role("heading").inner_text() == f"{THAI_MONTHS[today.month - 1]} {today.year + 543}"
    page.keyboard.press("ArrowLeft")  # yesterday
    page.keyboard.press("Enter")
    assert date_input.input_value() == format_be_date(today - timedelta(days=1))
    assert page.get_by_role("dialog").count() == 0
    # Escape closes and gives focus back to the calendar button.
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.classList.contains('calendar-toggle')")


def test_pages_load_nothing_from_other_origins(live_server, form_page, phone):
    requested = []
    phone.on("request", lambda request: requested.append(request.url))
    for path in (form_page.url, "/status/", "/"):
        phone.goto(live_server.url + path)
    assert requested
    assert [url for url in requested if not url.startswith(live_server.url)] == []


def test_form_works_on_a_wide_screen_too(live_server, form_page, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + form_page.url)
    assert axe_violations(page) == []
    context.close()
