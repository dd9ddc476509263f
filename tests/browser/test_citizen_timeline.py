"""Staff ask for more information; the citizen answers on a phone with a note and a document; the officer sees the
answer and the document next to the question in the real admin; the citizen's history shows both. axe-core checks
every citizen page and the request panel; any server error fails the test."""

import re

import pytest

from tests.browser.conftest import AXE, AXE_TAGS, axe_violations
from tests.factories import png_bytes
from workflow.approval.services import ask_for_information
from workflow.request.models import FootageRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "x-password-1234"
QUESTION = "กรุณาแนบสำเนาบันทึกแจ้งความ"
ANSWER = "แนบบันทึกแจ้งความจากสถานีตำรวจแล้วครับ"


def field(page, label):
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}( \*)?\s*$"))


def watch_server_errors(page, errors: list) -> None:
    page.on("response", lambda response: response.status >= 500 and errors.append(f"{response.status} {response.url}"))


def test_the_answer_reaches_the_officer_and_the_history(live_server, chain, phone, browser, tmp_path):
    officer = chain["users"]["officer"]
    officer.first_name, officer.last_name = "สมชาย", "ตรวจงาน"
    officer.set_password(PASSWORD)
    officer.save()
    footage_request = chain["new"]()
    ask_for_information(task_state=footage_request.current_workflow_task_state, user=officer, comment=QUESTION)
    report = tmp_path / "บันทึกแจ้งความ.png"
    report.write_bytes(png_bytes(size=(240, 320)))
    errors: list[str] = []

    # The citizen, on a phone, answers with a note and a document.
    page = phone
    watch_server_errors(page, errors)
    status_url = f"{live_server.url}/status/{footage_request.token}/"
    page.goto(status_url)
    assert page.locator("[data-public-message]").inner_text().count(QUESTION) == 1
    assert axe_violations(page) == []
    field(page, "คำชี้แจงของท่าน").fill(ANSWER)
    field(page, "เอกสารที่ต้องการแนบเพิ่ม").set_input_files(str(report))
    with page.expect_navigation():
        page.get_by_role("button", name="ส่งถึงเจ้าหน้าที่").click()
    assert "ขอบคุณ ส่งข้อมูลถึงเจ้าหน้าที่เรียบร้อยแล้ว" in page.content()
    assert page.locator("[name=note]").count() == 0
    assert axe_violations(page) == []
    added = FootageRequest.objects.get(pk=footage_request.pk).attachments.order_by("-pk").first()

    # The officer signs in through the real admin and opens the request.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    staff = context.new_page()
    staff.set_default_timeout(15_000)
    watch_server_errors(staff, errors)
    staff.goto(live_server.url + "/admin/login/")
    staff.fill("input[name=username]", officer.username)
    staff.fill("input[name=password]", PASSWORD)
    staff.click("button[type=submit]")
    staff.wait_for_url(live_server.url + "/admin/")
    staff.goto(f"{live_server.url}/admin/snippets/cctv_workflow/footagerequest/edit/{footage_request.pk}/")
    exchange = staff.locator("[data-exchange]")
    assert exchange.count() == 1
    assert QUESTION in exchange.locator("[data-question]").inner_text()
    assert ANSWER in exchange.locator("[data-answer]").inner_text()
    links = exchange.locator("[data-answer-documents] a")
    assert links.count() == 1
    href = links.first.get_attribute("href")
    assert href == f"/admin/cctv/attachments/{added.pk}/"
    document = staff.request.get(live_server.url + href)
    assert document.status == 200 and document.headers["content-type"] == "image/png"
    # The project's panel (Wagtail's own admin chrome is Wagtail's).
    staff.evaluate(AXE.read_text())
    panel_axe = staff.evaluate(
        "async (tags) => (await axe.run('.cctv-summary', {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => v.id)",
        AXE_TAGS,
    )
    assert panel_axe == []
    context.close()

    # The citizen's history shows what was asked and what they answered, once each, and no staff name.
    page.goto(status_url)
    history = page.locator("[data-timeline]")
    asked = history.locator('[data-history="more_info_requested"]')
    answered = history.locator('[data-history="resubmitted"]')
    assert asked.count() == 1 and answered.count() == 1
    assert "เจ้าหน้าที่ขอข้อมูลเพิ่มเติม" in asked.inner_text() and QUESTION in asked.inner_text()
    assert "ท่านส่งข้อมูลเพิ่มเติมแล้ว" in answered.inner_text() and ANSWER in answered.inner_text()
    assert "แนบเอกสารเพิ่ม 1 ไฟล์" in answered.inner_text()
    assert "สมชาย" not in page.content() and "ตรวจงาน" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []
    assert page.console_errors == []
    assert errors == []
