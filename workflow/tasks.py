from celery import shared_task
from django.conf import settings

from workflow.notifications.delivery import DeliveryFailed, deliver
from workflow.notifications.outbox import enqueue, pending_ids


@shared_task(
    acks_late=True,
    autoretry_for=(DeliveryFailed,),
    retry_backoff=settings.CCTV_NOTIFICATION_RETRY_BACKOFF,
    retry_backoff_max=3600,
    max_retries=settings.CCTV_NOTIFICATION_MAX_ATTEMPTS,
)
def deliver_notification(notification_id: int) -> bool:
    # Redelivery (acks_late) is safe: deliver claims the row before sending and does nothing for one in hand.
    return deliver(notification_id)


@shared_task(acks_late=True)
def deliver_pending_notifications() -> int:
    """Queues again what a broker outage left pending, and what a lost worker left "sending" (same key)."""
    ids = pending_ids()
    enqueue(ids)
    return len(ids)


@shared_task(acks_late=True)
def purge_expired_requests() -> int:
    from workflow.line.links import purge_leftovers
    from workflow.privacy import retention

    purge_leftovers()  # LINE's handled-event ids and expired link codes
    return retention.erase_requests(queryset=retention.expired_requests())


@shared_task(acks_late=True)
def notify_footage_at_risk() -> int:
    """Hourly: tell approvers about requests whose footage the recorder will soon overwrite."""
    from workflow.handling import risk

    return risk.notify_footage_at_risk()
