"""A request that meets a database failover (issue #15): answered on retry when it only reads, otherwise the Thai
"try again shortly" page, never half-written.

While Patroni promotes a replica (15 to 30 seconds, deploy/cluster/RUNBOOK.md) every query fails with
``OperationalError`` or ``InterfaceError``: the connection to the old leader is gone and HAProxy has no leader to
send a new one to yet. The outermost middleware below sees every such failure, wherever it was raised (a view,
another middleware, a template), through Django's ``got_request_exception`` signal, and then:

- A safe request (GET, HEAD, OPTIONS: the form page, a status page, an admin listing) is idempotent, so it is
  answered again: every broken connection is dropped, and after a pause that doubles up to two seconds the whole
  middleware chain runs once more, until CCTV_DATABASE_RETRY_SECONDS have passed since the request arrived.
- Any other request (a form sent, an approval) first waits, within the same time, until the database takes a
  connection: before it has sent anything, so a form sent during a failover is stored once the new leader
  answers. This costs nothing otherwise: it is Django's own health check of a kept connection
  (CONN_HEALTH_CHECKS), made before the first query instead of at it. Once under way such a request is never
  replayed. Every write is in one transaction (workflow/request/services.py; the files it wrote are removed with
  it), which the failure rolled back; when the connection broke during COMMIT itself its fate is unknown to the
  server as well. It gets templates/503.html, which says in Thai that the request may not have been received and
  how to tell (only a reference number on the confirmation page means it was), with ``Retry-After``.

A safe request still failing when its time is up gets the same page. The load balancer sends requests here
during a failover instead of answering with its own English page (deploy/cluster/haproxy-web.cfg).
"""

import logging
import sys
import time

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FIRST_PAUSE = 0.25
LONGEST_PAUSE = 2.0
RETRY_AFTER_SECONDS = 30
_FAILED = "_cctv_database_failed"


def is_database_unavailable(error: BaseException | None) -> bool:
    """An error, or one it was raised from, saying the database cannot be reached (not a bad query)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _note_failure(sender, request=None, **kwargs) -> None:
    if request is not None and is_database_unavailable(sys.exc_info()[1]):
        setattr(request, _FAILED, True)


got_request_exception.connect(_note_failure, dispatch_uid="cctv.database_failover")


def drop_broken_connections() -> None:
    """What Django does between requests, now: a connection that failed and no longer answers is closed, so the
    next query connects again (through HAProxy, to the new leader). One inside a transaction is left alone."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def database_takes_connections() -> bool:
    """The connection is usable (Django's health check of a kept one) or a new one can be opened."""
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except (OperationalError, InterfaceError):
        drop_broken_connections()
        return False
    return True


def unavailable(request) -> HttpResponse:
    """The page rendered without the request, so without a context processor: none of it may need the database."""
    page = render_to_string("503.html", {"sent": request.method not in SAFE_METHODS})
    response = HttpResponse(page, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    response["Cache-Control"] = "no-store"
    return response


class DatabaseFailoverMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        deadline = time.monotonic() + settings.CCTV_DATABASE_RETRY_SECONDS
        pause, tries = FIRST_PAUSE, 1
        if request.method not in SAFE_METHODS:
            waited = 0
            while not database_takes_connections():
                if time.monotonic() + pause > deadline:
                    logger.error("Database unavailable; %s answered 503 before it began", request.method)
                    return unavailable(request)
                time.sleep(pause)
                pause, waited = min(pause * 2, LONGEST_PAUSE), waited + 1
            if waited:
                logger.warning("%s waited for the database %d times before it began", request.method, waited)
        while True:
            response = self.get_response(request)
            if not getattr(request, _FAILED, False):
                if tries > 1:
                    logger.warning("Answered after %d tries while the database was unavailable", tries)
                return response
            delattr(request, _FAILED)
            drop_broken_connections()
            if request.method not in SAFE_METHODS or time.monotonic() + pause > deadline:
                logger.error("Database unavailable; %s answered 503 after %d tries", request.method, tries)
                return unavailable(request)
            time.sleep(pause)
            pause, tries = min(pause * 2, LONGEST_PAUSE), tries + 1
