import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from tests.factories import national_id
from workflow.approval.services import take_action
from workflow.constants import Channel, DecisionAction, NotificationEvent
from workflow.notifications import sms
from workflow.notifications.delivery import DeliveryFailed, _context, deliver
from workflow.notifications.models import PLACEHOLDERS, MessageTemplate, Notification
from workflow.tasks import deliver_pending_notifications


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.MemoryGateway.outbox.clear()
    yield
    sms.MemoryGateway.outbox.clear()


class Gateway:
    """A gateway is made for one SMS account (sms.gateway); these test gateways ignore it."""

    def __init__(self, account=None):
        self.account = account


class BrokenGateway(Gateway):
    def send(self, *, to, text, idempotency_key):
        raise sms.SmsError("ConnectionRefusedError")


class DyingGateway(Gateway):
    """A provider that dedupes by key, and a worker killed right after the provider accepted the first message."""

    calls: list[dict] = []
    accepted: dict[str, dict] = {}
    die = True

    def send(self, *, to, text, idempotency_key):
        DyingGateway.calls.append({"to": to, "text": text, "key": idempotency_key})
        DyingGateway.accepted.setdefault(idempotency_key, {"to": to, "text": text})
        if DyingGateway.die:
            DyingGateway.die = False
            raise SystemExit("worker killed")  # after the provider has it, before the database says so
        return idempotency_key


class FlakyGateway(Gateway):
    """Fails once with the given error, then accepts; records the keys it was sent."""

    error: Exception = sms.SmsError("TimeoutError")
    keys: list[str] = []

    def send(self, *, to, text, idempotency_key):
        FlakyGateway.keys.append(idempotency_key)
        if len(FlakyGateway.keys) == 1:
            raise FlakyGateway.error
        return "ok"


def make_stale(notification, settings):
    Notification.objects.filter(pk=notification.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=settings.CCTV_NOTIFICATION_SENDING_TIMEOUT + 1)
    )


