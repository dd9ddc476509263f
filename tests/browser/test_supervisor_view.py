"""Supervisors read any request in the real Wagtail admin (Thai), in Debian's chromium: the head of the centre
opens one still with the officers from the request list, and the chief one they approved. Reading shows
everything, offers nothing to decide or save, is access-logged, and changes nothing the citizen sees."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.browser.test_admin_decisions import citizen_sees, fresh, new_request_at
from workflow.approval.models import Decision
from workflow.approval.services import approve_step
from workflow.lifecycle import PublicStatus
from workflow.privacy.models import AccessLog
from workflow.request.models import Attachment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSED = "ขออภัย"
SNIPPETS = "wagtailsnippets_cctv_workflow_footagerequest"


def open_from_the_list(page, footage_request):
    """The way a supervisor gets there: the menu's request list, then the reference."""
    page.get_by_role("link", name="คำร้องขอข้อมูลภาพ").first.click()
    page.wait_for_load_state()
    with page.expect_navigation():
        page.get_by_role("link", name=footage_request.reference).click()


def read_only(page):
    footer = page.locator("footer")
    expect(footer.locator("[data-read-only-note]")).to_have_text("อ่านอย่างเดียว")
    expect(page.locator("[data-read-only]")).to_contain_text("คุณกำลังอ่านคำร้องนี้")
    expect(page.locator("[data-read-only]")).to_contain_text("บันทึกการเข้าถึงข้อมูล")
    for label in ("อนุมัติ", "ขอข้อมูลเพิ่มเติม", "ไม่อนุมัติ", "ยกเลิกคำร้อง", "บันทึกข้อมูลติดต่อ", "บันทึกฉบับร่าง"):
        expect(footer.get_by_role("button", name=label)).to_have_count(0)
    expect(page.locator("[name=phone]")).to_have_count(0)  # no contact details to correct


def test_the_head_reads_a_request_still_with_the_officers(live_server, chain, staff, admin, browser):
    footage_request = chain["new"]()
    before = citizen_sees(browser, live_server, footage_request)
    head = staff["head"]
    page = admin.open_as(head)
    responses = []
    page.on("response", lambda response: responses.append((response.url, response.status)))

    open_from_the_list(page, footage_request)
    assert REFUSED not in page.content()
    shoot(page, "supervisor-read-only")
    expect(page.get_by_text("นาย สมศักดิ์ ใจดี")).to_be_visible()
    read_only(page)
    expect(page.locator("[data-read-only]")).to_contain_text("officer")  # the step it waits on
    # The applicant's signature and ID card open for the reader too (the one rule), each read logged.
    signature = f"/admin/cctv/signatures/{footage_request.pk}/"
    assert any(url.endswith(signature) and status == 200 for url, status in responses), responses
    attachment = Attachment.objects.get(request=footage_request)
    with page.context.expect_page() as new_tab:
        page.locator(f"a[href='/admin/cctv/attachments/{attachment.pk}/']").first.click()
    id_card = new_tab.value
    id_card.wait_for_load_state()
    assert REFUSED not in id_card.content()
    id_card.close()
    # Footage at risk can be preserved from here: the handling action is on the page for the head.
    preserve = f"/cctv/requests/{footage_request.pk}/preserve/"
    expect(page.locator(f"form[action*='{preserve}'], a[href*='{preserve}']").first).to_be_attached()
    page.mouse.wheel(0, 100000)
    shoot(page, "supervisor-read-only-bottom")

    logged = set(AccessLog.objects.filter(request=footage_request, user=head).values_list("what", "object_id"))
    assert {
        (AccessLog.What.PERSONAL_DATA, None),
        (AccessLog.What.SIGNATURE, None),
        (AccessLog.What.ATTACHMENT, attachment.pk),
    } <= logged
    # Reading decided nothing: the request is still with the officers, and the citizen sees it as before.
    assert not Decision.objects.filter(request=footage_request).exists()
    assert fresh(footage_request).current_workflow_task_state.task.name == "officer"
    assert citizen_sees(browser, live_server, footage_request) == before
    assert before["status"] == "รออนุมัติ"


def test_the_chief_reopens_a_request_they_approved(live_server, chain, staff, admin, browser):
    footage_request = new_request_at(chain, "chief")
    approve_step(task_state=fresh(footage_request).current_workflow_task_state, user=staff["chief"])
    assert fresh(footage_request).public_status == PublicStatus.APPROVED
    page = admin.open_as(staff["chief"])

    open_from_the_list(page, footage_request)
    assert REFUSED not in page.content()
    expect(page.locator("[data-read-only]")).to_contain_text("ไม่มีขั้นใดรอการพิจารณา")
    read_only(page)
    expect(page.get_by_text("นาย สมศักดิ์ ใจดี")).to_be_visible()
    shoot(page, "supervisor-reopens-approved")
    assert AccessLog.objects.filter(
        request=footage_request, user=staff["chief"], what=AccessLog.What.PERSONAL_DATA
    ).exists()
    assert citizen_sees(browser, live_server, footage_request)["status"] == "อนุมัติแล้ว"


def test_the_deputy_reads_a_request_at_the_head_and_its_head_still_decides(live_server, chain, staff, admin, browser):
    footage_request = new_request_at(chain, "head")
    deputy = admin.open_as(staff["deputy"])
    open_from_the_list(deputy, footage_request)
    read_only(deputy)

    head = admin.open_as(staff["head"])
    admin.open_request(head, footage_request)
    expect(head.locator("[data-read-only]")).to_have_count(0)
    with head.expect_navigation():
        head.locator("footer").get_by_role("button", name="อนุมัติ", exact=True).click()
    assert fresh(footage_request).current_workflow_task_state.task.name == "deputy"
    assert citizen_sees(browser, live_server, footage_request)["status"] == "เจ้าหน้าที่รับเรื่องแล้ว"


def test_the_head_reads_the_history_of_a_request_still_with_the_officers(live_server, chain, admin):
    footage_request = chain["new"]()
    approve_step(
        task_state=footage_request.current_workflow_task_state,
        user=chain["users"]["officer"],
        comment="ตรวจเอกสารครบ",
    )
    head = chain["users"]["head"]
    # The head's step now holds it; the chief supervises it at the head's step.
    chief = chain["users"]["chief"]
    page = admin.open_as(chief)
    open_from_the_list(page, footage_request)
    with page.expect_navigation():
        page.get_by_role("link", name="ประวัติ", exact=True).first.click()
    assert REFUSED not in page.content()
    expect(page.locator("main")).to_contain_text("officer")  # who did what, as in the history of every snippet
    shoot(page, "supervisor-history")
    # The approvers' comments: the workflow's own history, reached from the request's history.
    workflow_history = reverse(f"{SNIPPETS}:workflow_history", args=[footage_request.pk])
    page.goto(live_server.url + workflow_history)
    assert REFUSED not in page.content()
    expect(page.locator("main")).to_contain_text(footage_request.reference)
    shoot(page, "supervisor-workflow-history")
    logged = AccessLog.objects.filter(request=footage_request, user=chief, what=AccessLog.What.PERSONAL_DATA)
    assert logged.count() >= 3  # the request page, its history, the workflow history
    assert not AccessLog.objects.filter(request=footage_request, user=head).exists()
    assert fresh(footage_request).current_workflow_task_state.task.name == "head"
