"""Approving from the queue in the real Wagtail admin (Thai), in Debian's chromium: the reference, then the
step's own "อนุมัติ" button (two clicks), back in the queue with a message; then what the citizen sees."""

import pytest
from playwright.sync_api import expect

from cctv.roles import APPROVAL_LEVELS
from tests.browser.admin_session import QUEUE, approve_from_the_queue, open_from_the_queue
from tests.browser.conftest import AXE, shoot
from tests.browser.test_admin_decisions import citizen_sees, fresh, new_request_at
from workflow.approval.models import Decision
from workflow.constants import DecisionAction
from workflow.lifecycle import PublicStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def footer_contrast_violations(page) -> list:
    """axe-core's colour-contrast rule on the footer's buttons (the admin is not axe-clean as a whole)."""
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run('footer', {runOnly: {type: 'rule', values: ['color-contrast']}})")
    return [node["target"] for violation in result["violations"] for node in violation["nodes"]]


def test_each_level_approves_from_its_queue_in_two_clicks(live_server, chain, staff, admin, browser):
    footage_request = chain["new"]()
    expected = {"officer": "received", "head": "received", "deputy": "received", "chief": "approved"}
    for level, status in expected.items():
        page = admin.open_as(staff[level])
        approve_from_the_queue(page, live_server.url, footage_request, shots=f"queue-{level}-request")
        message = page.locator(".messages").inner_text()
        assert footage_request.reference in message, message
        assert "อนุมัติคำร้อง" in message
        if level == "chief":
            assert "ขั้นสุดท้าย" in message
        else:
            assert f"รอการพิจารณาของ {APPROVAL_LEVELS[APPROVAL_LEVELS.index(level) + 1]}" in message
        # Back in the queue, which no longer lists it for this group.
        expect(page.get_by_role("heading", name="คำร้องที่รอการพิจารณาของฉัน")).to_be_visible()
        expect(page.get_by_role("link", name=footage_request.reference)).to_have_count(0)
        if level == "officer":
            shoot(page, "queue-after-approval")
        assert fresh(footage_request).public_status == status, level
        seen = citizen_sees(browser, live_server, footage_request)
        assert seen["status"] == ("อนุมัติแล้ว" if level == "chief" else "เจ้าหน้าที่รับเรื่องแล้ว"), level
        assert not seen["answer_form"]
    decisions = Decision.objects.filter(request=footage_request).order_by("pk")
    assert [(d.task_name, d.user, d.action) for d in decisions] == [
        (level, staff[level], DecisionAction.APPROVE) for level in APPROVAL_LEVELS
    ]


def test_the_step_actions_are_the_obvious_buttons(live_server, chain, staff, admin):
    footage_request = new_request_at(chain, "head")
    page = admin.open_as(staff["head"])
    open_from_the_queue(page, live_server.url, footage_request)
    footer = page.locator("footer")
    for label in ("อนุมัติ", "อนุมัติพร้อมความเห็น", "ขอข้อมูลเพิ่มเติม", "ไม่อนุมัติ", "ยกเลิกคำร้อง"):
        expect(footer.get_by_role("button", name=label, exact=True)).to_be_visible()
    expect(footer.get_by_role("button", name="บันทึกฉบับร่าง")).to_have_count(0)
    expect(footer.get_by_role("button", name="บันทึกข้อมูลติดต่อ")).to_be_visible()
    expect(footer.locator("[data-w-dropdown-target='toggle']")).to_have_count(0)  # no ▲ menu left
    shoot(page, "step-actions-footer")
    assert footer_contrast_violations(page) == []
    page.set_viewport_size({"width": 1024, "height": 768})  # a smaller office screen: the buttons wrap, none cut
    for label in ("อนุมัติ", "ยกเลิกคำร้อง", "บันทึกข้อมูลติดต่อ"):
        box = footer.get_by_role("button", name=label, exact=True).bounding_box()
        assert box["x"] + box["width"] <= 1024, label
    shoot(page, "step-actions-footer-1024")


def test_approving_with_a_comment_returns_to_the_queue(live_server, chain, staff, admin, browser):
    footage_request = new_request_at(chain, "head")
    page = admin.open_as(staff["head"])
    open_from_the_queue(page, live_server.url, footage_request)
    page.locator("footer").get_by_role("button", name="อนุมัติพร้อมความเห็น").click()
    modal = page.locator(".modal")
    modal.get_by_label("ความเห็น").fill("เอกสารครบ ส่งต่อปลัด")
    shoot(page, "approve-with-comment-modal")
    with page.expect_navigation():
        modal.get_by_role("button", name="อนุมัติพร้อมความเห็น").click()
    page.wait_for_url(live_server.url + QUEUE)
    assert footage_request.reference in page.locator(".messages").inner_text()
    decision = Decision.objects.get(request=footage_request, task_name="head")
    assert (decision.action, decision.comment) == (DecisionAction.APPROVE, "เอกสารครบ ส่งต่อปลัด")
    assert fresh(footage_request).current_workflow_task_state.task.name == "deputy"
    assert citizen_sees(browser, live_server, footage_request)["status"] == "เจ้าหน้าที่รับเรื่องแล้ว"


def test_asking_for_information_returns_to_the_queue(live_server, chain, staff, admin, browser):
    footage_request = new_request_at(chain, "officer")
    page = admin.open_as(staff["officer"])
    open_from_the_queue(page, live_server.url, footage_request)
    page.locator("footer").get_by_role("button", name="ขอข้อมูลเพิ่มเติม").click()
    page.locator(".modal").get_by_label("สิ่งที่ผู้ยื่นคำร้องต้องเพิ่มเติมหรือแก้ไข").fill("กรุณาแนบสำเนาบันทึกแจ้งความ")
    with page.expect_navigation():
        page.locator(".modal").get_by_role("button", name="ขอข้อมูลเพิ่มเติม").click()
    page.wait_for_url(live_server.url + QUEUE)
    assert "ขอข้อมูลเพิ่มเติม" in page.locator(".messages").inner_text()
    seen = citizen_sees(browser, live_server, footage_request)
    assert "กรุณาแนบสำเนาบันทึกแจ้งความ" in seen["message"]
    assert seen["answer_form"]
    assert fresh(footage_request).public_status == PublicStatus.RECEIVED
