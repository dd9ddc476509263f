import logging
import secrets
import string
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cctv.links import admin_url, public_url
from cctv.thai.dates import format_be_date
from workflow import lifecycle
from workflow.constants import SATISFACTION_SCORES, Channel
from workflow.line.channel import line_channel
from workflow.notifications import line
from workflow.notifications.masking import mask_recipient
from workflow.notifications.models import MessageTemplate, Notification, placeholder_errors
from workflow.notifications.senders import mail_from, settings_of, sms_account
from workflow.notifications.sms import SmsError, SmsPermanent, SmsRejected, gateway

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """Sending failed; the Celery task retries with back-off."""


def _status_url(footage_request) -> str:
    return public_url(reverse("cctv_forms:status", kwargs={"token": footage_request.token}))


def _context(notification: Notification) -> dict:
    footage_request = notification.request
    service = settings_of(footage_request)  # the request's own organisation's, never the default site's
    return {
        "reference": footage_request.reference,
        "status": footage_request.get_public_status_display(),
        "status_url": _status_url(footage_request),
        "admin_url": admin_url(reverse("wagtailsnippets_cctv_workflow_footagerequest:edit", args=[footage_request.pk])),
        "message": footage_request.public_message,
        "organisation": service.organisation_name if service else "",
        "contact_phone": service.contact_phone if service else "",
        "step": notification.context.get("step", ""),
        "times": notification.context.get("times", ""),  # the times offered for viewing (appointment only)
        "overwritten_on": format_be_date(footage_request.footage_overwritten_on)
        if footage_request.footage_overwritten_on
        else "",
    }


def _editor_wording(notification: Notification, context: dict) -> tuple[str, str] | None:
    # The wording of the request's own organisation (this runs in a worker, outside any staff member's scope).
    custom = MessageTemplate.objects.filter(
        organisation_id=notification.request.organisation_id, event=notification.event, channel=notification.channel
    ).first()
    if custom is None:
        return None
    if placeholder_errors(custom.subject, event=custom.event) or placeholder_errors(custom.body, event=custom.event):
        # Saved before templates were checked: the default is better than braces in a citizen's SMS.
        logger.warning("Message template %s has placeholders delivery cannot fill; the default is sent", custom.pk)
        return None
    formatter = string.Formatter()
    return formatter.vformat(custom.subject, (), context), formatter.vformat(custom.body, (), context)


def render(notification: Notification) -> tuple[str, str]:
    """(subject, text) in Thai, from the editor's template if there is one that delivery can fill."""
    with translation.override(settings.LANGUAGE_CODE):
        context = _context(notification)
        wording = _editor_wording(notification, context)
        if wording is not None:
            return wording
        rendered = render_to_string(f"notifications/{notification.event}.{notification.channel}.txt", context)
    subject, _sep, text = rendered.partition("\n---\n")
    return subject.strip(), text.strip()


def _recipient(notification: Notification) -> str:
    if notification.channel == Channel.LINE:
        return ""  # the linked LINE users, in _send_line: staff see "LINE", never an id
    if notification.user_id:
        return notification.user.email
    if notification.channel == Channel.SMS:
        return notification.request.phone
    return notification.request.email


def _message_id(key: str) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
    return f"<{key}@{domain}>"


