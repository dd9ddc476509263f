"""The applicant rates the service on their phone once the request has ended, and the head of the centre reads it
in the satisfaction report from the admin's Reports menu, and downloads it as CSV (Thai, Debian's chromium,
360 by 740). No response may be a server error; axe finds nothing on the status page, before and after."""

import pytest
from playwright.sync_api import expect

from tests.browser.admin_session import watch_server_errors
from tests.browser.conftest import axe_violations, shoot
from workflow.approval.services import decline_request
from workflow.satisfaction.models import SatisfactionRating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_applicant_rates_and_the_head_reads_the_report(live_server, chain, admin, phone):
    footage_request = chain["new"]()
    decline_request(
        task_state=footage_request.current_workflow_task_state,
        user=chain["users"]["officer"],
        reason_id=chain["reason"].pk,
        comment="ไม่มีกล้องที่จุดนี้",
    )
    page = phone
    server_errors = watch_server_errors(page)
    page.goto(f"{live_server.url}/status/{footage_request.token}/")
    section = page.locator("[data-satisfaction]")
    expect(section.get_by_role("heading", name="ความพึงพอใจต่อบริการ")).to_be_visible()
    assert axe_violations(page) == []

    # Sent with no score: the error, and the comment typed is still there.
    section.get_by_role("textbox", name="ข้อเสนอแนะเพิ่มเติม (ไม่บังคับ)").fill("อยากให้ตอบเร็วกว่านี้")
    section.get_by_role("button", name="ส่งการประเมิน").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("กรุณาเลือกระดับความพึงพอใจ ตั้งแต่ 1 ถึง 5")
    expect(page.get_by_role("textbox", name="ข้อเสนอแนะเพิ่มเติม (ไม่บังคับ)")).to_have_value("อยากให้ตอบเร็วกว่านี้")
    assert axe_violations(page) == []

    page.get_by_role("radio", name="ไม่พอใจ", exact=True).check()
    shoot(page, "satisfaction-form", full_page=True)
    page.get_by_role("button", name="ส่งการประเมิน").click()
    expect(page.locator("[data-rating]")).to_contain_text("ท่านให้คะแนนบริการ 2 จาก 5 (ไม่พอใจ)")
    expect(page.locator("[data-contact-office]")).to_be_visible()
    expect(page.get_by_text("ขอบคุณที่ประเมินความพึงพอใจต่อบริการ")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "satisfaction-thanks", full_page=True)
    rating = SatisfactionRating.objects.get(request=footage_request)
    assert (rating.score, rating.comment) == (2, "อยากให้ตอบเร็วกว่านี้")
    assert server_errors == []
    # The one console line is the form sent without a score, answered 400 with its errors, as it should be.
    assert page.console_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]

    head = admin.open_as(chain["users"]["head"])
    head.get_by_role("button", name="รายงาน").click()
    panel = head.locator(".sidebar-sub-menu-panel").filter(has_text="รายงาน")
    with head.expect_navigation():
        panel.get_by_role("link", name="ความพึงพอใจ").click()
    expect(head.get_by_role("heading", name="ความพึงพอใจ")).to_be_visible()
    row = head.locator("table tbody tr").first
    expect(row).to_contain_text(footage_request.request_type.name_th)
    expect(row).to_contain_text("ธันวาคม 2569")
    shoot(head, "satisfaction-report")
    head.get_by_role("button", name="การดำเนินการ").click()
    with head.expect_download() as download:
        head.get_by_role("link", name="ดาวน์โหลด CSV").click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.splitlines()[0].startswith("เดือน,ประเภทคำร้อง,จำนวนผู้ประเมิน")
    assert admin.server_errors() == [] and admin.script_errors == []
