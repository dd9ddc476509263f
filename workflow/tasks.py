from celery import shared_task

from . import notifications


@shared_task(
    acks_late=True,
    autoretry_for=(notifications.DeliveryFailed,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def deliver_notification(notification_id: int) -> bool:
    return notifications.deliver(notification_id)


@shared_task(acks_late=True)
def deliver_pending_notifications() -> int:
    """Queues again what a broker outage or a crash left pending."""
    ids = notifications.pending_ids()
    notifications.enqueue(ids)
    return len(ids)


@shared_task(acks_late=True)
def purge_expired_requests() -> int:
    from . import data_removal

    return data_removal.erase_requests(queryset=data_removal.expired_requests())


@shared_task(acks_late=True)
def notify_footage_at_risk() -> int:
    """Hourly: tell approvers about requests whose footage the recorder will soon overwrite."""
    from . import handling_services

    return handling_services.notify_footage_at_risk()
