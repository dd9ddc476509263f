"""PDPA erasure in the real Wagtail admin (Thai UI, Debian's chromium): the head of the centre asks to erase a
person's data, is shown what will go with a warning for the request still in progress, goes back without erasing,
then confirms; the citizen's status link then finds nothing. No response may be a server error."""

import pytest
from wagtail.models import ModelLogEntry

from tests.browser.conftest import shoot
from tests.factories import national_id
from workflow.request.models import FootageRequest
from workflow.request.services import cancel_request_by_applicant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/admin/cctv/data-subject/"
REASON = "คำขอลบข้อมูลตามมาตรา 33 ลงวันที่ 1 มีนาคม 2570"


def test_erasure_is_confirmed_first_and_warns_of_a_request_in_progress(live_server, chain, admin, browser):
    in_progress, ended = chain["new"](), chain["new"]()
    cancel_request_by_applicant(footage_request=ended)
    head = chain["users"]["head"]
    base = live_server.url
    page = admin.open_as(head)

    page.get_by_role("link", name="คำขอตาม PDPA").click()  # the admin's menu
    page.wait_for_url(base + URL)
    page.get_by_label("เลขบัตรประชาชน").fill(national_id())
    page.get_by_role("button", name="ค้นหา", exact=True).click()
    page.wait_for_load_state()
    page.get_by_label("เหตุผลในการลบ", exact=False).fill(REASON)
    page.get_by_role("button", name="ลบข้อมูลของบุคคลนี้").click()

    page.get_by_role("heading", name="ยืนยันการลบข้อมูลของบุคคลนี้").wait_for()
    warning = page.get_by_role("alert").filter(has_text="ยังอยู่ระหว่างดำเนินการ")
    assert in_progress.reference in warning.inner_text()
    assert ended.reference not in warning.inner_text()
    for reference in (in_progress.reference, ended.reference):
        assert page.locator(f"[data-erasure-item='{reference}']").count() == 1
    assert "สำเนาบัตรประชาชน" in page.locator("[data-erasure-confirmation]").inner_text()
    assert REASON in page.locator("[data-erasure-confirmation]").inner_text()
    shoot(page, "erasure_confirm", full_page=True)

    page.get_by_role("button", name="ไม่ลบ ย้อนกลับ").click()
    page.wait_for_load_state()
    assert FootageRequest.objects.count() == 2
    assert page.get_by_label("เลขบัตรประชาชน").input_value() == national_id()
    assert in_progress.reference in page.locator("main").inner_text()

    page.get_by_role("button", name="ลบข้อมูลของบุคคลนี้").click()
    page.get_by_role("button", name="ยืนยัน ลบข้อมูล").click()
    page.wait_for_url(base + URL)
    assert "ลบคำร้องแล้ว 2 รายการ" in page.locator(".messages").inner_text()
    assert not FootageRequest.objects.exists()
    assert ModelLogEntry.objects.filter(action="cctv.request.erase", user=head).count() == 2
    shoot(page, "erasure_done", full_page=True)

    citizen = browser.new_context(locale="th-TH").new_page()
    assert citizen.goto(f"{base}/status/{in_progress.token}/").status == 404
    citizen.context.close()
