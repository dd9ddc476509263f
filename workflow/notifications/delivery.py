import logging
import string
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from cctv.home.selectors import service_settings
from cctv.thai.dates import format_be_date
from workflow.constants import Channel
from workflow.notifications.models import MessageTemplate, Notification
from workflow.notifications.sms import SmsError, gateway

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """Sending failed; the Celery task retries with back-off."""


class _Placeholders(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def _context(notification: Notification) -> dict:
    footage_request = notification.request
    service = service_settings()
    base = settings.CCTV_PUBLIC_BASE_URL.rstrip("/")
    return {
        "reference": footage_request.reference,
        "status": footage_request.get_public_status_display(),
        "status_url": base + reverse("cctv_forms:status", kwargs={"token": footage_request.token}),
        "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("wagtailsnippets_cctv_workflow_footagerequest:edit", args=[footage_request.pk]),
        "message": footage_request.public_message,
        "organisation": service.organisation_name if service else "",
        "contact_phone": service.contact_phone if service else "",
        "step": notification.context.get("step", ""),
        "overwritten_on": format_be_date(footage_request.footage_overwritten_on)
        if footage_request.footage_overwritten_on
        else "",
    }


def render(notification: Notification) -> tuple[str, str]:
    """(subject, text) in Thai, from the editor's template if there is one."""
    with translation.override(settings.LANGUAGE_CODE):
        context = _context(notification)
        custom = MessageTemplate.objects.filter(event=notification.event, channel=notification.channel).first()
        if custom is not None:
            formatter = string.Formatter()
            subject = formatter.vformat(custom.subject, (), _Placeholders(context))
            text = formatter.vformat(custom.body, (), _Placeholders(context))
            return subject, text
        rendered = render_to_string(f"notifications/{notification.event}.{notification.channel}.txt", context)
    subject, _sep, text = rendered.partition("\n---\n")
    return subject.strip(), text.strip()


def _recipient(notification: Notification) -> str:
    if notification.user_id:
        return notification.user.email
    if notification.channel == Channel.SMS:
        return notification.request.phone
    return notification.request.email


def deliver(notification_id: int) -> bool:
    """Sends one notification; False when there was nothing to send (already sent, or given up)."""
    failure = None
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("request", "user")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.status != Notification.Status.PENDING:
            return False
        subject, text = render(notification)
        to = _recipient(notification)
        try:
            if notification.channel == Channel.SMS:
                gateway().send(to=to, text=text)
            else:
                send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
        except (SmsError, SMTPException, OSError) as exc:
            failure = exc
            notification.attempts += 1
            notification.last_error = type(exc).__name__
            if notification.attempts >= settings.CCTV_NOTIFICATION_MAX_ATTEMPTS:
                notification.status = Notification.Status.FAILED
        else:
            notification.attempts += 1
            notification.status = Notification.Status.SENT
            notification.sent_at = timezone.now()
        notification.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    if failure is not None:
        raise DeliveryFailed(type(failure).__name__) from failure
    return True
