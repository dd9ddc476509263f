"""``/line/webhook/``: LINE's signed posts, each event acting once, the replies through the real SDK."""

import base64
import hashlib
import hmac
import json

import pytest

from tests.workflow.line.conftest import MALEE, SECRET, SOMCHAI
from workflow.constants import Channel
from workflow.line import links
from workflow.line.models import LineEvent, LineLink

URL = "/line/webhook/"


def signed(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


_ids = iter(range(10**6))


def event(
    kind: str, *, user: str = SOMCHAI, text: str | None = None, event_id: str | None = None, data: str | None = None
) -> dict:
    found = {
        "type": kind,
        "mode": "active",
        "timestamp": 1764720000000,
        "source": {"type": "user", "userId": user},
        "webhookEventId": event_id or f"01JEVENT{next(_ids):018d}",
        "deliveryContext": {"isRedelivery": False},
    }
    if kind != "unfollow":
        found["replyToken"] = f"reply-{found['webhookEventId']}"
    if kind == "follow":
        found["follow"] = {"isUnblocked": False}
    if text is not None:
        found["message"] = {"type": "text", "id": "1", "quoteToken": "q", "text": text}
    if data is not None:
        found["postback"] = {"data": data}
    return found


def post(client, *events, signature: str | None = "sign", secret: str = SECRET):
    body = json.dumps({"destination": "U" + "0" * 32, "events": list(events)}).encode()
    headers = {} if signature is None else {"HTTP_X_LINE_SIGNATURE": signed(body, secret) if signature else ""}
    return client.post(URL, data=body, content_type="application/json", **headers)


def replied(line) -> list[str]:
    return [message["text"] for body in line.replies for message in body["messages"]]


@pytest.fixture
def footage_request(chain, line):
    return chain["new"]()


def test_the_code_sent_on_line_links_the_sender_and_says_so_in_thai(client, footage_request, line):
    code = links.issue_code(footage_request)
    answer = post(client, event("message", text=f"รหัส {code}"))
    assert answer.status_code == 200
    assert links.line_user_ids(footage_request) == [SOMCHAI]
    footage_request.refresh_from_db()
    assert footage_request.notify_by == Channel.LINE
    [text] = replied(line)
    assert footage_request.reference in text and "จะได้รับแจ้งผล" in text


@pytest.mark.parametrize("signature", [None, "", "wrong"])
def test_an_unsigned_or_wrongly_signed_post_gets_400_and_changes_nothing(client, footage_request, line, signature):
    code = links.issue_code(footage_request)
    if signature == "wrong":
        answer = post(client, event("message", text=code), secret="another-channel's-secret")
    else:
        answer = post(client, event("message", text=code), signature=signature)
    assert answer.status_code == 400
    assert not LineLink.objects.exists() and not LineEvent.objects.exists()
    assert line.requests == []
    # The code still works afterwards: nothing was used up.
    assert post(client, event("message", text=code)).status_code == 200
    assert LineLink.objects.count() == 1


def test_an_event_delivered_twice_acts_once(client, footage_request, line):
    code = links.issue_code(footage_request)
    first = event("message", text=code)
    assert post(client, first).status_code == 200
    again = {**first, "deliveryContext": {"isRedelivery": True}}
    assert post(client, again).status_code == 200
    assert LineLink.objects.count() == 1 and LineEvent.objects.count() == 1
    assert len(line.replies) == 1  # the redelivery is not answered "code used"


def test_a_used_or_unknown_code_is_refused_politely(client, footage_request, line):
    code = links.issue_code(footage_request)
    post(client, event("message", text=code))
    post(client, event("message", text=code, user=MALEE))
    post(client, event("message", text="ABCD-EFGH", user=MALEE))
    assert links.line_user_ids(footage_request) == [SOMCHAI]
    assert "ถูกใช้ไปแล้ว" in replied(line)[1] and "ไม่พบรหัสนี้" in replied(line)[2]


def test_status_answers_each_linked_request_with_its_link(client, footage_request, line):
    post(client, event("message", text="สถานะ"))
    assert "ยังไม่ได้เชื่อมต่อ" in replied(line)[0]
    post(client, event("message", text=links.issue_code(footage_request)))
    post(client, event("message", text=" สถานะ "))
    text = replied(line)[-1]
    assert footage_request.reference in text
    assert footage_request.get_public_status_display() in text
    assert f"/status/{footage_request.token}/" in text
    assert "สมศักดิ์" not in text and footage_request.phone not in text


def test_unlinking_by_message_or_by_blocking_the_account(client, chain, footage_request, line):
    post(client, event("message", text=links.issue_code(footage_request)))
    post(client, event("message", text="เลิกติดตาม"))
    assert not LineLink.objects.exists()
    assert "ทาง SMS" in replied(line)[-1]
    footage_request.refresh_from_db()
    assert footage_request.notify_by == Channel.SMS
    post(client, event("message", text=links.issue_code(footage_request)))
    replies = len(line.replies)
    post(client, event("unfollow"))
    assert not LineLink.objects.exists()
    assert len(line.replies) == replies  # nobody to reply to


def test_following_the_account_is_greeted_with_how_to_link(client, footage_request, line):
    post(client, event("follow"))
    assert "ขอบคุณที่เพิ่ม" in replied(line)[0] and "รหัสเชื่อมต่อ" in replied(line)[0]
    post(client, event("message", text="สวัสดีครับ"))
    assert "รหัสเชื่อมต่อ" in replied(line)[1]
    assert not LineLink.objects.exists()


def test_a_lost_reply_loses_nothing(client, footage_request, line, settings):
    settings.CCTV_LINE_CHANNEL_ACCESS_TOKEN = "not-the-token-line-knows"
    assert post(client, event("message", text=links.issue_code(footage_request))).status_code == 200
    assert LineLink.objects.count() == 1 and line.replies == []


def test_another_organisations_host_uses_its_own_channel_and_its_own_codes(client, footage_request, line, settings):
    from tests.factories import another_organisation

    settings.ALLOWED_HOSTS = ["localhost", "testserver", "nan.example.test"]
    another_organisation(code="NAN", host="nan.example.test")
    code = links.issue_code(footage_request)
    body = json.dumps({"destination": "U" + "0" * 32, "events": [event("message", text=code)]}).encode()
    answer = client.post(
        URL,
        data=body,
        content_type="application/json",
        HTTP_X_LINE_SIGNATURE=signed(body),
        HTTP_HOST="nan.example.test",
    )
    # Nan keeps no channel of its own and the installation's channel links only Nan's codes on Nan's host.
    assert answer.status_code == 200
    assert not LineLink.objects.exists()
    assert "ไม่พบรหัสนี้" in replied(line)[0]


def test_a_get_is_not_allowed(client, footage_request, line):
    assert client.get(URL).status_code == 405
