"""Staff record that there is no footage on the admin handling screen, on a phone; the citizen's status page then
shows the outcome and no cancel button. axe-core checks the citizen's page; no response may be a server error."""

import pytest

from tests.browser.admin_session import sign_in, watch_server_errors
from tests.browser.conftest import axe_violations
from workflow.handling.models import NoFootageReason
from workflow.lifecycle import PublicStatus
from workflow.request.models import FootageRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_record_no_footage_and_the_citizen_sees_it(live_server, chain, phone):
    footage_request = chain["new"]()
    officer = chain["users"]["officer"]
    # A transactional test may have flushed the migration-seeded reasons: an editor's own reason stands in.
    reason = NoFootageReason.objects.create(text_th="กล้องบริเวณนี้ชำรุด", text_en="The camera was broken")
    page = phone
    server_errors = watch_server_errors(page)
    base = live_server.url

    sign_in(page, base, officer)
    page.goto(f"{base}/admin/cctv/requests/{footage_request.pk}/no-footage/")
    page.get_by_label("เหตุผล").select_option(str(reason.pk))
    page.get_by_label("ข้อความถึงผู้ยื่นคำร้อง").fill("กล้องบริเวณนี้ชำรุดในวันเกิดเหตุ")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.wait_for_url(f"{base}/admin/snippets/cctv_workflow/footagerequest/edit/{footage_request.pk}/")
    assert FootageRequest.objects.get(pk=footage_request.pk).public_status == PublicStatus.NO_FOOTAGE

    page.context.clear_cookies()
    page.goto(f"{base}/status/{footage_request.token}/")
    status = page.locator("[data-status]")
    assert status.inner_text() == "ไม่พบภาพจากกล้อง"
    no_footage = page.locator("[data-no-footage]")
    assert reason.text_th in no_footage.inner_text()
    assert "กล้องบริเวณนี้ชำรุดในวันเกิดเหตุ" in no_footage.inner_text()
    assert page.get_by_role("button", name="ยกเลิกคำร้องของฉัน").count() == 0
    assert axe_violations(page) == []
    assert page.console_errors == []
    assert server_errors == []
