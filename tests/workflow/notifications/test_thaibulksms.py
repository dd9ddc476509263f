"""ThaiBulkSMS against a real local HTTP server that speaks its send endpoint: what is posted, and what the
outbox does with each answer (sent once, a 500 retried, no credit failed at once with a Thai reason)."""

import base64
from datetime import timedelta

import pytest
from django.urls import reverse

from tests.local_http import JsonHandler, serving
from workflow.constants import Channel
from workflow.notifications import sms
from workflow.notifications.models import Notification
from workflow.notifications.thaibulksms import ThaiBulkSmsGateway, msisdn, sms_parts
from workflow.tasks import deliver_pending_notifications

KEY, SECRET = "tbs-key", "tbs-secret"
BACKEND = "workflow.notifications.thaibulksms.ThaiBulkSmsGateway"


class Provider(JsonHandler):
    """POST /sms as ThaiBulkSMS answers it; ``answers`` is consumed one per request, the last one repeats."""

    answers: list[str] = ["ok"]
    received: list[dict] = []

    def do_POST(self):
        form = self.read_form()
        Provider.received.append({"path": self.path, "headers": dict(self.headers), "form": form})
        expected = "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self._answer(401, {"error": {"code": 401, "name": "UNAUTHORIZED", "description": "Unauthorized"}})
        answer = Provider.answers.pop(0) if len(Provider.answers) > 1 else Provider.answers[0]
        if answer == "ok":
            number = form["msisdn"]
            return self._answer(
                201,
                {
                    "remaining_credit": 99,
                    "total_use_credit": 1,
                    "credit_type": form.get("force"),
                    "phone_number_list": [{"number": number, "message_id": f"msg-{len(Provider.received)}"}],
                    "bad_phone_number_list": [],
                },
            )
        if answer == "bad_number":
            return self._answer(
                201,
                {
                    "remaining_credit": 99,
                    "total_use_credit": 0,
                    "phone_number_list": [],
                    "bad_phone_number_list": [{"number": form["msisdn"], "message": "Invalid phone number"}],
                },
            )
        if answer == "credit":
            return self._answer(
                400, {"error": {"code": 400, "name": "ERROR_CREDIT", "description": "Credit not enough"}}
            )
        if answer == "sender":
            return self._answer(400, {"error": {"code": 400, "name": "ERROR_SENDER", "description": "Invalid sender"}})
        return self._answer(500, {"error": {"code": 500, "name": "INTERNAL", "description": "Server error"}})


@pytest.fixture
def provider(settings):
    Provider.answers, Provider.received = ["ok"], []
    with serving(Provider) as url:
        settings.CCTV_SMS_BACKEND = BACKEND
        settings.CCTV_THAIBULKSMS_URL = url
        settings.CCTV_THAIBULKSMS_API_KEY, settings.CCTV_THAIBULKSMS_API_SECRET = KEY, SECRET
        settings.CCTV_SMS_SENDER = "TESSABAN"
        settings.CCTV_SMS_TIMEOUT = 5
        yield Provider


def submit(chain, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        footage_request = chain["new"]()
    return Notification.objects.get(request=footage_request, channel=Channel.SMS)


@pytest.mark.parametrize(
    ("text", "encoding", "units", "parts"),
    [
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # the extension table takes two septets
        ("ก" * 70, "UCS-2", 70, 1),
        ("ก" * 71, "UCS-2", 71, 2),
        ("ก" * 134, "UCS-2", 134, 2),
        ("ก" * 135, "UCS-2", 135, 3),
        ("a" * 69 + "😀", "UCS-2", 71, 2),  # outside the BMP: two UTF-16 units
    ],
)
def test_parts_are_counted_as_the_networks_count_them(text, encoding, units, parts):
    assert sms_parts(text) == (encoding, units, parts)


def test_numbers_are_sent_in_the_international_form():
    assert msisdn("0812345678") == "66812345678"
    assert msisdn("66812345678") == "66812345678"


def test_the_gateway_posts_the_provider_s_form_with_basic_auth(provider):
    message_id = ThaiBulkSmsGateway().send(to="0812345678", text="คำร้องของท่าน", idempotency_key="cctv-1-1-ab")
    assert message_id == "msg-1"
    (request,) = provider.received
    assert request["path"] == "/sms"
    assert request["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert request["form"] == {
        "msisdn": "66812345678",
        "message": "คำร้องของท่าน",
        "sender": "TESSABAN",
        "force": "corporate",
    }


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ("credit", sms.SmsCreditExhausted),
        ("sender", sms.SmsInvalidSender),
        ("bad_number", sms.SmsInvalidNumber),
        ("500", sms.SmsError),
    ],
)
def test_each_answer_is_a_permanent_or_a_temporary_error(provider, answer, error):
    provider.answers = [answer]
    with pytest.raises(sms.SmsError) as raised:
        ThaiBulkSmsGateway().send(to="0812345678", text="ทดสอบ", idempotency_key="k")
    assert type(raised.value) is error
    assert isinstance(raised.value, sms.SmsPermanent) is (answer != "500")


def test_wrong_credentials_are_refused_not_permanent(provider, settings):
    settings.CCTV_THAIBULKSMS_API_SECRET = "wrong"
    with pytest.raises(sms.SmsRejected) as raised:
        ThaiBulkSmsGateway().send(to="0812345678", text="ทดสอบ", idempotency_key="k")
    assert not isinstance(raised.value, sms.SmsPermanent)  # the operator mends it; later attempts then pass


def test_a_text_over_the_most_parts_is_refused_before_anything_is_sent(provider, settings):
    settings.CCTV_SMS_MAX_PARTS = 2
    with pytest.raises(sms.SmsTooLong):
        ThaiBulkSmsGateway().send(to="0812345678", text="ก" * 135, idempotency_key="k")
    assert provider.received == []


def test_through_the_outbox_a_notification_is_sent_once(provider, chain, django_capture_on_commit_callbacks):
    notification = submit(chain, django_capture_on_commit_callbacks)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(provider.received) == 1
    deliver_pending_notifications()
    assert len(provider.received) == 1


def test_a_500_is_retried_until_the_provider_accepts(provider, chain, django_capture_on_commit_callbacks):
    provider.answers = ["500", "ok"]
    notification = submit(chain, django_capture_on_commit_callbacks)
    notification.refresh_from_db()
    # Eager Celery records the retry but does not run it; the periodic job (or the worker's back-off) sends it.
    assert notification.status == Notification.Status.PENDING
    assert notification.last_error == "SmsError"
    Notification.objects.filter(pk=notification.pk).update(created_at=notification.created_at - timedelta(hours=1))
    deliver_pending_notifications()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 2
    assert len(provider.received) == 2


def test_no_credit_fails_at_once_with_a_thai_reason_in_the_messages_admin(
    provider, chain, django_capture_on_commit_callbacks, client
):
    provider.answers = ["credit"]
    notification = submit(chain, django_capture_on_commit_callbacks)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 1
    assert notification.last_error == "SmsCreditExhausted"
    Notification.objects.filter(pk=notification.pk).update(created_at=notification.created_at - timedelta(hours=1))
    deliver_pending_notifications()
    assert len(provider.received) == 1  # never tried again

    client.force_login(chain["users"]["officer"])
    thai = "บัญชี SMS ไม่มีเครดิตเหลือ"
    for url in (reverse("messages:index"), reverse("messages:inspect", args=[notification.pk])):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="th")
        assert response.status_code == 200
        assert thai in response.content.decode(), url
