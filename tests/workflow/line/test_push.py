"""News of a linked request reaches the citizen as a LINE push through the outbox, with the real line-bot-sdk
against a local Messaging API (tests/line_server.py); LINE failing falls back to SMS, once."""

import json

import pytest

from tests.factories import national_id, officer_declines
from tests.line_server import link_line
from tests.workflow.line.conftest import SOMCHAI, TOKEN
from workflow.constants import Channel, NotificationEvent
from workflow.notifications import sms
from workflow.notifications.delivery import DeliveryFailed, deliver
from workflow.notifications.models import Notification


@pytest.fixture
def linked(chain, line, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        footage_request = chain["new"]()
    sms.MemoryGateway.outbox.clear()
    link_line(footage_request)
    footage_request.refresh_from_db()
    return footage_request


def decline(chain, footage_request, captured, *, execute=True):
    with captured(execute=execute):
        officer_declines(chain, footage_request)
    return Notification.objects.filter(event=NotificationEvent.DECLINED, channel=Channel.LINE).first()


def test_a_decision_reaches_the_linked_citizen_by_line_once_and_not_by_sms(
    chain, linked, line, django_capture_on_commit_callbacks
):
    notification = decline(chain, linked, django_capture_on_commit_callbacks)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.payload["to"] == "LINE"
    assert not Notification.objects.filter(event=NotificationEvent.DECLINED, channel=Channel.SMS).exists()
    assert sms.MemoryGateway.outbox == []
    [push] = line.sent
    assert push["to"] == SOMCHAI
    [message] = push["messages"]
    assert message["type"] == "flex"
    bubble = json.dumps(message, ensure_ascii=False)
    assert linked.reference in bubble and "ไม่ได้รับอนุมัติ" in bubble
    assert f"/status/{linked.token}/" in message["contents"]["footer"]["contents"][0]["action"]["uri"]
    for personal in ("สมศักดิ์", "ใจดี", national_id(), linked.phone, SOMCHAI):
        assert personal not in bubble
    request = next(r for r in line.requests if r["path"] == "/v2/bot/message/push")
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    # Delivered once: the task queued twice sends nothing more.
    assert deliver(notification.pk) is False
    assert len(line.sent) == 1


def test_a_push_resent_after_a_lost_answer_is_sent_once(chain, linked, line, django_capture_on_commit_callbacks):
    notification = decline(chain, linked, django_capture_on_commit_callbacks, execute=False)
    deliver(notification.pk)
    assert len(line.sent) == 1
    # The worker was lost after LINE accepted: the row is sending again, the same retry key goes to LINE.
    Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.PENDING)
    assert deliver(notification.pk) is True
    assert len(line.sent) == 1
    assert [r["headers"]["X-Line-Retry-Key"] for r in line.requests if r["path"].endswith("/push")] == [
        line.sent[0]["retry_key"]
    ] * 2


@pytest.mark.parametrize("status", [429, 500])
def test_line_busy_or_down_is_retried_with_the_same_key(
    chain, linked, line, django_capture_on_commit_callbacks, status
):
    notification = decline(chain, linked, django_capture_on_commit_callbacks, execute=False)
    line.fail_with = [status]
    with pytest.raises(DeliveryFailed):
        deliver(notification.pk)
    notification.refresh_from_db()
    assert (notification.status, notification.last_error) == (Notification.Status.PENDING, "LineError")
    assert deliver(notification.pk) is True
    keys = {r["headers"]["X-Line-Retry-Key"] for r in line.requests if r["path"].endswith("/push")}
    assert len(keys) == 1 and len(line.sent) == 1
    assert sms.MemoryGateway.outbox == []


def test_after_the_last_retry_the_citizen_is_told_by_sms_once(
    chain, linked, line, django_capture_on_commit_callbacks, settings
):
    settings.CCTV_NOTIFICATION_MAX_ATTEMPTS = 3
    notification = decline(chain, linked, django_capture_on_commit_callbacks, execute=False)
    line.fail_with = [500] * 10
    for _attempt in range(2):
        with pytest.raises(DeliveryFailed):
            deliver(notification.pk)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DeliveryFailed):
        deliver(notification.pk)  # the last attempt: the row fails, an SMS is queued after commit
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    fallback = Notification.objects.get(event=NotificationEvent.DECLINED, channel=Channel.SMS)
    assert fallback.status == Notification.Status.SENT
    [text] = [m["text"] for m in sms.MemoryGateway.outbox]
    assert linked.reference in text and "ไม่ได้รับอนุมัติ" in text
    assert line.sent == []
    assert deliver(notification.pk) is False  # failed stays failed: no second SMS
    assert Notification.objects.filter(channel=Channel.SMS, event=NotificationEvent.DECLINED).count() == 1


def test_a_citizen_who_blocked_the_account_is_told_by_sms_at_once(
    chain, linked, line, django_capture_on_commit_callbacks
):
    line.refuse_users = {SOMCHAI}
    decline(chain, linked, django_capture_on_commit_callbacks)
    line_row = Notification.objects.get(event=NotificationEvent.DECLINED, channel=Channel.LINE)
    assert (line_row.status, line_row.last_error, line_row.attempts) == ("failed", "LinePermanent", 1)
    assert len(sms.MemoryGateway.outbox) == 1


def test_not_linked_or_chose_sms_the_citizen_gets_sms(chain, line, django_capture_on_commit_callbacks):
    footage_request = chain["new"]()
    footage_request.notify_by = Channel.LINE  # chose LINE on the form, never sent the code
    footage_request.save(update_fields=["notify_by"])
    assert decline(chain, footage_request, django_capture_on_commit_callbacks) is None
    assert list(Notification.objects.filter(event=NotificationEvent.DECLINED).values_list("channel", "status")) == [
        (Channel.SMS, "sent")
    ]
    assert line.requests == []


def test_without_a_line_channel_a_linked_request_is_told_by_sms(
    chain, linked, line, django_capture_on_commit_callbacks, settings
):
    settings.CCTV_LINE_CHANNEL_ACCESS_TOKEN = ""
    decline(chain, linked, django_capture_on_commit_callbacks)
    assert sms.MemoryGateway.outbox and line.requests == []
