"""Declining, asking for more information and cancelling through the real Wagtail admin footer's buttons and its
modal, at every level, in Debian's chromium; then what the citizen sees. A stale page is told who decided first."""

import pytest
from playwright.sync_api import expect
from wagtail.models import WorkflowState

from cctv.roles import APPROVAL_LEVELS
from workflow.approval.models import Decision
from workflow.approval.services import approve_step
from workflow.constants import DecisionAction
from workflow.lifecycle import PublicStatus
from workflow.request.models import FootageRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALREADY_DECIDED = "คำร้องนี้ได้รับการพิจารณาแล้วโดย"


def fresh(footage_request) -> FootageRequest:
    return FootageRequest.objects.get(pk=footage_request.pk)


def new_request_at(chain, level):
    """A new request waiting on ``level``: the levels before it approved."""
    footage_request = chain["new"]()
    for earlier in APPROVAL_LEVELS[: APPROVAL_LEVELS.index(level)]:
        approve_step(task_state=fresh(footage_request).current_workflow_task_state, user=chain["users"][earlier])
    return footage_request


def footer_action(page, label, *, navigates=False):
    """Clicks the step's action, one of the footer's own buttons (no menu to open); a modal action opens the
    modal, a plain one posts."""
    button = page.locator("footer").get_by_role("button", name=label, exact=True)
    if navigates:
        with page.expect_navigation():
            button.click()
    else:
        button.click()


def field(modal, label):
    """A modal field by its Thai label (which Wagtail follows with "*" when required)."""
    return modal.get_by_label(label)


def submit_modal(page, label):
    """The modal's own button sends the form; the page then posts the edit form with the data and reloads."""
    with page.expect_navigation():
        page.locator(".modal").get_by_role("button", name=label).click()


def decline_in_the_modal(page, reason: str, comment: str) -> None:
    """The step's "ไม่อนุมัติ": the reason chosen and the comment typed in the modal, then sent."""
    footer_action(page, "ไม่อนุมัติ")
    modal = page.locator(".modal")
    field(modal, "เหตุผล").select_option(label=reason)
    field(modal, "ความเห็น").fill(comment)
    submit_modal(page, "ไม่อนุมัติ")


def citizen_sees(browser, live_server, footage_request) -> dict:
    """The citizen's status page: the badge, the staff's message, and whether it offers the form for an answer."""
    context = browser.new_context(locale="th-TH")
    page = context.new_page()
    page.goto(f"{live_server.url}/status/{footage_request.token}/")
    message = page.locator("[data-public-message]")
    seen = {
        "status": page.locator("[data-status]").inner_text().strip(),
        "message": message.inner_text() if message.count() else "",
        "answer_form": page.locator("[name=note]").count() > 0,
    }
    context.close()
    return seen


@pytest.mark.parametrize("level", APPROVAL_LEVELS)
def test_each_level_declines_through_the_modal(live_server, chain, staff, admin, browser, level):
    footage_request = new_request_at(chain, level)
    page = admin.open_as(staff[level])
    admin.open_request(page, footage_request)
    decline_in_the_modal(page, chain["reason"].text_th, "ไม่มีกล้องบริเวณที่ระบุ")

    stored = fresh(footage_request)
    assert stored.public_status == PublicStatus.CANCELLED
    decision = Decision.objects.get(request=footage_request, action=DecisionAction.DECLINE)
    assert (decision.task_name, decision.user, decision.reason) == (level, staff[level], chain["reason"])
    seen = citizen_sees(browser, live_server, footage_request)
    assert seen["status"] == "ยกเลิก"
    assert chain["reason"].text_th in seen["message"] and "ไม่มีกล้องบริเวณที่ระบุ" in seen["message"]
    assert not seen["answer_form"]


@pytest.mark.parametrize("level", APPROVAL_LEVELS)
def test_each_level_asks_for_more_information(live_server, chain, staff, admin, browser, level):
    footage_request = new_request_at(chain, level)
    page = admin.open_as(staff[level])
    admin.open_request(page, footage_request)
    footer_action(page, "ขอข้อมูลเพิ่มเติม")
    field(page.locator(".modal"), "สิ่งที่ผู้ยื่นคำร้องต้องเพิ่มเติมหรือแก้ไข").fill("กรุณาแนบสำเนาบันทึกแจ้งความ")
    submit_modal(page, "ขอข้อมูลเพิ่มเติม")

    assert fresh(footage_request).public_status == PublicStatus.RECEIVED
    state = WorkflowState.objects.get(object_id=str(footage_request.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.task.name == level
    seen = citizen_sees(browser, live_server, footage_request)
    assert "เจ้าหน้าที่ขอข้อมูลเพิ่มเติม" in seen["message"] and "กรุณาแนบสำเนาบันทึกแจ้งความ" in seen["message"]
    assert seen["answer_form"]


@pytest.mark.parametrize("level", APPROVAL_LEVELS)
def test_each_level_cancels_a_request(live_server, chain, staff, admin, browser, level):
    footage_request = new_request_at(chain, level)
    page = admin.open_as(staff[level])
    admin.open_request(page, footage_request)
    footer_action(page, "ยกเลิกคำร้อง")
    field(page.locator(".modal"), "เหตุผลที่ยกเลิกคำร้อง").fill("ผู้ร้องแจ้งยกเลิกทางโทรศัพท์")
    submit_modal(page, "ยกเลิกคำร้อง")

    assert fresh(footage_request).public_status == PublicStatus.CANCELLED
    assert WorkflowState.objects.get(object_id=str(footage_request.pk)).status == WorkflowState.STATUS_CANCELLED
    seen = citizen_sees(browser, live_server, footage_request)
    assert seen["status"] == "ยกเลิก"
    assert "ผู้ร้องแจ้งยกเลิกทางโทรศัพท์" in seen["message"]


def test_a_stale_click_is_told_who_decided_first(live_server, chain, staff, admin):
    footage_request = chain["new"]()
    first, second = admin.open_as(staff["officer2"]), admin.open_as(staff["officer"])
    admin.open_request(first, footage_request)
    admin.open_request(second, footage_request)  # both see the officer's step

    footer_action(first, "อนุมัติ", navigates=True)
    assert fresh(footage_request).public_status == PublicStatus.RECEIVED

    footer_action(second, "ไม่อนุมัติ")  # the modal of a decided step says so and stays open
    expect(second.locator(".modal .modal-body")).to_contain_text(f"{ALREADY_DECIDED} officer2")
    second.locator(".modal [data-dismiss='modal']").click()
    second.locator(".modal").wait_for(state="hidden")
    footer_action(second, "อนุมัติ", navigates=True)
    assert f"{ALREADY_DECIDED} officer2" in second.locator(".messages").inner_text()

    assert Decision.objects.filter(request=footage_request).count() == 1
    stored = fresh(footage_request)
    assert stored.public_status == PublicStatus.RECEIVED
    assert stored.current_workflow_task_state.task.name == "head"
