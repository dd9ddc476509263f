"""Sending SMS through a gateway chosen by settings.

``CCTV_SMS_BACKEND`` names a class with ``send(*, to, text, idempotency_key) -> str``:
- ``workflow.notifications.sms.LogGateway`` (development): writes a line with the number masked;
- ``workflow.notifications.sms.HttpGateway`` (production): POSTs JSON to ``CCTV_SMS_URL`` with a bearer token,
  as most Thai SMS providers accept; adapt the payload names with ``CCTV_SMS_TO_FIELD``/``CCTV_SMS_TEXT_FIELD``;
- ``workflow.notifications.thaibulksms.ThaiBulkSmsGateway`` (production, ThaiBulkSMS): see that module;
- ``workflow.notifications.sms.MemoryGateway`` (tests): keeps messages in a list.

A gateway is made for one SMS account (``SmsAccount``: the sender name, and the API key and secret of an
organisation's own account, see senders.py) and ``send`` returns the provider's message id, "" when it gave none.
A gateway raises ``SmsError`` when the outcome is unknown or the provider is down (retried, same key),
``SmsRejected`` when the provider refused (retried, new key) and an ``SmsPermanent`` when no retry can help (no
credit, a bad number, an unregistered sender, too long): the notification fails at once, its class name is its
``last_error`` and the Messages admin shows ``permanent_error_label`` of it.

Sending twice, and what the provider must guarantee
---------------------------------------------------
A worker can be lost (killed, out of memory, the machine restarted) after the provider accepted a message and
before the database says so. ``delivery.deliver`` therefore marks the notification "sending" and commits that
*before* it calls the provider, with an idempotency key made once per notification
(``cctv-<notification id>-<attempt>-<random>``; the random part keeps two installations, or a database restored
over an old one, from sharing keys at one provider account). A notification found still "sending" after
``CCTV_NOTIFICATION_SENDING_TIMEOUT`` seconds is sent again by the periodic job, with the same key and the same
text. ``HttpGateway`` passes the key as the ``Idempotency-Key`` header and, when ``CCTV_SMS_IDEMPOTENCY_FIELD``
names one (default ``client_ref``; empty for none), as that JSON field.

The provider must: send at most one SMS per key, for at least a day (the retries run for hours); answer a repeated
key with success (2xx), not an error; and, if it checks, see the same body each time (we resend the stored text).
A refusal with 4xx, other than 408, 409, 422, 425 and 429 (which, per the IETF Idempotency-Key draft, can mean
"that key is in use"), says nothing was accepted: the next attempt gets a new key.

If the provider ignores the key, delivery is **at least once**: a worker lost in the seconds between the provider
accepting and the database recording it makes a second, identical SMS after the timeout. We chose that over at
most once (never resend a notification left "sending") because a lost message costs more here: an applicant not
told that information is wanted or that a copy is ready can miss the deadline before the recorder overwrites the
footage, while a duplicate costs one SMS. The window is small (one HTTP round trip), and nothing is ever sent twice
while its worker lives: a second queued copy of the task finds the row "sending" or "sent" and does nothing.
"""

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from workflow.notifications.masking import mask_phone

logger = logging.getLogger(__name__)

# 4xx answers that can mean "this key is in use" (concurrent request, key reused with another body) or "later":
# the message may exist under the key, so the next attempt keeps it.
KEEP_KEY_STATUSES = frozenset({408, 409, 422, 425, 429})


class SmsError(Exception):
    """The gateway did not accept the message, or its answer was lost; the delivery task retries with the key."""


class SmsRejected(SmsError):
    """The provider answered and refused the message: nothing exists under the key, the next try gets a new one."""


class SmsPermanent(SmsRejected):
    """Refused for a reason another attempt cannot mend: delivery marks the notification failed at once."""

    label = _("The SMS provider refused the message for good")


class SmsCreditExhausted(SmsPermanent):
    label = _("The SMS account has no credit left: top it up; this message was not sent")


