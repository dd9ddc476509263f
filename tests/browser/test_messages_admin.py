"""Staff read the messages sent to citizens in the real Wagtail admin (Thai, Debian's chromium): the officer opens
"ข้อความที่ส่ง" from the menu, filters by a reference, opens the SMS and reads the Thai text the applicant got, its
status link's key masked; the auditor does the same and finds nothing to change; an editor has no such menu item
and a direct address is refused. Each screen is in Thai; no response may be a server error."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from cctv.roles import setup_roles
from tests.browser.admin_session import DASHBOARD, watch_server_errors
from tests.browser.admin_words import BUSY_TEXTS, NAME_LISTS, READ_PAGE, english_words
from tests.browser.conftest import shoot
from workflow.constants import Channel, NotificationEvent
from workflow.notifications import sms
from workflow.notifications.masking import MASK
from workflow.notifications.models import Notification
from workflow.privacy.models import AccessLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENU = "ข้อความที่ส่ง"
REFUSAL = "ขออภัย คุณไม่มีสิทธิ์เข้าถึงส่วนนี้"
# Names of things, the keys of Wagtail's keyboard shortcuts, the accounts this test makes (the sidebar's account
# menu), and the x's of a masked number (08x-xxx-5678).
ALLOWED = {"SMS", "Wagtail", "CCTV", "Ctrl", "Alt", "Shift", "Esc", "Cmd", "Enter", "Tab", "xxx"}
ALLOWED |= {"officer", "auditor", "editor"}


def english_on(page, screen: str) -> dict:
    page.wait_for_load_state()
    found, _excused = english_words(
        page.evaluate(READ_PAGE, [NAME_LISTS, BUSY_TEXTS]), allowed=ALLOWED, pending={}, screen=screen
    )
    return found


def account(role: str):
    user = get_user_model().objects.create_user(username=role)
    user.groups.add(setup_roles()[role])
    return user


@pytest.fixture
def sent(chain):
    """Two citizens' requests, each applicant told by SMS that it was received (eager Celery, the tests' gateway)."""
    sms.MemoryGateway.outbox.clear()
    other, footage_request = chain["new"](), chain["new"]()
    notification = Notification.objects.get(request=footage_request, channel=Channel.SMS)
    assert notification.status == Notification.Status.SENT
    (message,) = [m for m in sms.MemoryGateway.outbox if m["idempotency_key"] == notification.idempotency_key]
    assert f"/status/{footage_request.token}/" in message["text"]
    return {"request": footage_request, "other": other, "notification": notification, "text": message["text"]}


def read_the_message(page, base, sent, *, shots: str) -> None:
    """The menu, the reference typed in the filters, the message opened: its Thai text, the key masked."""
    footage_request = sent["request"]
    errors = watch_server_errors(page)
    page.get_by_role("link", name=MENU).click()
    page.wait_for_url(base + "/admin/messages/")
    expect(page.get_by_role("heading", name=MENU)).to_be_visible()
    expect(page.get_by_role("link", name=sent["other"].reference)).to_be_visible()
    assert english_on(page, "listing") == {}
    page.get_by_role("button", name="แสดงตัวกรอง").click()
    page.get_by_role("button", name="เลขที่คำร้อง").click()
    reference = page.get_by_role("textbox", name="เลขที่คำร้อง")
    reference.fill(footage_request.reference)
    reference.press("Enter")
    expect(page.get_by_role("link", name=sent["other"].reference)).to_have_count(0)
    row = page.locator("tbody tr").filter(has_text="SMS")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("ได้รับคำร้องแล้ว")
    expect(row).to_contain_text("08x-xxx-5678")
    expect(row).to_contain_text("ส่งแล้ว")
    shoot(page, f"{shots}-listing")
    with page.expect_navigation():
        row.get_by_role("link", name=footage_request.reference).click()
    expect(page.get_by_role("heading", name="ข้อความ")).to_be_visible()
    shown = page.locator("main").inner_text()
    masked = sent["text"].replace(footage_request.token, MASK)
    assert masked in shown, shown
    assert "ได้รับคำร้องขอข้อมูลภาพกล้องวงจรปิด" in shown
    assert f"/status/{MASK}/" in shown
    assert footage_request.token not in page.content()
    assert footage_request.phone not in page.content()
    assert english_on(page, "message") == {}
    for label in ("แก้ไข", "ลบ", "บันทึก"):
        expect(page.locator("main").get_by_role("button", name=label)).to_have_count(0)
        expect(page.locator("main").get_by_role("link", name=label, exact=True)).to_have_count(0)
    shoot(page, f"{shots}-message", full_page=True)
    assert errors == []


def test_the_officer_reads_the_sms_a_citizen_was_sent(live_server, chain, sent, admin):
    officer = chain["users"]["officer"]
    page = admin.open_as(officer)
    read_the_message(page, live_server.url, sent, shots="messages-officer")
    log = AccessLog.objects.get(user=officer, object_id=sent["notification"].pk)
    assert (log.request, log.what) == (sent["request"], AccessLog.What.PERSONAL_DATA)


def test_the_auditor_reads_it_too_and_changes_nothing(live_server, chain, sent, admin):
    before = list(Notification.objects.order_by("pk").values())
    auditor = account("auditor")
    page = admin.open_as(auditor)
    read_the_message(page, live_server.url, sent, shots="messages-auditor")
    assert AccessLog.objects.filter(user=auditor, object_id=sent["notification"].pk).count() == 1
    assert list(Notification.objects.order_by("pk").values()) == before
    assert Notification.objects.filter(event=NotificationEvent.SUBMITTED, status="sent").exists()


def test_an_editor_has_no_menu_item_and_is_refused_at_the_address(live_server, chain, sent, admin):
    page = admin.open_as(account("editor"))
    errors = watch_server_errors(page)
    expect(page.locator(".sidebar-main-menu a").first).to_be_visible()  # the menu is drawn
    expect(page.get_by_role("link", name=MENU)).to_have_count(0)
    for path in ("/admin/messages/", f"/admin/messages/inspect/{sent['notification'].pk}/"):
        page.goto(live_server.url + path)
        page.wait_for_url(live_server.url + DASHBOARD)
        expect(page.locator(".messages")).to_contain_text(REFUSAL)
    shoot(page, "messages-editor-refused")
    assert sent["text"] not in page.content()
    assert not AccessLog.objects.filter(object_id=sent["notification"].pk).exists()
    assert errors == []


def test_the_officer_reaches_a_request_s_messages_from_its_page(live_server, chain, sent, admin):
    footage_request = sent["request"]
    page = admin.open_as(chain["users"]["officer"])
    admin.open_request(page, footage_request)
    with page.expect_navigation():
        page.get_by_role("link", name="ข้อความที่ส่งเกี่ยวกับคำร้องนี้").click()
    page.wait_for_url(f"**/admin/messages/?reference={footage_request.reference}")
    expect(page.get_by_role("heading", name=MENU)).to_be_visible()
    rows = page.locator("main tbody tr")  # the listing's rows (Wagtail's shortcut dialog has a table too)
    expect(rows.filter(has_text=footage_request.reference)).to_have_count(rows.count())
    expect(page.get_by_role("link", name=sent["other"].reference)).to_have_count(0)
    expect(rows.filter(has_text="08x-xxx-5678")).to_have_count(1)
    shoot(page, "messages-from-the-request")
