"""/metrics: django-prometheus' metrics and the cctv gauges, only for a scraper with the bearer token.

The queue gauges read a real redis-server on a free loopback port; the messages in it are published by Celery
itself (send_task over a connection to that Redis), so the routes of CELERY_TASK_ROUTES are what is counted.
"""

import pytest
from kombu import Connection
from prometheus_client.parser import text_string_to_metric_families

from cctv.celery import app
from tests.site.test_redis_outage import RedisServer
from workflow.notifications.models import Notification

TOKEN = "metrics-token-for-tests-0123456789"


@pytest.fixture
def redis_server():
    server = RedisServer()
    yield server
    server.kill()


@pytest.fixture
def token(settings):
    settings.CCTV_METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(client, token=TOKEN, **extra):
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}", **extra)


def samples(response) -> dict:
    assert response.status_code == 200, response.status_code
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def pending() -> int:
    return Notification.objects.filter(status=Notification.Status.PENDING).count()


def test_scrape_has_request_metrics_and_the_outbox_backlog(client, chain, token):
    # Citizens' requests write their messages to the outbox; inside the test transaction nothing delivers them.
    for _ in range(2):
        chain["new"]()
    expected = pending()
    assert expected >= 2
    client.get("/health/live/")

    found = samples(scrape(client))

    assert found[("cctv_outbox_pending", ())] == expected
    assert any(name.startswith("django_http_requests_total") for name, _ in found)
    assert any(name.startswith("django_http_responses_total_by_status") for name, _ in found)
    # Eager Celery has no broker to read: no queue gauge rather than a made-up 0.
    assert not any(name == "cctv_celery_queue_length" for name, _ in found)

    Notification.objects.filter(status=Notification.Status.PENDING).update(status=Notification.Status.SENT)
    assert samples(scrape(client))[("cctv_outbox_pending", ())] == 0


def test_queue_lengths_from_a_redis_broker(client, db, token, redis_server, settings):
    sends = {
        "workflow.tasks.deliver_notification": 3,  # notifications
        "forms.tasks.purge_staged_uploads": 2,  # media
        "somewhere.else.unrouted": 1,  # default
    }
    with Connection(redis_server.url) as connection:
        for name, times in sends.items():
            for _ in range(times):
                app.send_task(name, args=[1] if "deliver" in name else [], connection=connection)
    old_url, old_eager = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = redis_server.url, False
    try:
        found = samples(scrape(client))
    finally:
        app.conf.broker_url, app.conf.task_always_eager = old_url, old_eager
    lengths = {labels[0][1]: value for (name, labels), value in found.items() if name == "cctv_celery_queue_length"}
    assert lengths == {"notifications": 3, "media": 2, "default": 1}


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer "],
)
def test_refused_without_the_token(client, db, token, authorization):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    # From loopback too: nginx proxies every public request from 127.0.0.1.
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", **headers)
    assert response.status_code == 404
    assert b"cctv_outbox_pending" not in response.content


def test_no_endpoint_without_a_configured_token(client, db, settings):
    settings.CCTV_METRICS_TOKEN = ""
    assert scrape(client, token="").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
