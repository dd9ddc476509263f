"""A real Redis and a real Celery worker: the broker is down when a citizen submits, the submission still
succeeds, and once the broker is back the SMS reaches the provider exactly once."""

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.db import connection

from cctv.celery import app
from workflow.constants import Channel
from workflow.notifications.models import Notification
from workflow.notifications.outbox import enqueue, pending_ids

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
    redis = subprocess.Popen(  # noqa: S603
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cctv.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CCTV_SMS_BACKEND": "workflow.notifications.sms.HttpGateway",
        "CCTV_SMS_URL": provider,
        "PYTHONPATH": f"{ROOT / 'site'}{os.pathsep}{ROOT}",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cctv", "worker", "--pool", "solo", "--loglevel", "WARNING"],
        cwd=ROOT / "site",
        env=env,
        stdout=(tmp_path / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
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
