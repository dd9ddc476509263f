"""Django's Redis cache, made to degrade: with Redis down or hung the site is slower, never a server error.

Every operation that fails with a Redis error (refused, timed out, an error reply) is answered as a miss: ``get``
returns the default, ``set``/``delete`` do nothing, ``incr`` raises ValueError as for a missing key. Short socket
timeouts bound the first failure, and a circuit breaker then skips Redis for ``RETRY_AFTER`` seconds, so a dead
Redis costs a process one timeout per period instead of one per cache call. A warning is logged when the breaker
opens (at most once a minute) and when Redis answers again.

Keys that start with one of ``LOCAL_WHEN_DOWN`` (the throttles' counters and ALTCHA's used solutions) are kept in
this process's memory while Redis is down, so those checks go on counting per process instead of failing open or
closed for everyone (docs/security.md says what that weakens).

Writes that could not reach Redis (set, delete, incr, touch) are remembered; when Redis answers again their keys
are deleted there, so a value that an invalidation missed (a status change, a version bump, a logout) is not served
again after the outage. Past ``MISSED_KEYS_MAX`` keys the whole cache is cleared instead.

Django builds a new redis.Redis() for every cache operation; constructing it took about 0.2 ms, more than the round
trip to Redis on the same machine, and a public page makes several cache calls. So one client object is kept per
connection pool (a redis.Redis is safe to share between threads: it takes a connection from its pool per command).
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Defaults for OPTIONS that settings may override: a quarter of a second for Redis on the same machine or network.
SOCKET_DEFAULTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}
RETRY_AFTER = 5.0
WARN_EVERY = 60.0
MISSED_KEYS_MAX = 10_000
LOCAL_MAX_ENTRIES = 10_000


class _ReusedClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(index)
        if client is None:
            client = clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class Breaker:
    """Per process: open for ``seconds`` after a failure; then one call tries Redis again."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.open_until = 0.0
        self.down = False
        self.failures = 0  # since the last warning
        self.last_warning = float("-inf")
        self.lock = threading.Lock()

    def allows(self) -> bool:
        return time.monotonic() >= self.open_until

    def trip(self, error: Exception) -> None:
        now = time.monotonic()
        with self.lock:
            self.open_until = now + self.seconds
            self.down = True
            self.failures += 1
            if now - self.last_warning < WARN_EVERY:
                return
            failures, self.failures, self.last_warning = self.failures, 0, now
        logger.warning(
            "Redis cache unreachable (%s: %s): serving without it, next try in %.1f s (%d failures)",
            type(error).__name__,
            error,
            self.seconds,
            failures,
        )


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        retry_after = float(options.pop("RETRY_AFTER", RETRY_AFTER))
        self.local_prefixes = tuple(options.pop("LOCAL_WHEN_DOWN", ()))
        for name, value in SOCKET_DEFAULTS.items():
            options.setdefault(name, value)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _ReusedClient
        self.breaker = Breaker(retry_after)
        self._local = LocMemCache(
            f"cctv-redis-down-{id(self)}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": LOCAL_MAX_ENTRIES}},
        )
        self._missed: set[str] = set()
        self._missed_overflow = False

    # The guard --------------------------------------------------------------------------------------------------

    def _redis(self, call, *, missed=()):
        """``(True, result)`` from Redis, or ``(False, None)`` when Redis is skipped or failed. ``missed``: the
        keys (made) that a skipped or failed write leaves out of date in Redis."""
        if self.breaker.allows():
            try:
                repaired = self._after_outage() if self.breaker.down else ""  # first: the call must not read stale
                result = call()
            except RedisError as error:
                self.breaker.trip(error)
            else:
                if self.breaker.down:
                    self.breaker.down = False
                    logger.warning("Redis cache reachable again%s", repaired)
                return True, result
        self._remember(missed)
        return False, None

    def _remember(self, keys) -> None:
        with self.breaker.lock:
            if not keys or self._missed_overflow:
                return
            self._missed.update(keys)
            if len(self._missed) > MISSED_KEYS_MAX:
                self._missed.clear()
                self._missed_overflow = True

    def _after_outage(self) -> str:
        """Deletes in Redis what writes missed while it was unreachable; raises RedisError if it still is."""
        with self.breaker.lock:
            keys, overflow = list(self._missed), self._missed_overflow
            self._missed, self._missed_overflow = set(), False
        try:
            if overflow:
                self._cache.clear()
            elif keys:
                self._cache.delete_many(keys)
        except RedisError:
            with self.breaker.lock:
                self._missed.update(keys)
                self._missed_overflow = self._missed_overflow or overflow
            raise
        if overflow:
            return ": cleared (too many writes missed)"
        return f": deleted {len(keys)} keys whose writes it missed" if keys else ""

    def _is_local(self, key) -> bool:
        return bool(self.local_prefixes) and isinstance(key, str) and key.startswith(self.local_prefixes)

    def _made(self, keys, version):
        return [self.make_and_validate_key(key, version=version) for key in keys]

    # Django's cache API ---------------------------------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        ok, result = self._redis(lambda: super(RedisCache, self).add(key, value, timeout, version))
        if ok:
            return result
        return self._local.add(key, value, timeout, version) if self._is_local(key) else False

    def get(self, key, default=None, version=None):
        ok, result = self._redis(lambda: super(RedisCache, self).get(key, default, version))
        if ok:
            return result
        return self._local.get(key, default, version) if self._is_local(key) else default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        local = self._is_local(key)
        missed = () if local else self._made([key], version)
        ok, _result = self._redis(lambda: super(RedisCache, self).set(key, value, timeout, version), missed=missed)
        if not ok and local:
            self._local.set(key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        local = self._is_local(key)
        missed = () if local else self._made([key], version)
        ok, result = self._redis(lambda: super(RedisCache, self).touch(key, timeout, version), missed=missed)
        if ok:
            return result
        return self._local.touch(key, timeout, version) if local else False

    def delete(self, key, version=None):
        local = self._is_local(key)
        missed = () if local else self._made([key], version)
        ok, result = self._redis(lambda: super(RedisCache, self).delete(key, version), missed=missed)
        if ok:
            return result
        return self._local.delete(key, version) if local else False

    def get_many(self, keys, version=None):
        keys = list(keys)
        ok, result = self._redis(lambda: super(RedisCache, self).get_many(keys, version))
        if ok:
            return result
        return self._local.get_many([key for key in keys if self._is_local(key)], version)

    def has_key(self, key, version=None):
        ok, result = self._redis(lambda: super(RedisCache, self).has_key(key, version))
        if ok:
            return result
        return self._local.has_key(key, version) if self._is_local(key) else False

    def incr(self, key, delta=1, version=None):
        local = self._is_local(key)
        missed = () if local else self._made([key], version)
        ok, result = self._redis(lambda: super(RedisCache, self).incr(key, delta, version), missed=missed)
        if ok:
            return result
        if local:
            return self._local.incr(key, delta, version)
        raise ValueError(f"Key '{key}' not found (Redis unreachable).")

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        shared = [key for key in data if not self._is_local(key)]
        ok, _result = self._redis(
            lambda: super(RedisCache, self).set_many(data, timeout, version), missed=self._made(shared, version)
        )
        if ok:
            return []
        self._local.set_many({key: value for key, value in data.items() if self._is_local(key)}, timeout, version)
        return shared

    def delete_many(self, keys, version=None):
        keys = list(keys)
        if not keys:
            return
        shared = [key for key in keys if not self._is_local(key)]
        ok, _result = self._redis(
            lambda: super(RedisCache, self).delete_many(keys, version), missed=self._made(shared, version)
        )
        if not ok:
            self._local.delete_many([key for key in keys if self._is_local(key)], version)

    def clear(self):
        ok, result = self._redis(lambda: super(RedisCache, self).clear())
        self._local.clear()
        if not ok:
            self._missed.clear()
            self._missed_overflow = True  # cleared when Redis answers again
            return False
        return result
