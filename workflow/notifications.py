"""Notifications through an outbox.

``queue_*`` write Notification rows in the caller's transaction and hand their ids to Celery after commit;
``deliver`` sends one (idempotent: a sent row is never sent again). A broker that is down loses nothing:
the rows stay pending and a periodic job queues them again. Texts are templates: the defaults in
``templates/notifications/``, or the wording an editor saved as a MessageTemplate.
"""

import logging
import string
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Site

from cctv.home.models import ServiceSettings
from forms.thai_dates import format_be_date

from .constants import Channel, NotificationEvent
from .models import FootageRequest, MessageTemplate, Notification
from .sms import SmsError, gateway

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """Sending failed; the Celery task retries with back-off."""


def enqueue(ids: list[int]) -> None:
    from .tasks import deliver_notification

    for notification_id in ids:
        try:
            deliver_notification.delay(notification_id)
        except Exception as exc:  # noqa: BLE001 - a broker outage must not fail the citizen's or approver's request
            logger.warning(
                "Notification %s not queued now (%s); the periodic job will deliver it",
                notification_id,
                type(exc).__name__,
            )


def _create(rows: list[Notification]) -> list[Notification]:
    for row in rows:
        row.save()
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: enqueue(ids))
    return rows


def queue_for_applicant(*, footage_request: FootageRequest, event: NotificationEvent) -> list[Notification]:
    rows = [Notification(request=footage_request, event=event, channel=Channel.SMS)]
    if footage_request.email:
        rows.append(Notification(request=footage_request, event=event, channel=Channel.EMAIL))
    return _create(rows)


def queue_for_task_group(
    *, footage_request: FootageRequest, task, event: str = NotificationEvent.TASK_WAITING
) -> list[Notification]:
    """Tell the members of the group whose step the request has reached (or is at, for a warning)."""
    if task is None:
        return []
    members = (
        get_user_model()
        .objects.filter(groups__in=task.specific.groups.all(), is_active=True)
        .exclude(email="")
        .distinct()
    )
    return _create(
        [
            Notification(
                request=footage_request,
                event=event,
                channel=Channel.EMAIL,
                user=user,
                context={"step": task.name},
            )
            for user in members
        ]
    )


class _Placeholders(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def _context(notification: Notification) -> dict:
    footage_request = notification.request
    site = Site.objects.filter(is_default_site=True).first()
    service = ServiceSettings.for_site(site) if site else None
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


def pending_ids(*, older_than_seconds: int = 120) -> list[int]:
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    return list(
        Notification.objects.filter(status=Notification.Status.PENDING, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:1000]
    )
