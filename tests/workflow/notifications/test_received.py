"""The applicant is told once that staff took the request up (เจ้าหน้าที่รับเรื่องแล้ว), and not again when a
resubmission brings the request back to that status."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from tests.factories import national_id
from workflow.approval.services import approve_step, ask_for_information
from workflow.constants import Channel, NotificationEvent
from workflow.lifecycle import PublicStatus
from workflow.notifications import sms
from workflow.notifications.models import STAFF_EVENTS, MessageTemplate, Notification
from workflow.notifications.outbox import queue_once_for_applicant
from workflow.request.models import FootageRequest
from workflow.request.services import resubmit_request

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "notifications"


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.MemoryGateway.outbox.clear()
    yield
    sms.MemoryGateway.outbox.clear()


def fresh(footage_request) -> FootageRequest:
    return FootageRequest.objects.get(pk=footage_request.pk)


def decide(chain, footage_request, level, capture, action=approve_step, **kwargs):
    with capture(execute=True):
        action(task_state=fresh(footage_request).current_workflow_task_state, user=chain["users"][level], **kwargs)


def received(footage_request):
    return Notification.objects.filter(request=footage_request, event=NotificationEvent.RECEIVED)


def test_the_first_approval_tells_the_applicant_by_sms_and_e_mail(chain, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        footage_request = chain["new"]()
    FootageRequest.objects.filter(pk=footage_request.pk).update(email="applicant@example.invalid")
    sms.MemoryGateway.outbox.clear()

    decide(chain, footage_request, "officer", django_capture_on_commit_callbacks)

    assert fresh(footage_request).public_status == PublicStatus.RECEIVED
    assert sorted(received(footage_request).values_list("channel", "status")) == [
        (Channel.EMAIL, Notification.Status.SENT),
        (Channel.SMS, Notification.Status.SENT),
    ]
    (message,) = sms.MemoryGateway.outbox
    assert message["to"] == "0812345678"
    assert "เจ้าหน้าที่รับเรื่อง" in message["text"] and footage_request.reference in message["text"]
    assert f"/status/{footage_request.token}/" in message["text"]
    # No more of the person than the other messages carry: the reference and the status link.
    for text in (message["text"],):
        assert "สมศักดิ์" not in text and "ใจดี" not in text and national_id() not in text


def test_later_levels_send_no_second_notice(chain, django_capture_on_commit_callbacks):
    footage_request = chain["new"]()
    for level in ("officer", "head", "deputy"):
        decide(chain, footage_request, level, django_capture_on_commit_callbacks)
    assert received(footage_request).count() == 1


def test_a_resubmission_back_to_received_sends_no_second_notice(chain, django_capture_on_commit_callbacks):
    footage_request = chain["new"]()
    decide(chain, footage_request, "officer", django_capture_on_commit_callbacks)
    decide(chain, footage_request, "head", django_capture_on_commit_callbacks, ask_for_information, comment="แนบบันทึก")
    with django_capture_on_commit_callbacks(execute=True):
        resubmit_request(footage_request=fresh(footage_request), note="แนบแล้ว", attachments=[])
    assert fresh(footage_request).public_status == PublicStatus.RECEIVED
    assert received(footage_request).count() == 1
    assert Notification.objects.filter(request=footage_request, event=NotificationEvent.MORE_INFO).count() == 1


def test_taken_up_with_a_question_the_more_info_message_is_the_notice(chain, django_capture_on_commit_callbacks):
    """The officer's first decision asks for more information: that message tells the applicant; neither the
    answer nor the officer's approval after it adds a "received" message."""
    footage_request = chain["new"]()
    decide(
        chain, footage_request, "officer", django_capture_on_commit_callbacks, ask_for_information, comment="แนบบันทึก"
    )
    with django_capture_on_commit_callbacks(execute=True):
        resubmit_request(footage_request=fresh(footage_request), note="แนบแล้ว", attachments=[])
    decide(chain, footage_request, "officer", django_capture_on_commit_callbacks)
    assert fresh(footage_request).public_status == PublicStatus.RECEIVED
    assert not received(footage_request).exists()


def test_queue_once_queues_an_event_once_per_request(chain):
    first, second = chain["new"](), chain["new"]()
    with transaction.atomic():
        assert len(queue_once_for_applicant(footage_request=first, event=NotificationEvent.RECEIVED)) == 1
        assert queue_once_for_applicant(footage_request=first, event=NotificationEvent.RECEIVED) == []
        assert len(queue_once_for_applicant(footage_request=second, event=NotificationEvent.RECEIVED)) == 1


@pytest.mark.parametrize("event", [e for e in NotificationEvent if e not in STAFF_EVENTS])
@pytest.mark.parametrize("channel", list(Channel))
def test_every_message_to_applicants_has_default_wording(event, channel):
    assert (TEMPLATES / f"{event}.{channel}.txt").is_file()


def test_editors_word_the_received_message_with_the_applicants_placeholders(chain, django_capture_on_commit_callbacks):
    refused = MessageTemplate(event=NotificationEvent.RECEIVED, channel=Channel.SMS, body="เปิด {admin_url}")
    with pytest.raises(ValidationError) as raised:
        refused.full_clean()
    assert "{admin_url}" in str(raised.value)
    wording = MessageTemplate(
        event=NotificationEvent.RECEIVED, channel=Channel.SMS, body="{organisation} รับเรื่อง {reference} แล้ว"
    )
    wording.full_clean()
    wording.save()
    footage_request = chain["new"]()
    decide(chain, footage_request, "officer", django_capture_on_commit_callbacks)
    assert sms.MemoryGateway.outbox[-1]["text"] == f"องค์การบริหารส่วนจังหวัดทดสอบ รับเรื่อง {footage_request.reference} แล้ว"
