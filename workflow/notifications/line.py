"""LINE's Messaging API through line-bot-sdk v3: push (the outbox's LINE channel) and reply (the webhook's answers).

``CCTV_LINE_API_BASE`` is LINE's own API in production; the tests point it at a local server implementing the
endpoints used here (tests/line_server.py). The SDK's own retries are off: the outbox retries, with back-off.

Sending twice: each push carries ``X-Line-Retry-Key``, a UUID made from the notification's idempotency key and the
recipient, so a push resent after a lost worker or a lost answer is the same request to LINE, which sends it at
most once and answers the repeat with 409 ("accepted before"): that is success here. LINE keeps retry keys for 24
hours; the outbox's retries end sooner. What LINE's answers mean for delivery:

- 2xx, or 409 to a keyed push: sent.
- 429 (rate or monthly quota) and 5xx, or no answer at all: ``LineError``, retried with the same key.
- Any other 4xx (a revoked token, a user who blocked the account, a malformed message): ``LinePermanent``, no
  retry can mend it; the outbox then tells the applicant by SMS instead.
"""

import logging
import uuid
from urllib.parse import parse_qs, urlencode

from django.conf import settings
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexMessage,
    FlexText,
    MessagingApi,
    PostbackAction,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    TextMessage,
    URIAction,
)
from urllib3.exceptions import HTTPError as Urllib3Error

from cctv.field_encryption import unseal
from workflow.constants import SATISFACTION_SCORES

logger = logging.getLogger(__name__)

# The purpose the LINE user ids are sealed under (workflow/line/links.py seals them).
LINE_USER_PURPOSE = b"cctv.line_user"
_RETRY_KEYS = uuid.UUID("6f1b7c2e-4d0a-4b8e-9a51-3c2f0e7d9b44")
ALT_TEXT_LIMIT = 400  # LINE's limit for a Flex message's altText
TEXT_LIMIT = 2000  # well inside a bubble's; the templates are a few lines


class LineError(Exception):
    """LINE did not accept the push now (429, 5xx, no answer): retried with the same retry key."""


class LinePermanent(LineError):
    """LINE refused the push for good (4xx other than 409 and 429), or nobody can be reached on LINE any more."""


def unseal_user(stored: str) -> str:
    return unseal(stored, purpose=LINE_USER_PURPOSE)


def linked_user_ids(footage_request) -> list[str]:
    """The LINE user ids linked to the request, oldest link first, in clear (only for the call to LINE). Read
    through the request's reverse relation: this layer does not import the request's models."""
    sealed = footage_request.line_links.order_by("pk").values_list("line_user_sealed", flat=True)
    return [unseal_user(stored) for stored in sealed]


def retry_key(idempotency_key: str, to: str) -> str:
    return str(uuid.uuid5(_RETRY_KEYS, f"{idempotency_key}:{to}"))


def _api(access_token: str) -> ApiClient:
    configuration = Configuration(host=settings.CCTV_LINE_API_BASE, access_token=access_token)
    configuration.retries = False  # the outbox retries; a hidden retry would only hold a worker
    return ApiClient(configuration)


RATE_ACTION = "rate"
QUICK_REPLY_LABEL_LIMIT = 20  # LINE's limit for a quick reply button's label


def rating_choices(request_pk: int, scores) -> QuickReply:
    """One tap to rate the service (issue #16 §4): the quick reply buttons under the message, 5 first. The
    postback names the request by its key, which only the webhook reads back, and only for a LINE user linked to
    that request (forms/line_webhook.py)."""
    return QuickReply(
        items=[
            QuickReplyItem(
                action=PostbackAction(
                    label=f"{score} {label}"[:QUICK_REPLY_LABEL_LIMIT],
                    data=urlencode({"action": RATE_ACTION, "request": request_pk, "score": score}),
                    display_text=f"{score} - {label}",
                )
            )
            for score, label in reversed(scores)
        ]
    )


def parse_rating(data: str) -> tuple[int, int] | None:
    """(request key, score) of a rating postback; None for anything else."""
    fields = parse_qs(data or "")
    if fields.get("action") != [RATE_ACTION]:
        return None
    try:
        request_pk, score = int(fields["request"][0]), int(fields["score"][0])
    except (KeyError, ValueError):
        return None
    return (request_pk, score) if score in dict(SATISFACTION_SCORES) else None


def flex(
    *, title: str, text: str, link: str, link_label: str, question: str = "", quick_reply: QuickReply | None = None
) -> FlexMessage:
    """The Thai bubble citizens get: the event as its title, the text, and a button to the status page. The text
    is the template's: reference, status and link, never a name, an ID number or a phone number. ``question``
    (with its ``quick_reply`` answers) ends the body: the rating asked once the request has ended."""
    body = [FlexText(text=text[:TEXT_LIMIT], wrap=True, size="md")]
    if question:
        body.append(FlexText(text=question, wrap=True, size="sm", weight="bold", margin="lg"))
    bubble = FlexBubble(
        header=FlexBox(layout="vertical", contents=[FlexText(text=title, weight="bold", size="lg", wrap=True)]),
        body=FlexBox(layout="vertical", contents=body),
        footer=FlexBox(
            layout="vertical",
            contents=[FlexButton(style="primary", action=URIAction(label=link_label[:40], uri=link))],
        ),
    )
    alt_text = f"{title}: {text}" if title else text
    return FlexMessage(alt_text=alt_text[:ALT_TEXT_LIMIT], contents=bubble, quick_reply=quick_reply)


def push(*, access_token: str, to: str, message, idempotency_key: str) -> str:
    """Pushes ``message`` to the LINE user ``to``; LINE's request id ("" when it gave none, or on a 409)."""
    try:
        with _api(access_token) as client:
            answer = MessagingApi(client).push_message_with_http_info(
                PushMessageRequest(to=to, messages=[message]),
                x_line_retry_key=retry_key(idempotency_key, to),
                _request_timeout=settings.CCTV_LINE_TIMEOUT,
            )
    except ApiException as exc:
        # Only the status: LINE's error body can quote what was sent.
        if exc.status == 409:
            return ""  # this retry key was accepted before: the message was sent
        if exc.status == 429 or (exc.status or 500) >= 500:
            raise LineError(f"LINE answered {exc.status}") from None
        raise LinePermanent(f"LINE answered {exc.status}") from None
    except (Urllib3Error, OSError) as exc:
        raise LineError(type(exc).__name__) from None
    return (answer.headers or {}).get("x-line-request-id", "")


def reply(*, access_token: str, reply_token: str, texts: list[str]) -> bool:
    """Answers a webhook event (free of charge, once per event). False when LINE did not take it: a reply is a
    courtesy, what the event did (a link, an unlink) is already stored."""
    try:
        with _api(access_token) as client:
            MessagingApi(client).reply_message(
                ReplyMessageRequest(reply_token=reply_token, messages=[TextMessage(text=t[:5000]) for t in texts[:5]]),
                _request_timeout=settings.CCTV_LINE_TIMEOUT,
            )
    except ApiException as exc:
        logger.warning("LINE refused a reply (%s)", exc.status)
        return False
    except (Urllib3Error, OSError) as exc:
        logger.warning("LINE reply not sent (%s)", type(exc).__name__)
        return False
    return True
