"""The status lookup's throttle and its ALTCHA "used once" mark go to Redis in one round trip (one pipeline), and
still limit: against a real redis-server, and on the local-memory cache of the SQLite pass."""

import pytest
import redis.connection
from django.core.cache import cache

from cctv.caching import throttle
from tests.factories import lookup_post, national_id
from tests.site.test_redis_outage import footage_request, redis_server, use_redis  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_trips(monkeypatch):
    """Every write of a request to a Redis socket: one per command, one per pipeline."""
    sent = []
    original = redis.connection.AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(command)
        return original(self, command, check_health)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counting)
    return sent


@pytest.mark.integration
def test_a_lookup_makes_one_round_trip_to_redis(client, settings, redis_server, footage_request, round_trips):  # noqa: F811
    use_redis(settings, redis_server, retry_after=5)
    settings.CCTV_STATUS_LOOKUP_RATE = "10/m"
    client.post("/status/", lookup_post(national_id(), "0899999999"))  # connects (its handshake is not a lookup's)
    for _ in range(3):  # the counter exists from now on: django-ratelimit needed add, exists and incr here
        round_trips.clear()
        response = client.post("/status/", lookup_post(national_id(), "0899999999"))
        assert response.status_code == 200
        # The throttle and the ALTCHA mark: one MULTI ... EXEC. Other round trips are read-through caches
        # (the organisation of the host, the service settings), not the checks.
        checks = [command for command in round_trips if b"rl:cctv-status-lookup" in b"".join(command)]
        assert len(checks) == 1
        (sent,) = checks
        sent = b"".join(sent)
        assert b"MULTI" in sent and b"EXEC" in sent and b"INCR" in sent and b"cctv:altcha:used:" in sent
        assert not any(b"cctv:altcha:used:" in b"".join(command) for command in round_trips if command is not checks[0])
    keys = {key.decode() for key in redis_server.client.keys("*")}
    assert sum(":rl:cctv-status-lookup:" in key for key in keys) == 1
    assert sum(":cctv:altcha:used:" in key for key in keys) == 4


@pytest.mark.integration
def test_with_redis_the_limit_and_the_one_time_solution_still_hold(client, settings, redis_server, footage_request):  # noqa: F811
    use_redis(settings, redis_server, retry_after=5)
    settings.CCTV_STATUS_LOOKUP_RATE = "3/m"
    data = lookup_post(national_id(), "0899999999")
    first = client.post("/status/", data)
    assert first.status_code == 200
    replay = client.post("/status/", data)  # the same solution again: refused by the form, still counted
    assert replay.status_code == 200
    assert "altcha" in replay.context["form"].errors
    assert "altcha" not in first.context["form"].errors
    answers = [client.post("/status/", lookup_post(national_id(), "0899999999")).status_code for _ in range(2)]
    assert answers == [200, 429]


def _hits_and_claims(store):
    store.clear()
    counts = [
        throttle.hit(store, counter="rl:t:1", period=60, claim=f"cctv:altcha:used:{n % 2}", claim_timeout=60)
        for n in range(4)
    ]
    assert counts == [(1, True), (2, True), (3, False), (4, False)]
    assert throttle.hit(store, counter="rl:t:2", period=60) == (1, False)


LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "round-trips"}}


def test_hit_counts_and_claims_on_the_local_memory_cache(settings):
    from django.core.cache import caches

    settings.CACHES = LOCAL_MEMORY
    _hits_and_claims(caches["default"])


@pytest.mark.integration
def test_hit_counts_and_claims_alike_on_redis(settings, redis_server):  # noqa: F811
    from django.core.cache import caches

    use_redis(settings, redis_server, retry_after=5)
    _hits_and_claims(caches["default"])


def test_window_counter_reads_django_ratelimit_s_rates():
    for rate, limit, period in (("10/10m", 10, 600), ("5/m", 5, 60), ("20/h", 20, 3600), ("3/30s", 3, 30)):
        key, got_limit, got_period = throttle.window_counter(group="g", rate=rate, value="10.0.0.1")
        assert (got_limit, got_period) == (limit, period)
        assert key.startswith(f"rl:g:{period}:") and "10.0.0.1" not in key


def test_on_the_local_memory_cache_the_lookup_is_limited(client, settings, footage_request):  # noqa: F811
    settings.CACHES = LOCAL_MEMORY  # as the SQLite pass runs (the Redis pass too, for this test)
    cache.clear()
    settings.CCTV_STATUS_LOOKUP_RATE = "2/m"
    answers = [client.post("/status/", lookup_post(national_id(), "0899999999")).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
