"""LINE through a real Redis and a real Celery worker (issue #16): an officer's decision reaches the linked citizen
as one LINE push and no SMS; with the local Messaging API answering 500 the worker retries with backoff under one
retry key and, after the last attempt, tells the citizen by SMS, once."""

import time

import pytest

from tests.factories import officer_declines
from tests.integration.test_celery_worker import (  # noqa: F401 - fixtures
    Provider,
    broker_url,
    port_open,
    provider,
    start_redis,
    start_worker,
    wait_for,
    worker_env,
)
from tests.line_server import BASIC_ID, SECRET, SOMCHAI, TOKEN, link_line
from workflow.constants import Channel, NotificationEvent
from workflow.notifications.models import Notification

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 3


@pytest.fixture
def cluster(provider, broker_url, line, settings, tmp_path):  # noqa: F811 - fixtures
    """Redis and one worker that push to the local Messaging API and send SMS to the local provider."""
    port, url = broker_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    env = worker_env(
        url,
        provider,
        CCTV_LINE_API_BASE=line.base,
        CCTV_LINE_CHANNEL_ACCESS_TOKEN=TOKEN,
        CCTV_LINE_CHANNEL_SECRET=SECRET,
        CCTV_LINE_BASIC_ID=BASIC_ID,
        CCTV_NOTIFICATION_MAX_ATTEMPTS=str(ATTEMPTS),
        CCTV_NOTIFICATION_RETRY_BACKOFF="1",
    )
    log = tmp_path / "worker.log"
    redis = start_redis(port)
    worker = start_worker(env, log)
    try:
        assert wait_for(lambda: port_open(port), 10)
        yield log
    finally:
        worker.terminate()
        redis.terminate()
        worker.wait(20)
        redis.wait(20)


def linked_request(chain):
    footage_request = chain["new"]()
    link_line(footage_request)
    return footage_request


def declined(channel):
    return Notification.objects.filter(event=NotificationEvent.DECLINED, channel=channel)


def pushes(line) -> list[dict]:
    return [r for r in line.requests if r["path"] == "/v2/bot/message/push"]


def test_a_decision_reaches_the_linked_citizen_by_line_once(chain, cluster, line):
    footage_request = linked_request(chain)
    officer_declines(chain, footage_request)
    assert wait_for(lambda: declined(Channel.LINE).filter(status=Notification.Status.SENT).exists(), 60), (
        cluster.read_text()[-6000:]
    )
    time.sleep(2)  # give a duplicate the chance to show up
    [push] = line.sent
    assert push["to"] == SOMCHAI and footage_request.reference in str(push["messages"])
    assert len(pushes(line)) == 1
    assert not declined(Channel.SMS).exists()
    # The only SMS is the one sent on submission, before LINE was linked.
    assert len(Provider.received) == 1


def test_line_down_is_retried_and_then_the_citizen_is_told_by_sms_once(chain, cluster, line):
    footage_request = linked_request(chain)
    line.fail_with = [500] * ATTEMPTS
    officer_declines(chain, footage_request)
    assert wait_for(lambda: declined(Channel.SMS).filter(status=Notification.Status.SENT).exists(), 90), (
        cluster.read_text()[-6000:]
    )
    time.sleep(2)
    failed = declined(Channel.LINE).get()
    assert (failed.status, failed.attempts, failed.last_error) == (Notification.Status.FAILED, ATTEMPTS, "LineError")
    assert line.sent == []
    keys = {r["headers"]["X-Line-Retry-Key"] for r in pushes(line)}
    assert len(pushes(line)) == ATTEMPTS and len(keys) == 1  # retried under one key: LINE would dedupe
    assert declined(Channel.SMS).count() == 1
    texts = [m["text"] for m in Provider.received if footage_request.reference in m["text"]]
    assert len(texts) == 2  # the submission's SMS and the decision's, once
