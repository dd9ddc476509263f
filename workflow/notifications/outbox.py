"""Notifications through an outbox.

``queue_*`` write Notification rows in the caller's transaction and hand their ids to Celery after commit;
``deliver`` sends one (idempotent: a sent row is never sent again, and a resend after a lost worker carries the
same idempotency key, see sms.py). A broker that is down loses nothing: the rows stay pending and a periodic job
queues them again. Texts are templates: the defaults in
``templates/notifications/``, or the wording an editor saved as a MessageTemplate.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from workflow.constants import Channel, NotificationEvent
from workflow.notifications.delivery import logger
from workflow.notifications.models import Notification

if TYPE_CHECKING:
    from workflow.request.models import FootageRequest


def enqueue(ids: list[int]) -> None:
    from workflow.tasks import deliver_notification

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


def queue_for_applicant(
    *, footage_request: "FootageRequest", event: NotificationEvent, context: dict | None = None
) -> list[Notification]:
    """One message per channel; ``context`` holds what the event's text needs beyond the request (e.g. the times
    offered for viewing)."""
    context = context or {}
    rows = []
    if footage_request.notify_by == Channel.LINE and footage_request.line_links.exists():
        rows.append(Notification(request=footage_request, event=event, channel=Channel.LINE, context=context))
    elif footage_request.notify_by != Channel.EMAIL or not footage_request.email:
        rows.append(Notification(request=footage_request, event=event, channel=Channel.SMS, context=context))
    if footage_request.email:
        rows.append(Notification(request=footage_request, event=event, channel=Channel.EMAIL, context=context))
    return _create(rows)


def queue_once_for_applicant(*, footage_request: "FootageRequest", event: NotificationEvent) -> list[Notification]:
    """As ``queue_for_applicant``, unless the applicant was already sent (or is being sent) this event for this
    request. The caller holds the request row's lock, so two callers cannot both find none."""
    if Notification.objects.filter(request=footage_request, event=event, user__isnull=True).exists():
        return []
    return queue_for_applicant(footage_request=footage_request, event=event)


def queue_for_task_group(
    *, footage_request: "FootageRequest", task, event: str = NotificationEvent.TASK_WAITING
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


def pending_ids(*, older_than_seconds: int = 120) -> list[int]:
    """What the periodic job queues again: pending rows the broker may have lost, and rows left "sending" by a
    worker that was lost (``deliver`` sends those again under the same idempotency key)."""
    now = timezone.now()
    cutoff = now - timezone.timedelta(seconds=older_than_seconds)
    stale = now - timezone.timedelta(seconds=settings.CCTV_NOTIFICATION_SENDING_TIMEOUT)
    return list(
        Notification.objects.filter(
            Q(status=Notification.Status.PENDING, created_at__lt=cutoff)
            | Q(status=Notification.Status.SENDING, claimed_at__lt=stale)
        ).values_list("pk", flat=True)[:1000]
    )
