"""Sending SMS through a gateway chosen by settings.

``CCTV_SMS_BACKEND`` names a class with ``send(*, to, text) -> str``:
- ``workflow.notifications.sms.LogGateway`` (development): writes a line with the number masked;
- ``workflow.notifications.sms.HttpGateway`` (production): POSTs JSON to ``CCTV_SMS_URL`` with a bearer token,
  as most Thai SMS providers accept; adapt the payload names with ``CCTV_SMS_TO_FIELD``/``CCTV_SMS_TEXT_FIELD``;
- ``workflow.notifications.sms.MemoryGateway`` (tests): keeps messages in a list.
"""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway did not accept the message; the delivery task retries."""


def _masked(number: str) -> str:
    return f"{number[:3]}xxxx{number[-3:]}" if len(number) >= 9 else "xxx"


class LogGateway:
    def send(self, *, to: str, text: str) -> str:
        logger.info("SMS to %s (%d characters)", _masked(to), len(text))
        return "logged"


class MemoryGateway:
    outbox: list[dict] = []

    def send(self, *, to: str, text: str) -> str:
        self.outbox.append({"to": to, "text": text})
        return f"memory-{len(self.outbox)}"


class HttpGateway:
    def __init__(self):
        self.url = settings.CCTV_SMS_URL
        self.token = settings.CCTV_SMS_TOKEN
        self.sender = settings.CCTV_SMS_SENDER
        self.to_field = settings.CCTV_SMS_TO_FIELD
        self.text_field = settings.CCTV_SMS_TEXT_FIELD
        self.timeout = settings.CCTV_SMS_TIMEOUT

    def send(self, *, to: str, text: str) -> str:
        body = json.dumps({self.to_field: to, self.text_field: text, "sender": self.sender}).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's configuration
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                payload = response.read(4096)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(type(exc).__name__) from exc
        try:
            return str(json.loads(payload or b"{}").get("id", "sent"))
        except ValueError:
            return "sent"


def gateway():
    return import_string(settings.CCTV_SMS_BACKEND)()