def _claim(notification_id: int) -> Notification | None:
    """Marks the notification "sending" and commits it before anything leaves: the row then says a message may be
    at the provider, under which key. None when there is nothing to send now."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("request__organisation__site", "user")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            return None
        now = timezone.now()
        if notification.status == Notification.Status.SENDING:
            stale = now - timezone.timedelta(seconds=settings.CCTV_NOTIFICATION_SENDING_TIMEOUT)
            if notification.claimed_at is not None and notification.claimed_at > stale:
                return None  # a live worker has it in hand; a second queued copy of the task does nothing
            # Its worker was lost with the outcome unknown: send again under the same key, the provider dedupes.
            logger.warning("Notification %s was left sending; sent again with the same key", notification.pk)
            notification.last_error = "WorkerLost"
            if notification.attempts >= settings.CCTV_NOTIFICATION_MAX_ATTEMPTS:
                notification.status = Notification.Status.FAILED
                notification.payload = {}
                notification.save(update_fields=["status", "last_error", "payload"])
                return None
        elif notification.status != Notification.Status.PENDING:
            return None
        notification.attempts += 1
        if not notification.idempotency_key:
            notification.idempotency_key = f"cctv-{notification.pk}-{notification.attempts}-{secrets.token_hex(8)}"
        if not notification.payload:
            subject, text = render(notification)
            # "to" masked: what the Messages admin shows of the recipient as it was when the text was made.
            to = "LINE" if notification.channel == Channel.LINE else mask_recipient(_recipient(notification))
            notification.payload = {"subject": subject, "text": text, "to": to}
        notification.status = Notification.Status.SENDING
        notification.claimed_at = now
        notification.save(
            update_fields=["attempts", "idempotency_key", "payload", "status", "claimed_at", "last_error"]
        )
    return notification


def _send(notification: Notification) -> str:
    """Hands the message over under its organisation's sender; the provider's message id ("" for none)."""
    subject, text = notification.payload["subject"], notification.payload["text"]
    if notification.channel == Channel.LINE:
        return _send_line(notification, subject, text)
    to = _recipient(notification)
    key = notification.idempotency_key
    service = settings_of(notification.request)
    if notification.channel == Channel.SMS:
        return gateway(sms_account(service)).send(to=to, text=text, idempotency_key=key)
    # SMTP has no idempotency key; a stable Message-ID lets mailboxes that dedupe by it drop a resend.
    EmailMessage(subject, text, mail_from(service), [to], headers={"Message-ID": _message_id(key)}).send()
    return ""


def _record_sent(notification_id: int, provider_message_id: str = "") -> None:
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status == Notification.Status.SENT:
            return
        # Accepted is the truth, even if a later attempt meanwhile recorded a failure or gave up. The subject and
        # text stay: staff read in the Messages admin exactly what the citizen got (its link key masked there).
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.provider_message_id = provider_message_id
        notification.save(update_fields=["status", "sent_at", "provider_message_id"])


PERMANENT = (SmsPermanent, line.LinePermanent)


def _fall_back_to_sms(failed: Notification) -> None:
    """LINE could not take it after every retry, or refused for good: the applicant is told by SMS instead, once
    (a row turns failed once, under its lock)."""
    from workflow.notifications.outbox import enqueue

    fallback = Notification.objects.create(
        request_id=failed.request_id, event=failed.event, channel=Channel.SMS, context=failed.context
    )
    transaction.on_commit(lambda: enqueue([fallback.pk]))


def _record_failure(claimed: Notification, exc: Exception) -> bool:
    """Back to pending (or failed, after the last attempt); False when another attempt took the row meanwhile."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=claimed.pk).first()
        if (
            notification is None
            or notification.status != Notification.Status.SENDING
            or notification.claimed_at != claimed.claimed_at
        ):
            return False
        notification.last_error = type(exc).__name__
        if isinstance(exc, SmsRejected):
            # Refused: nothing exists under the key, so the next attempt may get a new key (and text).
            notification.idempotency_key = ""
            notification.payload = {}
        # A permanent refusal (no credit, a bad number...) fails at once: another attempt cannot mend it.
        if isinstance(exc, PERMANENT) or notification.attempts >= settings.CCTV_NOTIFICATION_MAX_ATTEMPTS:
            notification.status = Notification.Status.FAILED
            notification.payload = {}
            if notification.channel == Channel.LINE:
                _fall_back_to_sms(notification)
        else:
            notification.status = Notification.Status.PENDING
        notification.save(update_fields=["last_error", "idempotency_key", "payload", "status"])
    return True


def deliver(notification_id: int) -> bool:
    """Sends one notification; False when there was nothing to send (sent, given up, or another worker's).

    The provider is called between two committed transactions, the claim ("sending") and the outcome, so that no
    lock is held while it answers and a lost worker leaves a trace. See sms.py for what a lost worker means.
    """
    notification = _claim(notification_id)
    if notification is None:
        return False
    try:
        provider_message_id = _send(notification)
    except (SmsError, line.LineError, SMTPException, OSError) as exc:
        if _record_failure(notification, exc) and not isinstance(exc, PERMANENT):
            raise DeliveryFailed(type(exc).__name__) from exc
        return False
    _record_sent(notification_id, provider_message_id)
    return True


def _send_line(notification: Notification, subject: str, text: str) -> str:
    """A push to each LINE user linked to the request, under its organisation's channel. Nobody linked any more,
    or no channel: LinePermanent, and the applicant is told by SMS instead (_record_failure)."""
    footage_request = notification.request
    channel = line_channel(footage_request.organisation.site)
    users = line.linked_user_ids(footage_request)
    if channel is None or not users:
        raise line.LinePermanent("nobody to push to")
    question, choices = "", None
    with translation.override(settings.LANGUAGE_CODE):
        label = str(_("See the request"))
        if lifecycle.is_final(footage_request.public_status) and getattr(footage_request, "satisfaction", None) is None:
            question = str(_("How satisfied are you with our service? Tap a score below."))
            choices = line.rating_choices(
                footage_request.pk, [(score, str(name)) for score, name in SATISFACTION_SCORES]
            )
    message = line.flex(
        title=subject,
        text=text,
        link=_status_url(footage_request),
        link_label=label,
        question=question,
        quick_reply=choices,
    )
    ids = [
        line.push(
            access_token=channel.access_token, to=user, message=message, idempotency_key=notification.idempotency_key
        )
        for user in users
    ]
    return ",".join(filter(None, ids))[:100]
