"""Django's Redis cache through Redis Sentinel: the connection pool asks the Sentinels which Redis is the master.

Django's ``RedisCache`` builds its pools with ``OPTIONS["pool_class"].from_url(LOCATION, **OPTIONS)``; redis-py's
``SentinelConnectionPool`` has no ``from_url``, so this class adds one. ``LOCATION`` is
``redis://[:password@]<master name>/<db>`` (the master's name in place of a host) and ``OPTIONS`` carries
``sentinels``, a list of (host, port). Settings build both from ``CACHE_URL=sentinel://h1:26379;sentinel://h2:26379/1``
(cctv.settings.cluster), the same form as Celery's broker URL.

After a failover the connections to the old master fail (refused, reset, or READONLY from a demoted master, which
redis-py turns into a connection error); cctv.caching.redis_client's breaker answers those calls as misses for its
``RETRY_AFTER`` seconds, and the next connection asks the Sentinels again and reaches the new master. No code of
ours elects or follows a master: Sentinel decides, redis-py follows.
"""

from urllib.parse import unquote, urlsplit

from redis.sentinel import Sentinel, SentinelConnectionPool


def master_and_db(url: str) -> tuple[str, int, str | None]:
    """(master name, database number, password) of ``redis://[:password@]<master>/<db>``."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]  # not .hostname, which lowercases the master's name
    password = unquote(parts.password) if parts.password else None
    return netloc, int(parts.path.strip("/") or 0), password


class SentinelPool(SentinelConnectionPool):
    @classmethod
    def from_url(cls, url, *, sentinels, sentinel_kwargs=None, **options):
        master, db, password = master_and_db(url)
        if password is not None:
            options.setdefault("password", password)
        # The Sentinels answer within the same short timeouts as Redis itself: a dead Sentinel costs one timeout,
        # then the next one in the list is asked.
        asked = {key: options[key] for key in ("socket_connect_timeout", "socket_timeout") if key in options}
        addresses = [tuple(address) for address in sentinels]
        manager = Sentinel(addresses, sentinel_kwargs={**asked, **(sentinel_kwargs or {})})
        return cls(master, manager, db=db, **options)