class SmsInvalidNumber(SmsPermanent):
    label = _("The SMS provider says the phone number cannot receive SMS")


class SmsInvalidSender(SmsPermanent):
    label = _("The SMS sender name is not registered with the SMS account (service settings or CCTV_SMS_SENDER)")


class SmsTooLong(SmsPermanent):
    label = _("The text is longer than the most SMS parts allowed (CCTV_SMS_MAX_PARTS)")


PERMANENT_ERRORS = {
    cls.__name__: cls for cls in (SmsPermanent, SmsCreditExhausted, SmsInvalidNumber, SmsInvalidSender, SmsTooLong)
}


def permanent_error_label(code: str) -> str:
    """The Thai (or English) reason for a ``last_error`` that names a permanent refusal; "" for any other."""
    cls = PERMANENT_ERRORS.get(code)
    return str(cls.label) if cls else ""


@dataclass(frozen=True)
class SmsAccount:
    """Whose name and account an SMS goes out under (senders.sms_account): an organisation's own account when
    ``own``, else the installation's (its settings). The key and secret never appear in a repr or a log."""

    sender: str
    api_key: str = field(default="", repr=False)
    api_secret: str = field(default="", repr=False)
    own: bool = False


def installation_account() -> SmsAccount:
    return SmsAccount(sender=settings.CCTV_SMS_SENDER)


class LogGateway:
    def __init__(self, account: SmsAccount | None = None):
        self.account = account or installation_account()

    def send(self, *, to: str, text: str, idempotency_key: str) -> str:
        logger.info(
            "SMS from %s to %s (%d characters, key %s)", self.account.sender, mask_phone(to), len(text), idempotency_key
        )
        return ""  # nothing left the machine: no provider's message id


class MemoryGateway:
    outbox: list[dict] = []

    def __init__(self, account: SmsAccount | None = None):
        self.account = account or installation_account()

    def send(self, *, to: str, text: str, idempotency_key: str) -> str:
        self.outbox.append(
            {
                "to": to,
                "text": text,
                "idempotency_key": idempotency_key,
                "sender": self.account.sender,
                "api_key": self.account.api_key,
            }
        )
        return str(len(self.outbox))  # a number, as the providers' message ids are


class HttpGateway:
    """An organisation's own account gives its API secret as the bearer token (such providers have one token)."""

    def __init__(self, account: SmsAccount | None = None):
        account = account or installation_account()
        self.url = settings.CCTV_SMS_URL
        self.token = account.api_secret if account.own else settings.CCTV_SMS_TOKEN
        self.sender = account.sender
        self.to_field = settings.CCTV_SMS_TO_FIELD
        self.text_field = settings.CCTV_SMS_TEXT_FIELD
        self.key_field = settings.CCTV_SMS_IDEMPOTENCY_FIELD
        self.timeout = settings.CCTV_SMS_TIMEOUT

    def send(self, *, to: str, text: str, idempotency_key: str) -> str:
        fields = {self.to_field: to, self.text_field: text, "sender": self.sender}
        if self.key_field:
            fields[self.key_field] = idempotency_key
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's configuration
            self.url,
            data=json.dumps(fields).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": idempotency_key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                payload = response.read(4096)
        except urllib.error.HTTPError as exc:
            if 400 <= exc.code < 500 and exc.code not in KEEP_KEY_STATUSES:
                raise SmsRejected(f"HTTP {exc.code}") from exc
            raise SmsError(f"HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(type(exc).__name__) from exc
        try:
            return str(json.loads(payload or b"{}").get("id") or "")[:100]
        except (ValueError, AttributeError):
            return ""  # accepted, but the provider gave no message id


def gateway(account: SmsAccount | None = None):
    """The configured gateway, sending under ``account`` (the installation's when None)."""
    return import_string(settings.CCTV_SMS_BACKEND)(account=account)
