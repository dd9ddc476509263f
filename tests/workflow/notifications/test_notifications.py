import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import transaction

from tests.factories import national_id
from workflow.approval.services import act_on_task
from workflow.constants import Channel, DecisionAction, NotificationEvent
from workflow.notifications import sms
from workflow.notifications.delivery import deliver
from workflow.notifications.models import MessageTemplate, Notification
from workflow.tasks import deliver_pending_notifications


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.MemoryGateway.outbox.clear()
    yield
    sms.MemoryGateway.outbox.clear()


class BrokenGateway:
    def send(self, *, to, text):
        raise sms.SmsError("ConnectionRefusedError")


def submit(chain, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return chain["new"]()


def test_submission_tells_the_applicant_and_the_first_group(chain, django_capture_on_commit_callbacks, mailoutbox):
    chain["users"]["officer"].email = "officer@example.invalid"
    chain["users"]["officer"].save()
    footage_request = submit(chain, django_capture_on_commit_callbacks)
    assert len(sms.MemoryGateway.outbox) == 1
    message = sms.MemoryGateway.outbox[0]
    assert message["to"] == "0812345678"
    assert footage_request.reference in message["text"]
    assert f"/status/{footage_request.token}/" in message["text"]
    assert [m.to for m in mailoutbox] == [["officer@example.invalid"]]
    assert footage_request.reference in mailoutbox[0].subject
    for text in (message["text"], mailoutbox[0].body, mailoutbox[0].subject):
        assert "สมศักดิ์" not in text and "ใจดี" not in text and national_id() not in text
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.SENT}


@pytest.mark.parametrize(
    ("action", "event", "needle"),
    [
        (DecisionAction.REQUEST_INFO, NotificationEvent.MORE_INFO, "กรุณาแนบบันทึกแจ้งความ"),
        (DecisionAction.DECLINE, NotificationEvent.DECLINED, "ไม่ได้รับอนุมัติ"),
    ],
)
def test_decisions_are_sent_to_the_applicant(chain, django_capture_on_commit_callbacks, action, event, needle):
    footage_request = submit(chain, django_capture_on_commit_callbacks)
    kwargs = {"comment": "กรุณาแนบบันทึกแจ้งความ"}
    if action == DecisionAction.DECLINE:
        kwargs["reason"] = chain["reason"]
    with django_capture_on_commit_callbacks(execute=True):
        act_on_task(
            task_state=footage_request.current_workflow_task_state,
            user=chain["users"]["officer"],
            action=action,
            **kwargs,
        )
    assert Notification.objects.filter(event=event, channel=Channel.SMS, status="sent").count() == 1
    assert needle in sms.MemoryGateway.outbox[-1]["text"]


def test_nothing_is_sent_when_the_transaction_rolls_back(chain, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            chain["new"]()
            raise RuntimeError("something later failed")
    assert sms.MemoryGateway.outbox == []
    assert not Notification.objects.exists()


def test_failing_gateway_does_not_fail_the_submission_and_nothing_is_lost(
    chain, django_capture_on_commit_callbacks, settings
):
    settings.CCTV_SMS_BACKEND = "tests.workflow.notifications.test_notifications.BrokenGateway"
    footage_request = submit(chain, django_capture_on_commit_callbacks)
    assert footage_request.pk
    pending = Notification.objects.get(channel=Channel.SMS)
    assert pending.status == Notification.Status.PENDING
    assert pending.attempts >= 1
    assert pending.last_error == "SmsError"

    settings.CCTV_SMS_BACKEND = "workflow.notifications.sms.MemoryGateway"
    Notification.objects.filter(pk=pending.pk).update(
        created_at=pending.created_at - __import__("datetime").timedelta(hours=1)
    )
    deliver_pending_notifications()
    deliver_pending_notifications()  # running it again sends nothing twice
    assert len(sms.MemoryGateway.outbox) == 1
    assert Notification.objects.get(pk=pending.pk).status == Notification.Status.SENT


def test_delivering_twice_sends_once(chain, django_capture_on_commit_callbacks):
    footage_request = chain["new"]()  # callbacks not run: the rows wait in the outbox
    notification = Notification.objects.get(request=footage_request, channel=Channel.SMS)
    assert deliver(notification.pk) is True
    assert deliver(notification.pk) is False
    assert len(sms.MemoryGateway.outbox) == 1


def test_editor_wording_replaces_the_default(chain, django_capture_on_commit_callbacks):
    MessageTemplate.objects.create(
        event=NotificationEvent.SUBMITTED, channel=Channel.SMS, body="รับเรื่อง {reference} แล้ว {unknown}"
    )
    footage_request = submit(chain, django_capture_on_commit_callbacks)
    assert sms.MemoryGateway.outbox[0]["text"] == f"รับเรื่อง {footage_request.reference} แล้ว {{unknown}}"


class _Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Receiver.received.append({"auth": self.headers["Authorization"], "body": json.loads(body)})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id": "abc-123"}')

    def log_message(self, *args):
        pass


def test_http_gateway_posts_to_the_provider(settings):
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    settings.CCTV_SMS_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.CCTV_SMS_TOKEN = "token-1"
    assert sms.HttpGateway().send(to="0812345678", text="ทดสอบ") == "abc-123"
    thread.join(5)
    server.server_close()
    assert _Receiver.received[-1] == {
        "auth": "Bearer token-1",
        "body": {"to": "0812345678", "text": "ทดสอบ", "sender": "CCTV"},
    }


def test_http_gateway_reports_an_unreachable_provider(settings):
    settings.CCTV_SMS_URL = "http://127.0.0.1:9/send"  # discard port: nothing listens
    settings.CCTV_SMS_TIMEOUT = 2
    with pytest.raises(sms.SmsError):
        sms.HttpGateway().send(to="0812345678", text="ทดสอบ")
