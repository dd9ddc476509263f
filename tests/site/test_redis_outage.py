"""With the cache's Redis dead or hung, every public page and the staff login still answer, a citizen can still
submit, a hung Redis costs one timeout per breaker period (not one per cache call), and invalidations missed during
the outage are applied when Redis answers again. A real redis-server on a free loopback port, killed or paused
(SIGSTOP: it keeps accepting connections and never answers) by the test."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.test import Client

from tests.factories import lookup_post, national_id, submission
from tests.forms.test_form_page import id_card_file, valid_post
from workflow.request.models import FootageRequest
from workflow.request.services import cancel_request_by_applicant, submit_request

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
ROOT = Path(__file__).resolve().parents[2]
ANSWERS = {200, 302, 429}  # never a 500: the test client would raise the view's exception
PASSWORD = "correct-horse-battery-9"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self):
        if not shutil.which("redis-server"):
            pytest.fail("redis-server is missing: run `make test`, which installs it")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/1"
        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        self.client = redis.Redis.from_url(self.url, socket_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def keys(self) -> int:
        return self.client.dbsize()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def redis_server():
    server = RedisServer()
    yield server
    server.kill()


def use_redis(settings, server: RedisServer, retry_after: float) -> None:
    """The cache as production's settings make it from a redis:// CACHE_URL (checked below)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "cctv.caching.redis_client.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {
                "socket_connect_timeout": 0.25,
                "socket_timeout": 0.25,
                "RETRY_AFTER": retry_after,
                "LOCAL_WHEN_DOWN": ("rl:", "cctv:altcha:"),
            },
        }
    }


@pytest.fixture
def staff(home_page):
    from cctv.roles import setup_roles

    user = get_user_model().objects.create_user(username="officer1", password=PASSWORD)
    user.groups.add(setup_roles()["officer"])
    return user


@pytest.fixture
def footage_request(home_page, stations, request_types):
    return submit_request(submission=submission(station=stations[0], request_type=request_types["view"]))


@pytest.fixture
def commands(monkeypatch):
    """Counts the commands the site sends to Redis (each may wait a socket timeout when Redis hangs)."""
    sent = []
    original = redis.Redis.execute_command

    def counting(self, *args, **options):
        sent.append(args[0])
        return original(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counting)
    return sent


def public_pages(form_page, footage_request) -> list[str]:
    return ["/", form_page.url, "/status/", f"/status/{footage_request.token}/", "/admin/login/"]


def test_production_settings_make_the_redis_cache_degrade():
    env = {
        **os.environ,
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "DJANGO_SETTINGS_MODULE": "cctv.settings.test",
        "PYTHONPATH": f"{ROOT / 'site'}{os.pathsep}{ROOT}",
    }
    script = "from django.conf import settings; c = settings.CACHES['default']; print(c['BACKEND'], c['OPTIONS'])"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.startswith("cctv.caching.redis_client.RedisCache ")
    assert "'socket_timeout': 0.25" in out and "'socket_connect_timeout': 0.25" in out
    assert "'LOCAL_WHEN_DOWN': ('rl:', 'cctv:altcha:')" in out


def test_with_redis_killed_pages_login_lookup_and_submission_still_work(
    client, settings, redis_server, form_page, stations, request_types, footage_request, staff
):
    use_redis(settings, redis_server, retry_after=30)
    pages = public_pages(form_page, footage_request)
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert redis_server.keys() > 0  # the pages did use the cache

    redis_server.kill()

    for url in pages:
        assert client.get(url).status_code == 200, url
    found = client.post("/status/", lookup_post(national_id(), "0812345678"))
    assert found.status_code == 302
    assert found["Location"] == f"/status/{footage_request.token}/"

    before = FootageRequest.objects.count()
    response = client.post(form_page.url, {**valid_post(stations, request_types), "id_card": id_card_file()})
    assert response.status_code == 302
    assert FootageRequest.objects.count() == before + 1
    assert client.get(response["Location"]).status_code == 200  # the confirmation, from the session

    officer = Client()
    login = officer.post("/admin/login/", {"username": "officer1", "password": PASSWORD})
    assert login.status_code == 302
    assert officer.get("/admin/").status_code == 200

    health = client.get("/health/")
    assert health.status_code == 200  # the site serves without its cache: the load balancer keeps it
    assert health.json()["checks"]["cache"]["ok"] is False
    assert health.json()["degraded"] is True


