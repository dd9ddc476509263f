"""A throttle hit and a one-time claim in one Redis round trip.

django-ratelimit counts with ``cache.add`` then, once the key exists, ``cache.incr`` (Django's Redis ``incr`` is an
EXISTS and an INCRBY): three round trips per lookup, and the ALTCHA solution's "used once" mark (``cache.add``) a
fourth. Here one pipeline (MULTI/EXEC) sends ``SET counter 0 NX EX period``, ``INCR counter`` and, when asked,
``SET claim NX EX timeout``: the count and the claim come back together. The window is fixed, as
django-ratelimit's: the counter expires ``period`` seconds after the first hit in it.

The same answers without Redis: any other cache (local memory in development and the SQLite tests) gets the
same keys through ``add``/``incr``; with Redis down, ``RedisCache``'s breaker answers from the process's local
stand-in for the ``LOCAL_WHEN_DOWN`` prefixes (the counters start with ``rl:``, the claims with ``cctv:altcha:``),
so the limits go on per process, as before.
"""

import hashlib
import time

from django.core.cache.backends.base import BaseCache

from cctv.caching.redis_client import RedisCache

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def window_counter(*, group: str, rate: str, value: str) -> tuple[str, int, int]:
    """(counter key, limit, period) for ``value`` (a client address) under ``rate``, "count/period" as
    django-ratelimit reads it ("10/10m", "5/m", "20/h"). The key holds a hash of the value, not the address."""
    count, _slash, period = rate.partition("/")
    multiplier = int(period[:-1] or 1) if period[-1:] in UNITS else int(period)
    seconds = multiplier * UNITS.get(period[-1:], 1)
    window = int(time.time()) // seconds
    digest = hashlib.sha256(f"{group}:{value}".encode()).hexdigest()[:32]
    return f"rl:{group}:{seconds}:{window}:{digest}", int(count), seconds


def _by_calls(cache: BaseCache, counter: str, period: int, claim: str | None, claim_timeout: int) -> tuple[int, bool]:
    cache.add(counter, 0, period)
    try:
        count = cache.incr(counter)
    except ValueError:  # expired between the two calls: this hit starts a new window
        cache.add(counter, 1, period)
        count = 1
    claimed = bool(claim) and cache.add(claim, True, claim_timeout)
    return count, claimed


def hit(
    cache: BaseCache, *, counter: str, period: int, claim: str | None = None, claim_timeout: int = 0
) -> tuple[int, bool]:
    """(hits on ``counter`` in this window, this one included; whether ``claim`` was free and is now taken)."""
    if not isinstance(cache, RedisCache):
        return _by_calls(cache, counter, period, claim, claim_timeout)
    counter_key = cache.make_and_validate_key(counter)
    claim_key = cache.make_and_validate_key(claim) if claim else None
    client = cache._cache.get_client(counter_key, write=True)

    def pipelined():
        pipe = client.pipeline(transaction=True)
        pipe.set(counter_key, 0, nx=True, ex=period)
        pipe.incr(counter_key)
        if claim_key:
            pipe.set(claim_key, cache._cache._serializer.dumps(True), nx=True, ex=claim_timeout)
        return pipe.execute()

    ok, result = cache._redis(pipelined)
    if not ok:  # skipped or failed: the process's stand-in, as RedisCache's own calls do
        return _by_calls(cache, counter, period, claim, claim_timeout)
    return int(result[1]), bool(claim_key) and bool(result[2])
