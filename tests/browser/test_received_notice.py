"""The officer approves the first step from the queue in the real Wagtail admin (Thai UI, Debian's chromium): the
applicant is sent one "เจ้าหน้าที่รับเรื่องแล้ว" message, with no more of them than the other messages carry, and
the status page says so; the next level's approval sends no second one. An editor words that message in the
Messages admin like the others. No response may be a server error."""

from dataclasses import replace

import pytest
from django.contrib.auth import get_user_model

from cctv.home.selectors import service_settings
from cctv.roles import setup_roles
from tests import factories
from tests.browser.admin_session import approve_from_the_queue, watch_server_errors
from tests.browser.conftest import axe_violations, shoot
from tests.factories import national_id
from workflow.approval.services import approve_step
from workflow.constants import Channel, NotificationEvent
from workflow.lifecycle import PublicStatus
from workflow.notifications import sms
from workflow.notifications.models import MessageTemplate, Notification
from workflow.request.models import FootageRequest
from workflow.request.services import submit_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def messages_to_applicant(footage_request):
    return [m for m in sms.MemoryGateway.outbox if m["to"] == footage_request.phone]


def test_first_approval_tells_the_applicant_once(live_server, chain, stations, request_types, admin, phone):
    submission = factories.submission(station=stations[0], request_type=request_types["view"])
    submission = replace(submission, applicant=replace(submission.applicant, email="applicant@example.invalid"))
    footage_request = submit_request(submission=submission)
    sms.MemoryGateway.outbox.clear()

    officer = admin.open_as(chain["users"]["officer"])
    approve_from_the_queue(officer, live_server.url, footage_request)

    assert FootageRequest.objects.get(pk=footage_request.pk).public_status == PublicStatus.RECEIVED
    received = Notification.objects.filter(request=footage_request, event=NotificationEvent.RECEIVED)
    assert sorted(received.values_list("channel", "status")) == [
        (Channel.EMAIL, Notification.Status.SENT),
        (Channel.SMS, Notification.Status.SENT),
    ]
    (message,) = messages_to_applicant(footage_request)
    assert "เจ้าหน้าที่รับเรื่องคำร้อง" in message["text"]
    assert footage_request.reference in message["text"]
    assert f"/status/{footage_request.token}/" in message["text"]
    # The reference and the status link, as in every message to the applicant; nothing that names the person.
    for detail in ("สมศักดิ์", "ใจดี", national_id(), footage_request.phone, "applicant@example.invalid"):
        assert detail not in message["text"]

    page = phone
    server_errors = watch_server_errors(page)
    page.goto(f"{live_server.url}/status/{footage_request.token}/")
    assert page.locator("[data-status]").inner_text().strip() == "เจ้าหน้าที่รับเรื่องแล้ว"
    assert axe_violations(page) == []
    shoot(page, "received_status", full_page=True)

    head = admin.open_as(chain["users"]["head"])
    approve_from_the_queue(head, live_server.url, footage_request)
    assert FootageRequest.objects.get(pk=footage_request.pk).current_task.name == "deputy"
    assert received.count() == 2  # still the one SMS and the one e-mail
    assert len(messages_to_applicant(footage_request)) == 1
    assert page.console_errors == []
    assert server_errors == []


def test_an_editor_words_the_received_message_in_the_messages_admin(live_server, chain, admin):
    editor = get_user_model().objects.create_user(username="editor")
    editor.groups.add(setup_roles()["editor"])
    page = admin.open_as(editor)
    page.goto(live_server.url + "/admin/snippets/cctv_workflow/messagetemplate/add/")
    page.get_by_role("combobox", name="เหตุการณ์").select_option(label="เจ้าหน้าที่รับเรื่องแล้ว")
    page.get_by_role("combobox", name="ช่องทาง").select_option(label="SMS")
    page.get_by_role("textbox", name="ข้อความ").fill("{organisation}: รับเรื่อง {reference} แล้ว ดูที่ {status_url}")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.wait_for_url(live_server.url + "/admin/snippets/cctv_workflow/messagetemplate/")
    assert MessageTemplate.objects.get().event == NotificationEvent.RECEIVED

    footage_request = chain["new"]()
    sms.MemoryGateway.outbox.clear()
    approve_step(task_state=footage_request.current_workflow_task_state, user=chain["users"]["officer"])
    (message,) = messages_to_applicant(footage_request)
    assert message["text"] == (
        f"{service_settings().organisation_name}: รับเรื่อง {footage_request.reference} แล้ว "
        f"ดูที่ http://testserver/status/{footage_request.token}/"
    )