def test_with_redis_killed_the_lookup_is_still_throttled_per_process(client, settings, redis_server, footage_request):
    use_redis(settings, redis_server, retry_after=30)
    settings.CCTV_STATUS_LOOKUP_RATE = "3/m"
    redis_server.kill()
    answers = [client.post("/status/", lookup_post(national_id(), "0899999999")).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_with_redis_killed_an_altcha_solution_still_serves_one_submission_per_process(
    client, settings, redis_server, form_page, stations, request_types
):
    use_redis(settings, redis_server, retry_after=30)
    redis_server.kill()
    data = valid_post(stations, request_types)
    assert client.post(form_page.url, {**data, "id_card": id_card_file()}).status_code == 302
    replay = client.post(form_page.url, {**data, "id_card": id_card_file()})
    assert replay.status_code == 200
    assert "altcha" in replay.context["form"].errors


def test_a_hung_redis_costs_one_timeout_per_breaker_period_not_one_per_cache_call(
    client, settings, redis_server, form_page, footage_request, commands, caplog
):
    use_redis(settings, redis_server, retry_after=30)
    pages = public_pages(form_page, footage_request) * 3
    client.get("/")  # the client's first connection
    commands.clear()
    for url in pages:
        assert client.get(url).status_code == 200, url
    with_redis = len(commands)

    redis_server.pause()
    commands.clear()
    started = time.monotonic()
    for url in pages:
        assert client.get(url).status_code in ANSWERS, url
    elapsed = time.monotonic() - started
    other_thread = threading.Thread(target=lambda: caches["default"].get("anything"))  # its own cache object
    other_thread.start()
    other_thread.join()
    without_redis = len(commands)

    # Without the breaker each of these commands would wait the socket timeout.
    assert with_redis >= len(pages)
    # With it, only the first command waits (one quarter second); the rest of the period skips Redis, in every
    # thread of the process.
    assert without_redis == 1, commands
    assert elapsed < 30  # all within one breaker period, so the count above is the whole cost
    warnings = [r for r in caplog.records if r.name == "cctv.caching.redis_client" and r.levelname == "WARNING"]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()
    redis_server.resume()


def test_invalidations_missed_while_redis_hung_are_applied_when_it_answers_again(
    client, settings, redis_server, footage_request, django_capture_on_commit_callbacks
):
    use_redis(settings, redis_server, retry_after=0.5)
    status_url = f"/status/{footage_request.token}/"
    cancel_link = f"/status/{footage_request.token}/cancel/"
    assert cancel_link in client.get(status_url).content.decode()  # cached: the page and the public state

    redis_server.pause()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_request_by_applicant(footage_request=footage_request)  # its cache deletes cannot reach Redis
    redis_server.resume()
    time.sleep(0.6)

    page = client.get(status_url).content.decode()
    assert cancel_link not in page  # not the stale page Redis still held
    assert "ยกเลิก" in page


def test_past_the_limit_of_missed_writes_the_cache_is_cleared_when_redis_answers(settings, redis_server, monkeypatch):
    from cctv.caching import redis_client

    use_redis(settings, redis_server, retry_after=0.5)
    monkeypatch.setattr(redis_client, "MISSED_KEYS_MAX", 3)
    cache.set("kept-before", "stale")
    redis_server.pause()
    for number in range(5):
        cache.delete(f"gone-{number}")  # more missed invalidations than are remembered
    redis_server.resume()
    time.sleep(0.6)
    assert cache.get("kept-before") is None  # cleared: the outage may have left it stale
    cache.set("after", 1)
    assert cache.get("after") == 1
