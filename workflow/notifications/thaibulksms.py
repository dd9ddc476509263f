"""SMS through ThaiBulkSMS (api-v2), behind sms.py's ``send(*, to, text, idempotency_key) -> str``.

Chosen with ``CCTV_SMS_BACKEND=workflow.notifications.thaibulksms.ThaiBulkSmsGateway``. The provider's API as its
public clients use it: ``POST {CCTV_THAIBULKSMS_URL}/sms``, HTTP basic auth with the API key and secret (the
organisation's own account from its service settings, else ``CCTV_THAIBULKSMS_API_KEY``/``_SECRET``), a form
body ``msisdn``, ``message``, ``sender``, ``force`` (``standard`` or ``corporate`` credit); a 2xx answer is JSON
``{"remaining_credit", "total_use_credit", "credit_type", "phone_number_list": [{"number", "message_id",
"used_credit"}], "bad_phone_number_list": [{"number", "message"}]}``, an error ``{"error": {"code", "name",
"description"}}`` with a 4xx or 5xx status.

What is retried (the outbox, delivery.py): a 5xx, 408, 429, a timeout or an unreachable provider is temporary
(``SmsError``: the same key, Celery's back-off and the periodic job). Exhausted credit, a number the provider
lists as bad, an unregistered sender name and a text longer than ``CCTV_SMS_MAX_PARTS`` parts are permanent
(``SmsPermanent``: failed at once, with a Thai reason in the Messages admin): another try sends nothing and
costs the provider's rate limit. The provider publishes no numeric table of its error codes in what we could
check, so credit and sender errors are told by the words of ``error.name``/``error.description`` (and credit by
HTTP 402); any other 4xx is ``SmsRejected`` (tried again under a new key, as for HttpGateway).

ThaiBulkSMS takes no idempotency key: delivery is at least once (sms.py says why that was chosen).
"""

import base64
import json
import logging
import math
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from workflow.notifications.masking import mask_phone
from workflow.notifications.sms import (
    SmsAccount,
    SmsCreditExhausted,
    SmsError,
    SmsInvalidNumber,
    SmsInvalidSender,
    SmsRejected,
    SmsTooLong,
    installation_account,
)

logger = logging.getLogger(__name__)

# GSM 03.38: the basic set (one septet each) and the extension table (escape + character: two septets).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
# (one part, each part of a multipart message): the user data header of a concatenated SMS takes 6 bytes.
GSM7_LIMITS = (160, 153)
UCS2_LIMITS = (70, 67)
TEMPORARY_STATUSES = frozenset({408, 425, 429})


def sms_parts(text: str) -> tuple[str, int, int]:
    """(encoding, length in that encoding's units, number of parts). Thai letters are not in GSM-7, so a Thai
    text is UCS-2: 70 characters in one SMS, 67 in each part beyond (a character outside the BMP counts two)."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text):
        encoding, units, (single, multi) = "GSM-7", sum(2 if c in GSM7_EXTENDED else 1 for c in text), GSM7_LIMITS
    else:
        encoding, units, (single, multi) = "UCS-2", len(text.encode("utf-16-le")) // 2, UCS2_LIMITS
    parts = 1 if units <= single else math.ceil(units / multi)
    return encoding, units, parts


def msisdn(phone: str) -> str:
    """The international form without "+" (66812345678) from the national one the request stores."""
    digits = "".join(char for char in phone if char.isdigit())
    return "66" + digits[1:] if digits.startswith("0") else digits


def _error_of(payload: dict) -> tuple[str, str]:
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        return "", ""
    return str(error.get("code", "")), f"{error.get('name', '')} {error.get('description', '')}".strip()


def _classify(status: int, payload: dict) -> SmsError:
    code, words = _error_of(payload)
    lowered = words.lower()
    detail = f"HTTP {status} {code} {words}".strip()[:150]
    if status == 402 or "credit" in lowered or "balance" in lowered or "เครดิต" in words:
        return SmsCreditExhausted(detail)
    if "sender" in lowered or "ผู้ส่ง" in words:
        return SmsInvalidSender(detail)
    if "msisdn" in lowered or "phone" in lowered:
        return SmsInvalidNumber(detail)
    if status >= 500 or status in TEMPORARY_STATUSES:
        return SmsError(detail)
    return SmsRejected(detail)


class ThaiBulkSmsGateway:
    """Sends under an organisation's own account when ``account.own``, else the installation's (its settings)."""

    def __init__(self, account: SmsAccount | None = None):
        account = account or installation_account()
        self.url = settings.CCTV_THAIBULKSMS_URL.rstrip("/") + "/sms"
        if account.own:
            self.key, self.secret = account.api_key, account.api_secret
        else:
            self.key, self.secret = settings.CCTV_THAIBULKSMS_API_KEY, settings.CCTV_THAIBULKSMS_API_SECRET
        self.force = settings.CCTV_THAIBULKSMS_FORCE
        self.sender = account.sender
        self.max_parts = settings.CCTV_SMS_MAX_PARTS
        self.timeout = settings.CCTV_SMS_TIMEOUT

    def send(self, *, to: str, text: str, idempotency_key: str) -> str:
        encoding, units, parts = sms_parts(text)
        if parts > self.max_parts:
            raise SmsTooLong(f"{parts} parts ({units} {encoding} characters), at most {self.max_parts}")
        if parts > 1:
            logger.info("SMS %s is %d parts (%d %s characters)", idempotency_key, parts, units, encoding)
        number = msisdn(to)
        body = urllib.parse.urlencode(
            {"msisdn": number, "message": text, "sender": self.sender, "force": self.force}
        ).encode()
        credentials = base64.b64encode(f"{self.key}:{self.secret}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's configuration
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                "Authorization": f"Basic {credentials}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read(65536)
        except urllib.error.HTTPError as exc:
            raise _classify(exc.code, _json(exc.read(65536))) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(type(exc).__name__) from exc
        return self._message_id(_json(raw), number, idempotency_key)

    def _message_id(self, payload: dict, number: str, key: str) -> str:
        accepted = payload.get("phone_number_list") or []
        bad = payload.get("bad_phone_number_list") or []
        for item in accepted:
            if isinstance(item, dict) and item.get("message_id"):
                logger.info(
                    "SMS %s to %s accepted by ThaiBulkSMS as %s (%s credit left)",
                    key,
                    mask_phone(number),
                    item["message_id"],
                    payload.get("remaining_credit", "?"),
                )
                return str(item["message_id"])[:100]
        if bad:
            reason = bad[0].get("message", "") if isinstance(bad[0], dict) else ""
            raise SmsInvalidNumber(f"bad_phone_number_list {reason}"[:150])
        # A 2xx without a message id: the outcome is not known, so the same key is tried again.
        raise SmsError("answer without message_id")


def _json(raw: bytes) -> dict:
    try:
        payload = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}
