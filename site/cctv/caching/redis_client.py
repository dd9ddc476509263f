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
are deleted there, before anything is read, so a value that an invalidation missed (a status change, a version
bump, a logout, a session saved) is not served again after the outage. Past ``MISSED_KEYS_MAX`` keys the whole
cache is cleared instead. Sets of content-addressed keys (cctv.caching.cache_key) are not remembered.

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

from cctv.caching.readthrough import release

logger = logging.getLogger(__name__)

# Defaults for OPTIONS that settings may override: a quarter of a second for Redis on the same machine or network.
SOCKET_DEFAULTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}
RETRY_AFTER = 5.0
WARN_EVERY = 60.0
MISSED_KEYS_MAX = 10_000
LOCAL_MAX_ENTRIES = 10_000


def _content_addressed(key) -> bool:
    """A key named by the release and the versions of what it depends on (cctv.caching.cache_key): a write to it
    that Redis missed cannot leave a wrong value there (whatever Redis holds under it is right, or expires), so it
    need not be remembered. Page and route entries are most of the writes a process misses during an outage."""
    return isinstance(key, str) and key.startswith(f"cctv:{release()}:")


class _ReusedClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(index)
        if client is None:
            client = clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class Outage:
    """What the threads of a process share about one Redis (Django makes a cache object per thread): the breaker,
    open for ``seconds`` after a failure, then one call tries again; the writes it missed; the local stand-in."""

    def __init__(self, name: str, seconds: float, timeout):
        self.seconds = seconds
        self.open_until = 0.0
        self.down = False
        self.failures = 0  # since the last warning
        self.last_warning = float("-inf")
        self.missed: set[str] = set()
        self.overflow = False  # more writes missed than remembered: clear the cache
        self.lock = threading.Lock()
        self.local = LocMemCache(
            f"cctv-redis-down-{name}", {"TIMEOUT": timeout, "OPTIONS": {"MAX_ENTRIES": LOCAL_MAX_ENTRIES}}
        )

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

    def remember(self, keys) -> None:
        with self.lock:
            if not keys or self.overflow:
                return
            self.missed.update(keys)
            if len(self.missed) > MISSED_KEYS_MAX:
                self.missed.clear()
                self.overflow = True

    def take_missed(self) -> tuple[list[str], bool]:
        with self.lock:
            keys, overflow = list(self.missed), self.overflow
            self.missed, self.overflow = set(), False
        return keys, overflow

    def give_back(self, keys: list[str], overflow: bool) -> None:
        with self.lock:
            self.missed.update(keys)
            self.overflow = self.overflow or overflow


_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(servers, seconds: float, timeout) -> Outage:
    name = ",".join(servers)
    with _outages_lock:
        if name not in _outages:
            _outages[name] = Outage(name, seconds, timeout)
        _outages[name].seconds = seconds
        return _outages[name]


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        retry_after = float(options.pop("RETRY_AFTER", RETRY_AFTER))
        self.local_prefixes = tuple(options.pop("LOCAL_WHEN_DOWN", ()))
        for name, value in SOCKET_DEFAULTS.items():
            options.setdefault(name, value)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _ReusedClient
        self.outage = _outage_for(self._servers, retry_after, params.get("TIMEOUT", 300))
        self._local = self.outage.local

    # The guard --------------------------------------------------------------------------------------------------

    def _redis(self, call, *, missed=()):
        """``(True, result)`` from Redis, or ``(False, None)`` when Redis is skipped or failed. ``missed``: the
        keys (made) that a skipped or failed write leaves out of date in Redis."""
        outage = self.outage
        if outage.allows():
            try:
                repaired = self._after_outage() if outage.down else ""  # first: the call must not read stale
                result = call()
            except RedisError as error:
                outage.trip(error)
            else:
                if outage.down:
                    outage.down = False
                    logger.warning("Redis cache reachable again%s", repaired)
                return True, result
        outage.remember(missed)
        return False, None

    def _after_outage(self) -> str:
        """Deletes in Redis what writes missed while it was unreachable; raises RedisError if it still is. Until
        a process has done so, another process may still read what it missed: the window is that process's next
        cache call."""
        keys, overflow = self.outage.take_missed()
        try:
            if overflow:
                self._cache.clear()
            elif keys:
                self._cache.delete_many(keys)
        except RedisError:
            self.outage.give_back(keys, overflow)
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
        missed = () if local or _content_addressed(key) else self._made([key], version)
        ok, _result = self._redis(lambda: super(RedisCache, self).set(key, value, timeout, version), missed=missed)
        if not ok and local:
            self._local.set(key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        local = self._is_local(key)
        missed = () if local or _content_addressed(key) else self._made([key], version)
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
        missed = self._made([key for key in shared if not _content_addressed(key)], version)
        ok, _result = self._redis(lambda: super(RedisCache, self).set_many(data, timeout, version), missed=missed)
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
            self.outage.give_back([], True)  # cleared when Redis answers again
            return False
        return result
