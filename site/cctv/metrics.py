"""Prometheus metrics at /metrics: django-prometheus' request, database and cache metrics plus the gauges an
operator alerts on, the Celery queue lengths and the outbox backlog.

The endpoint is not public: nginx proxies every request from 127.0.0.1, so a loopback address proves nothing, and
the scraper must send ``Authorization: Bearer <CCTV_METRICS_TOKEN>``. Without the setting the endpoint does not
exist (404, as for a wrong token, so that a prober learns nothing). The gauges are read at scrape time by a
collector, so they are right whichever gunicorn worker answers.
"""

import hmac
import logging

import redis
from django.conf import settings
from django.http import Http404
from django.views.decorators.cache import never_cache
from django_prometheus.exports import ExportToDjangoView
from prometheus_client.core import REGISTRY, GaugeMetricFamily

logger = logging.getLogger(__name__)

# kombu's Redis transport keeps messages of priority p > 0 in "<queue>\x06\x16<p>" beside the queue's own list.
_PRIORITY_SEP = "\x06\x16"
_PRIORITY_STEPS = (3, 6, 9)


def queue_lengths(broker_url: str, queues) -> dict[str, int] | None:
    """Messages waiting in each queue, or None when the broker is not Redis or cannot be read."""
    if not broker_url.startswith(("redis://", "rediss://", "unix://")):
        return None
    client = redis.Redis.from_url(broker_url, socket_timeout=2, socket_connect_timeout=2)
    try:
        with client.pipeline(transaction=False) as pipe:
            for name in queues:
                pipe.llen(name)
                for step in _PRIORITY_STEPS:
                    pipe.llen(f"{name}{_PRIORITY_SEP}{step}")
            counts = pipe.execute()
    except redis.RedisError as exc:
        logger.warning("metrics: broker not readable (%s)", type(exc).__name__)
        return None
    finally:
        client.close()
    per_queue = len(_PRIORITY_STEPS) + 1
    return {name: sum(counts[i * per_queue : (i + 1) * per_queue]) for i, name in enumerate(queues)}


def outbox_pending() -> int:
    from workflow.notifications.models import Notification

    # Every organisation's rows: the backlog is the installation's, whatever host the scraper names.
    return Notification._base_manager.filter(status=Notification.Status.PENDING).count()


class CctvCollector:
    def collect(self):
        from cctv.celery import app

        pending = GaugeMetricFamily("cctv_outbox_pending", "Notifications waiting to be sent (the outbox backlog).")
        pending.add_metric([], outbox_pending())
        yield pending
        if app.conf.task_always_eager:
            return  # no broker: tasks run in the process
        lengths = queue_lengths(app.conf.broker_url or "", settings.CCTV_CELERY_QUEUES)
        if lengths is None:
            return
        queue = GaugeMetricFamily(
            "cctv_celery_queue_length", "Tasks waiting in each Celery queue (Redis broker).", labels=["queue"]
        )
        for name, length in lengths.items():
            queue.add_metric([name], length)
        yield queue

    def describe(self):
        return []  # no collect() at registration: that would query the database at import


_collector = CctvCollector()
REGISTRY.register(_collector)


def allowed(request) -> bool:
    token = settings.CCTV_METRICS_TOKEN
    if not token:
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


@never_cache
def metrics(request):
    if not allowed(request):
        raise Http404
    return ExportToDjangoView(request)
