"""Health for load balancers and Kubernetes probes.

``/health/live/`` (liveness) answers 200 while the process can answer at all and checks nothing else: a restart
does not mend a database outage, so a liveness probe must not fail on one. ``/health/ready/`` (readiness, also at
``/health/`` where the deploy files point) checks database, cache, broker and storage, each explicitly.

Answers 200 with the result of each check, or 503 when the database or the storage fails. The cache and the broker
are the exceptions: the site serves without them — without the cache only slower (cctv/caching/redis_client.py),
without the broker with messages and jobs waiting in the outbox until it is back (ADR 0010) — so a failing cache or
broker is reported as ``degraded`` with a 200, and the load balancer keeps every server in rotation during a Redis
outage (every server shares the one Redis: taking them out would take the whole site down for nothing).
No check touches the network beyond the configured services, and none reveals more than "ok" or the name of the error.
The storage check writes, reads and deletes a file on disk; with an object store it is one HEAD of the bucket
(refused, missing or forbidden all fail), so a probe every few seconds costs the store nothing.
"""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"cctv:health:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value")
    cache.delete(key)


def check_broker() -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # tasks run in-process: there is no broker to reach
    from cctv.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def check_storage() -> None:
    storage = storages["private"]
    if hasattr(storage, "reachable"):
        storage.reachable()  # an object store: one HEAD request, nothing written
        return
    name = storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with storage.open(name, "rb") as handle:
            if handle.read() != b"ok":
                raise RuntimeError("storage did not return the file")
    finally:
        storage.delete(name)


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker, "storage": check_storage}
# Checks whose failure leaves the site serving.
DEGRADED_WITHOUT = {"cache", "broker"}


@never_cache
def health(request):
    results, healthy, degraded = {}, True, False
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - a failing dependency is reported, not raised
            results[name] = {"ok": False, "error": type(exc).__name__}
            if name in DEGRADED_WITHOUT:
                degraded = True
            else:
                healthy = False
        else:
            results[name] = {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}
    return JsonResponse({"healthy": healthy, "degraded": degraded, "checks": results}, status=200 if healthy else 503)


@never_cache
def live(request):
    return JsonResponse({"live": True})
