from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from workflow.constants import NotificationEvent
from workflow.lifecycle import OPEN
from workflow.notifications.outbox import queue_for_task_group
from workflow.request.models import FootageRequest


def is_at_risk(footage_request, *, preserved: bool, today: date | None = None) -> bool:
    """The at_risk() test for one request already in hand (``preserved``: whether any clip was kept)."""
    left = days_left(footage_request, today=today)
    return (
        left is not None
        and left <= settings.CCTV_FOOTAGE_RISK_DAYS
        and footage_request.public_status in OPEN
        and not preserved
    )


def days_left(footage_request: FootageRequest, *, today: date | None = None) -> int | None:
    if footage_request.footage_overwritten_on is None:
        return None
    return (footage_request.footage_overwritten_on - (today or timezone.localdate())).days


def at_risk(*, today: date | None = None):
    """Open requests whose footage will be overwritten within CCTV_FOOTAGE_RISK_DAYS and that nobody has
    preserved (a request closed as having no footage is no longer open)."""
    limit = (today or timezone.localdate()) + timedelta(days=settings.CCTV_FOOTAGE_RISK_DAYS)
    return FootageRequest.objects.filter(
        public_status__in=OPEN,
        footage_overwritten_on__lte=limit,
        preservations__isnull=True,
    )


def notify_footage_at_risk(*, today: date | None = None) -> int:
    """Tells the group at each at-risk request's step, once per request. Returns how many requests."""
    told = 0
    for footage_request in at_risk(today=today).filter(at_risk_notified_at__isnull=True).select_related("current_task"):
        with transaction.atomic():
            updated = FootageRequest.objects.filter(pk=footage_request.pk, at_risk_notified_at__isnull=True).update(
                at_risk_notified_at=timezone.now()
            )
            if not updated:
                continue
            queue_for_task_group(
                footage_request=footage_request,
                task=footage_request.current_task,
                event=NotificationEvent.FOOTAGE_AT_RISK,
            )
            told += 1
    return told
