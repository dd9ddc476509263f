"""A real Redis and a real Celery worker: the broker is down when a citizen submits, the submission still
succeeds, and once the broker is back the SMS reaches the provider exactly once; a worker killed while the
provider has a message leaves one SMS, not two, once a new worker sends it again under the same key."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection

from cctv.celery import app
from workflow.constants import Channel
from workflow.notifications.models import Notification
from workflow.notifications.outbox import enqueue, pending_ids
from workflow.tasks import deliver_pending_notifications

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Provider(BaseHTTPRequestHandler):
    """The SMS provider, on loopback."""

    received: list = []

    def do_POST(self):
        Provider.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"id": "1"}')

    def log_message(self, *args):
        pass


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def wait_for(predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def provider():
    Provider.received = []
    server = HTTPServer(("127.0.0.1", 0), Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/send"
    server.shutdown()
    server.server_close()


def reset_connections():
    """Connections and producers are pooled per broker URL: start new pools for this one."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_url():
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is missing: run `make test`, which installs it")
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = url, False
    reset_connections()
    yield port, url
    app.conf.broker_url, app.conf.task_always_eager = saved
    reset_connections()


def start_redis(port: int) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )


def worker_env(broker: str, provider: str, **extra: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cctv.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CCTV_SMS_BACKEND": "workflow.notifications.sms.HttpGateway",
        "CCTV_SMS_URL": provider,
        "PYTHONPATH": f"{ROOT / 'site'}{os.pathsep}{ROOT}",
        **extra,
    }


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cctv", "worker", "--pool", "solo", "--loglevel", "WARNING"],
        cwd=ROOT / "site",
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )


def test_broker_outage_loses_nothing_and_sends_once(chain, provider, broker_url, settings, tmp_path):
    port, url = broker_url
    settings.CELERY_TASK_ALWAYS_EAGER = False

    # 1. Redis is down: the submission succeeds and the SMS waits in the outbox.
    started = time.monotonic()
    footage_request = chain["new"]()
    assert time.monotonic() - started < 15
    pending = Notification.objects.filter(request=footage_request, channel=Channel.SMS)
    assert pending.get().status == Notification.Status.PENDING
    assert Provider.received == []

    # 2. Redis and a worker come up; the periodic job's re-queue delivers it.
    redis = start_redis(port)
    worker = start_worker(worker_env(url, provider), tmp_path / "worker.log")
    try:
        assert wait_for(lambda: port_open(port), 10)
        ids = pending_ids(older_than_seconds=0)
        enqueue(ids)
        enqueue(ids)  # queued twice (a second beat run, a redelivery): sent once
        assert wait_for(lambda: pending.get().status == Notification.Status.SENT, 60), (
            tmp_path / "worker.log"
        ).read_text()[-6000:]
        time.sleep(2)  # give a duplicate the chance to show up
        sms = [m for m in Provider.received if footage_request.reference in m["text"]]
        assert len(sms) == 1
        assert sms[0]["to"] == "0812345678"
    finally:
        worker.terminate()
        redis.terminate()
        worker.wait(20)
        redis.wait(20)


class DedupingProvider(BaseHTTPRequestHandler):
    """A provider that keeps the contract of workflow/notifications/sms.py: one SMS per Idempotency-Key. It
    accepts the first message at once but holds its answer until the test has killed the worker."""

    posts: list = []  # every request, as (key, body)
    messages: dict = {}  # what reaches phones: one per key
    first_arrived = threading.Event()
    release = threading.Event()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        key = self.headers["Idempotency-Key"]
        DedupingProvider.posts.append((key, body))
        DedupingProvider.messages.setdefault(key, body)
        if len(DedupingProvider.posts) == 1:
            DedupingProvider.first_arrived.set()
            DedupingProvider.release.wait(60)
        try:
            self.send_response(200)
            self.end_headers()
            self.wfile.write(json.dumps({"id": key}).encode())
        except OSError:
            pass  # the worker that asked is dead

    def log_message(self, *args):
        pass


@pytest.fixture
def deduping_provider():
    DedupingProvider.posts, DedupingProvider.messages = [], {}
    DedupingProvider.first_arrived.clear()
    DedupingProvider.release.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), DedupingProvider)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/send"
    DedupingProvider.release.set()
    server.shutdown()
    server.server_close()


def test_a_worker_killed_mid_send_leaves_one_sms_per_notification(
    chain, deduping_provider, broker_url, settings, tmp_path
):
    port, url = broker_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CCTV_NOTIFICATION_SENDING_TIMEOUT = 2
    env = worker_env(url, deduping_provider, CCTV_NOTIFICATION_SENDING_TIMEOUT="2")
    log = tmp_path / "worker.log"
    redis = start_redis(port)
    workers = []
    try:
        assert wait_for(lambda: port_open(port), 10)
        requests = [chain["new"](), chain["new"]()]  # queued on Redis after commit
        sms = Notification.objects.filter(request__in=requests, channel=Channel.SMS)
        assert sms.count() == 2

        # 1. The provider has the first SMS; the worker is killed before it hears back.
        workers.append(start_worker(env, log))
        assert DedupingProvider.first_arrived.wait(60), log.read_text()[-6000:]
        held_key = DedupingProvider.posts[0][0]
        held = sms.get(idempotency_key=held_key)  # "sending" with its key was committed before the call
        assert held.status == Notification.Status.SENDING
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(20)
        DedupingProvider.release.set()
        assert sms.get(pk=held.pk).status == Notification.Status.SENDING

        # 2. A new worker; the periodic job finds the row left "sending" and queues it again.
        workers.append(start_worker(env, log))
        assert wait_for(lambda: held.pk in pending_ids(older_than_seconds=0), 10)
        deliver_pending_notifications.delay()
        assert wait_for(lambda: set(sms.values_list("status", flat=True)) == {Notification.Status.SENT}, 90), (
            log.read_text()[-6000:]
        )
        time.sleep(2)  # give a duplicate the chance to show up

        keys = [key for key, _body in DedupingProvider.posts]
        assert keys.count(held_key) == 2  # sent again, under the same key
        assert set(keys) == set(sms.values_list("idempotency_key", flat=True))
        assert len(DedupingProvider.messages) == 2  # one SMS per notification reached a phone
        for footage_request in requests:
            texts = [m["text"] for m in DedupingProvider.messages.values() if footage_request.reference in m["text"]]
            assert len(texts) == 1
        assert all(body["client_ref"] == key for key, body in DedupingProvider.posts)
    finally:
        for worker in workers:
            worker.terminate()
        redis.terminate()
        for worker in workers:
            worker.wait(20)
        redis.wait(20)