def submit(chain, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return chain["new"]()


def test_submission_tells_the_applicant_and_the_first_group(
    chain, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.DEFAULT_FROM_EMAIL = "CCTV <no-reply@example.invalid>"
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
    # A resend after a lost worker carries the same Message-ID, which mailboxes can dedupe by.
    key = Notification.objects.get(channel=Channel.EMAIL).idempotency_key
    assert mailoutbox[0].message()["Message-ID"] == f"<{key}@example.invalid>"
    assert message["idempotency_key"] == Notification.objects.get(channel=Channel.SMS).idempotency_key
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
        kwargs["reason"] = chain["reason"].pk
    with django_capture_on_commit_callbacks(execute=True):
        take_action(
            task_state=footage_request.current_workflow_task_state,
            user=chain["users"]["officer"],
            action=action,
            data=kwargs,
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
        event=NotificationEvent.SUBMITTED, channel=Channel.SMS, body="รับเรื่อง {reference} แล้ว {{ไม่ใช่ตัวแปร}}"
    )
    footage_request = submit(chain, django_capture_on_commit_callbacks)
    assert sms.MemoryGateway.outbox[0]["text"] == f"รับเรื่อง {footage_request.reference} แล้ว {{ไม่ใช่ตัวแปร}}"


@pytest.mark.parametrize(
    "body",
    ["รับเรื่อง {reference} แล้ว {name}", "รับเรื่อง {reference", "{reference.__class__}", "{admin_url}"],
)
def test_a_template_saved_before_the_check_falls_back_to_the_default(chain, django_capture_on_commit_callbacks, body):
    MessageTemplate.objects.create(event=NotificationEvent.SUBMITTED, channel=Channel.SMS, body=body)  # no clean()
    footage_request = submit(chain, django_capture_on_commit_callbacks)
    text = sms.MemoryGateway.outbox[0]["text"]
    assert "{" not in text and "}" not in text
    assert "ได้รับคำร้องขอข้อมูลภาพกล้องวงจรปิด เลขที่" in text  # templates/notifications/submitted.sms.txt
    assert footage_request.reference in text


def test_delivery_fills_exactly_the_placeholders_editors_may_use(chain):
    footage_request = chain["new"]()
    notification = Notification.objects.filter(request=footage_request).first()
    assert set(_context(notification)) == set(PLACEHOLDERS)


ALLOWED_TO_APPLICANT = "{reference} {status} {status_url} {message} {organisation} {contact_phone} {overwritten_on}"


@pytest.mark.parametrize(
    ("event", "body", "error"),
    [
        ("submitted", "รับเรื่อง {reference} แล้ว ดูสถานะ {status_url} {{วงเล็บ}}", None),
        ("task_waiting", "คำร้อง {reference} รอที่ {step}: {admin_url}", None),
        ("submitted", "เรียนคุณ {name} คำร้อง {reference}", f"ไม่รู้จักตัวแปร {{name}} ตัวแปรที่ใช้ได้: {ALLOWED_TO_APPLICANT}"),
        ("submitted", "{name} {x} {name}", "ไม่รู้จักตัวแปร {name}, {x} ตัวแปรที่ใช้ได้"),
        ("submitted", "ดูที่ {admin_url}", "ไม่รู้จักตัวแปร {admin_url}"),  # no admin links to citizens
        ("submitted", "{reference.__class__}", "ไม่รู้จักตัวแปร {reference.__class__}"),
        ("submitted", "{reference[0]}", "ไม่รู้จักตัวแปร {reference[0]}"),
        ("submitted", "{} {0}", "ไม่รู้จักตัวแปร {}, {0}"),
        ("submitted", "{reference!r} {status:>40}", "ไม่รู้จักตัวแปร {reference!r}, {status:>40}"),
        ("submitted", "คำร้อง {reference", "วงเล็บปีกกาไม่ครบคู่ เขียนตัวแปรในรูป {ชื่อ} และใช้ {{ หรือ }}"),
        ("submitted", "คำร้อง reference}", "วงเล็บปีกกาไม่ครบคู่"),
    ],
)
def test_templates_with_placeholders_delivery_cannot_fill_are_refused(db, event, body, error):
    template = MessageTemplate(event=event, channel=Channel.SMS, body=body)
    with translation.override("th"):
        if error is None:
            template.full_clean()
            return
        with pytest.raises(ValidationError) as raised:
            template.full_clean()
        assert list(raised.value.message_dict) == ["body"]
        assert raised.value.message_dict["body"][0].startswith(error)
        assert ALLOWED_TO_APPLICANT in raised.value.message_dict["body"][0] or event != "submitted"


def test_the_e_mail_subject_is_checked_too(db):
    template = MessageTemplate(event="approved", channel=Channel.EMAIL, subject="อนุมัติ {ref}", body="{reference}")
    with translation.override("th"), pytest.raises(ValidationError) as raised:
        template.full_clean()
    assert list(raised.value.message_dict) == ["subject"]
    assert "{ref}" in raised.value.message_dict["subject"][0]


def test_a_worker_lost_after_the_provider_accepted_resends_with_the_same_key(chain, settings):
    settings.CCTV_SMS_BACKEND = "tests.workflow.notifications.test_notifications.DyingGateway"
    DyingGateway.calls, DyingGateway.accepted, DyingGateway.die = [], {}, True
    footage_request = chain["new"]()  # callbacks not run: the rows wait in the outbox
    notification = Notification.objects.get(request=footage_request, channel=Channel.SMS)

    with pytest.raises(SystemExit):
        deliver(notification.pk)
    # What was committed before the provider was called survives the worker.
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENDING
    assert notification.idempotency_key.startswith(f"cctv-{notification.pk}-1-")
    assert notification.attempts == 1
    first_key = notification.idempotency_key

    # Redelivered at once (acks_late, or queued twice): the row is in a worker's hands, nothing is sent.
    assert deliver(notification.pk) is False
    deliver_pending_notifications()
    assert len(DyingGateway.calls) == 1

    # An editor changes the wording meanwhile: the resend is still the message the provider has under the key.
    MessageTemplate.objects.create(event=NotificationEvent.SUBMITTED, channel=Channel.SMS, body="ใหม่ {reference}")
    make_stale(notification, settings)
    deliver_pending_notifications()

    assert [call["key"] for call in DyingGateway.calls] == [first_key, first_key]
    assert DyingGateway.calls[0] == DyingGateway.calls[1]
    assert len(DyingGateway.accepted) == 1  # the provider dedupes by key: one SMS
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.last_error == "WorkerLost"
    # Kept once sent, for the Messages admin: the text the provider has under the key, the recipient masked.
    assert notification.payload["text"] == DyingGateway.accepted[first_key]["text"]
    assert notification.payload["to"] == "08x-xxx-5678"
    assert deliver(notification.pk) is False


def test_workers_lost_every_time_give_up_after_the_last_attempt(chain, settings):
    settings.CCTV_SMS_BACKEND = "tests.workflow.notifications.test_notifications.DyingGateway"
    settings.CCTV_NOTIFICATION_MAX_ATTEMPTS = 2
    DyingGateway.calls, DyingGateway.accepted = [], {}
    notification = Notification.objects.get(request=chain["new"](), channel=Channel.SMS)
    for _attempt in range(2):
        DyingGateway.die = True
        with pytest.raises(SystemExit):
            deliver(notification.pk)
        make_stale(notification, settings)
    assert deliver(notification.pk) is False
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert len(DyingGateway.calls) == 2
    assert len({call["key"] for call in DyingGateway.calls}) == 1


@pytest.mark.parametrize(
    ("error", "same_key"),
    [(sms.SmsError("TimeoutError"), True), (sms.SmsRejected("HTTP 400"), False)],
)
def test_a_retry_keeps_the_key_unless_the_provider_refused(chain, settings, error, same_key):
    settings.CCTV_SMS_BACKEND = "tests.workflow.notifications.test_notifications.FlakyGateway"
    FlakyGateway.error, FlakyGateway.keys = error, []
    notification = Notification.objects.get(request=chain["new"](), channel=Channel.SMS)
    with pytest.raises(DeliveryFailed):
        deliver(notification.pk)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert deliver(notification.pk) is True
    first, second = FlakyGateway.keys
    assert (first == second) is same_key
    assert Notification.objects.get(pk=notification.pk).status == Notification.Status.SENT


class _Receiver(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Receiver.received.append(
            {"auth": self.headers["Authorization"], "key": self.headers["Idempotency-Key"], "body": json.loads(body)}
        )
        self.send_response(_Receiver.status)
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
    settings.CCTV_SMS_IDEMPOTENCY_FIELD = "customer_ref"
    _Receiver.status = 200
    assert sms.HttpGateway().send(to="0812345678", text="ทดสอบ", idempotency_key="cctv-7-1-ab") == "abc-123"
    thread.join(5)
    server.server_close()
    assert _Receiver.received[-1] == {
        "auth": "Bearer token-1",
        "key": "cctv-7-1-ab",
        "body": {"to": "0812345678", "text": "ทดสอบ", "sender": "CCTV", "customer_ref": "cctv-7-1-ab"},
    }


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, sms.SmsRejected),
        (401, sms.SmsRejected),
        (409, sms.SmsError),
        (422, sms.SmsError),
        (429, sms.SmsError),
        (500, sms.SmsError),
        (503, sms.SmsError),
    ],
)
def test_http_gateway_tells_a_refusal_from_an_unknown_outcome(settings, status, error):
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    settings.CCTV_SMS_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.CCTV_SMS_IDEMPOTENCY_FIELD = ""
    _Receiver.status = status
    try:
        with pytest.raises(sms.SmsError) as raised:
            sms.HttpGateway().send(to="0812345678", text="ทดสอบ", idempotency_key="k-1")
    finally:
        _Receiver.status = 200
        thread.join(5)
        server.server_close()
    assert type(raised.value) is error
    assert _Receiver.received[-1]["key"] == "k-1"
    assert "customer_ref" not in _Receiver.received[-1]["body"] and "client_ref" not in _Receiver.received[-1]["body"]


def test_http_gateway_reports_an_unreachable_provider(settings):
    settings.CCTV_SMS_URL = "http://127.0.0.1:9/send"  # discard port: nothing listens
    settings.CCTV_SMS_TIMEOUT = 2
    with pytest.raises(sms.SmsError):
        sms.HttpGateway().send(to="0812345678", text="ทดสอบ", idempotency_key="k-1")


def test_the_editor_s_help_text_names_every_placeholder_delivery_fills():
    from workflow.notifications.models import PLACEHOLDERS
    from workflow.viewsets import MessageTemplateViewSet

    (body,) = [panel for panel in MessageTemplateViewSet.panels if getattr(panel, "field_name", None) == "body"]
    missing = [name for name in PLACEHOLDERS if "{" + name + "}" not in str(body.help_text)]
    assert not missing, f"the message template's help text does not list {missing}"
