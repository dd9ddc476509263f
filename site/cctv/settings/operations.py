"""Celery's queues, routes and beat scheduler: constants that base.py imports, kept apart to keep it short."""

# Three queues, one worker unit each (deploy/cctv-worker@.service, deploy/k8s/workers.yaml), so that a burst of
# file work cannot hold up an SMS and a slow SMS gateway cannot hold up the rest. Every project task is named
# here (tests/site/test_celery_routes.py fails for one that is not); Celery sends anything else to "default".
CELERY_TASK_DEFAULT_QUEUE = "default"
CCTV_CELERY_QUEUES = ("default", "notifications", "media")
# Declared, so that a worker started without --queues (dev, tests/integration) consumes all three.
CELERY_TASK_QUEUES = {name: {"exchange": name, "routing_key": name} for name in CCTV_CELERY_QUEUES}
CELERY_TASK_ROUTES = {
    # The outbox and every message sent to a person.
    "workflow.tasks.deliver_notification": {"queue": "notifications"},
    "workflow.tasks.deliver_pending_notifications": {"queue": "notifications"},
    "workflow.tasks.notify_footage_at_risk": {"queue": "notifications"},
    "cctv.two_factor.tasks.send_password_reset": {"queue": "notifications"},
    # Work on stored files (uploads, ID cards, signatures, copies and receipts being erased).
    "forms.tasks.purge_staged_uploads": {"queue": "media"},
    "workflow.tasks.purge_expired_requests": {"queue": "media"},
}
# Beat sends each job once in the cluster (ADR 0018): schedule and last runs in the database (django-celery-beat,
# which copies CELERY_BEAT_SCHEDULE into it at start), sending only while holding a lock in the broker's Redis.
CELERY_BEAT_SCHEDULER = "cctv.beat.SingleBeatScheduler"
CELERY_BEAT_SYNC_EVERY = 1  # write each run at once, so that a beat taking over knows it
