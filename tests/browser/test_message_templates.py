"""An editor writes an SMS template in the Wagtail admin (Thai UI, Debian's chromium): a placeholder delivery
cannot fill is refused on the field with the allowed ones listed, the typed text stays, nothing is saved; a valid
template is saved and the next SMS uses it. No response may be a server error."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from cctv.home.selectors import service_settings
from cctv.roles import setup_roles
from workflow.notifications import sms
from workflow.notifications.models import MessageTemplate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_is_told_of_an_unknown_placeholder_and_the_saved_wording_is_sent(live_server, chain, admin):
    editor = get_user_model().objects.create_user(username="editor")
    editor.groups.add(setup_roles()["editor"])
    sms.MemoryGateway.outbox.clear()
    base = live_server.url
    page = admin.open_as(editor)
    add_url = base + "/admin/snippets/cctv_workflow/messagetemplate/add/"
    page.goto(add_url)
    page.get_by_role("combobox", name="เหตุการณ์").select_option(label="ได้รับคำร้องแล้ว")
    page.get_by_role("combobox", name="ช่องทาง").select_option(label="SMS")
    body = page.get_by_role("textbox", name="ข้อความ")
    typed = "เรียนคุณ {name} ได้รับคำร้อง {reference} แล้ว"
    body.fill(typed)
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.wait_for_load_state()

    error = page.locator(".w-field__wrapper", has=body).locator(".error-message")
    assert "ไม่รู้จักตัวแปร {name}" in error.inner_text()
    assert "ตัวแปรที่ใช้ได้: {reference} {status} {status_url}" in error.inner_text()
    assert page.get_by_role("textbox", name="ข้อความ").input_value() == typed
    assert not MessageTemplate.objects.exists()

    valid = "{organisation} รับคำร้อง {reference} แล้ว ดูสถานะที่ {status_url}"
    page.get_by_role("textbox", name="ข้อความ").fill(valid)
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.wait_for_url(base + "/admin/snippets/cctv_workflow/messagetemplate/")
    template = MessageTemplate.objects.get()
    assert (template.event, template.channel, template.body) == ("submitted", "sms", valid)

    footage_request = chain["new"]()  # delivered after commit (eager Celery, MemoryGateway)
    service = service_settings()
    status_url = f"{settings.CCTV_PUBLIC_BASE_URL.rstrip('/')}/status/{footage_request.token}/"
    assert sms.MemoryGateway.outbox[-1]["text"] == (
        f"{service.organisation_name if service else ''} รับคำร้อง {footage_request.reference} แล้ว ดูสถานะที่ {status_url}"
    )


def test_editor_words_the_line_message_and_the_linked_citizen_gets_it(live_server, chain, admin, line):
    """Channel "ไลน์": the title and the text the editor types are the bubble a linked citizen gets, no SMS."""
    from tests.factories import officer_declines
    from tests.line_server import link_line
    from workflow.notifications.models import Notification

    editor = get_user_model().objects.create_user(username="editor")
    editor.groups.add(setup_roles()["editor"])
    page = admin.open_as(editor)
    page.goto(live_server.url + "/admin/snippets/cctv_workflow/messagetemplate/add/")
    page.get_by_role("combobox", name="เหตุการณ์").select_option(label="คำร้องไม่ได้รับอนุมัติ")
    page.get_by_role("combobox", name="ช่องทาง").select_option(label="ไลน์")
    page.get_by_role("textbox", name="หัวเรื่อง (อีเมล) หรือหัวข้อ (ไลน์)").fill("แจ้งผลคำร้อง {reference}")
    page.get_by_role("textbox", name="ข้อความ").fill(
        "{organisation} ขออภัย คำร้อง {reference} {status} โทร. {contact_phone}"
    )
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.wait_for_url(live_server.url + "/admin/snippets/cctv_workflow/messagetemplate/")
    assert MessageTemplate.objects.get().channel == "line"

    footage_request = chain["new"]()
    link_line(footage_request)
    officer_declines(chain, footage_request)
    [push] = line.sent
    bubble = push["messages"][0]["contents"]
    assert bubble["header"]["contents"][0]["text"] == f"แจ้งผลคำร้อง {footage_request.reference}"
    text = bubble["body"]["contents"][0]["text"]
    assert text.startswith(service_settings().organisation_name + " ขออภัย คำร้อง " + footage_request.reference)
    assert not Notification.objects.filter(event="declined", channel="sms").exists()
