"""The applicant links LINE from the status page on a 360 by 740 phone (Thai, Debian's chromium): "รับแจ้งผลทาง
ไลน์" gives a one-time code and a link that opens the municipality's LINE account with it typed in; LINE then posts
the citizen's message to the webhook, signed (here: the test posts it as LINE does, the reply going to a local
Messaging API). The status page then says LINE is linked, the officer's decision in the Wagtail admin reaches the
citizen as a LINE message and not by SMS, the officer reads it under "ข้อความที่ส่ง", and the citizen stops LINE
messages from the status page. axe finds nothing on each page; no response is a server error."""

import json
import re
import urllib.request
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from tests.browser.admin_session import watch_server_errors
from tests.browser.citizen_form import fill_in_the_request_in_steps
from tests.browser.conftest import axe_violations, shoot
from tests.browser.test_admin_decisions import decline_in_the_modal
from tests.factories import png_bytes
from tests.line_server import SOMCHAI
from tests.workflow.line.test_webhook import event, signed
from workflow.constants import Channel, NotificationEvent
from workflow.line.models import LineLink
from workflow.notifications.models import Notification
from workflow.request.models import FootageRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def line_posts(base: str, text: str) -> int:
    """What LINE's platform does when the citizen presses send: a signed post of the message event."""
    body = json.dumps({"destination": "U" + "0" * 32, "events": [event("message", text=text)]}).encode()
    request = urllib.request.Request(  # noqa: S310 - the test's own live server
        f"{base}/line/webhook/",
        data=body,
        headers={"Content-Type": "application/json", "X-Line-Signature": signed(body)},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - the test's own live server
        return answer.status


def test_the_applicant_links_line_is_told_there_and_stops_it(live_server, chain, line, admin, phone):
    footage_request = chain["new"]()
    page = phone
    server_errors = watch_server_errors(page)
    page.goto(f"{live_server.url}/status/{footage_request.token}/")
    section = page.locator("[data-line]")
    expect(section.get_by_role("heading", name="รับแจ้งผลทางไลน์")).to_be_visible()
    expect(section).to_contain_text("@cctvtest")
    assert axe_violations(page) == []

    section.get_by_role("button", name="รับแจ้งผลทางไลน์").click()
    expect(page.get_by_role("heading", name="รับแจ้งผลทางไลน์")).to_be_visible()
    code = page.locator("[data-line-code]").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    link = page.get_by_role("link", name="เปิดไลน์และส่งรหัส").get_attribute("href")
    assert link.startswith("https://line.me/R/oaMessage/@cctvtest/?") and unquote(link).endswith(code)
    expect(page.get_by_role("img", name="คิวอาร์โค้ดสำหรับเปิดไลน์พร้อมรหัสของท่าน")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "line-code", full_page=True)

    assert line_posts(live_server.url, code) == 200
    assert line.replies, line.requests
    [reply] = line.replies
    assert footage_request.reference in reply["messages"][0]["text"]
    assert LineLink.objects.filter(request=footage_request).count() == 1

    page.get_by_role("link", name="กลับไปที่สถานะคำร้องของท่าน").click()
    section = page.locator("[data-line]")
    expect(section).to_have_attribute("data-linked", "true")
    expect(section).to_contain_text("ท่านรับแจ้งผลคำร้องนี้ทางไลน์อยู่")
    assert axe_violations(page) == []
    shoot(page, "line-linked", full_page=True)

    # The officer declines in the admin: the citizen is told on LINE, not by SMS.
    officer = admin.open_as(chain["users"]["officer"])
    admin.open_request(officer, footage_request)
    expect(officer.locator("[data-notify-by]")).to_have_text("ไลน์ (เชื่อมต่อแล้ว)")
    decline_in_the_modal(officer, chain["reason"].text_th, "ไม่มีกล้องบริเวณที่ระบุ")
    [push] = line.sent
    assert push["to"] == SOMCHAI and footage_request.reference in json.dumps(push, ensure_ascii=False)
    sent = Notification.objects.get(event=NotificationEvent.DECLINED, channel=Channel.LINE)
    assert sent.status == Notification.Status.SENT
    assert not Notification.objects.filter(event=NotificationEvent.DECLINED, channel=Channel.SMS).exists()

    # The officer reads what the citizen got on LINE under "ข้อความที่ส่ง".
    officer.goto(f"{live_server.url}/admin/messages/")
    row = officer.locator("table tbody tr").filter(has_text=footage_request.reference).filter(has_text="ไลน์")
    expect(row).to_have_count(1)
    shoot(officer, "line-messages-admin")

    # The citizen stops LINE messages from the status page.
    page.reload()
    page.locator("[data-line]").get_by_role("button", name="เลิกรับแจ้งผลทางไลน์").click()
    expect(page.get_by_text("ท่านจะไม่ได้รับแจ้งผลคำร้องนี้ทางไลน์อีก")).to_be_visible()
    expect(page.locator("[data-line]")).to_have_attribute("data-linked", "false")
    assert not LineLink.objects.exists()
    assert axe_violations(page) == []
    assert server_errors == []


def test_the_citizen_chooses_line_on_the_form_and_links_it_from_the_confirmation(live_server, form_page, line, phone):
    """The choice "ไลน์" on the contact step: shown among the answers, kept on the request; the confirmation page then
    asks to link LINE at once, and once the code is sent the next messages go by LINE. Until then: SMS."""
    page = phone
    server_errors = watch_server_errors(page)
    page.goto(live_server.url + form_page.url)
    card = [{"name": "บัตร.png", "mimeType": "image/png", "buffer": png_bytes(size=(320, 200))}]

    def on_step(number):
        if number == 3:
            expect(page.get_by_role("radio", name="SMS", exact=True)).to_be_visible()
            expect(page.get_by_text("หากเลือกไลน์")).to_be_visible()
            assert axe_violations(page) == []
            shoot(page, "line-chosen-on-form", full_page=True)

    fill_in_the_request_in_steps(page, card=card, on_step=on_step, told_by="ไลน์")
    assert "ไลน์" in page.locator("[data-check-list]").inner_text()
    page.get_by_role("button", name="ส่งคำร้อง").click()
    page.wait_for_url("**/request/submitted/")
    saved = FootageRequest.objects.get()
    assert saved.notify_by == Channel.LINE
    # Not linked yet: the confirmation went by SMS.
    assert Notification.objects.filter(request=saved, event=NotificationEvent.SUBMITTED, channel=Channel.SMS).exists()
    section = page.locator("[data-line]")
    expect(section.locator("[data-line-chosen]")).to_contain_text("ท่านเลือกรับแจ้งผลทางไลน์")
    assert axe_violations(page) == []
    shoot(page, "line-chosen-submitted", full_page=True)

    section.get_by_role("button", name="รับแจ้งผลทางไลน์").click()
    code = page.locator("[data-line-code]").inner_text()
    assert line_posts(live_server.url, code) == 200
    assert LineLink.objects.filter(request=saved).count() == 1
    page.get_by_role("link", name="กลับไปที่สถานะคำร้องของท่าน").click()
    expect(page.locator("[data-line]")).to_have_attribute("data-linked", "true")
    assert page.locator("[data-line-chosen]").count() == 0
    assert server_errors == [] and page.console_errors == []
