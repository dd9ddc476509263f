"""Settings for more than one machine (deploy/cluster/, issue #15): pure functions of values base.py read from the
environment, so one URL form serves one machine and a cluster.

- PostgreSQL: DATABASE_URL names HAProxy's read-write port, which follows Patroni's leader. Connections are kept
  (CONN_MAX_AGE) and checked before reuse (CONN_HEALTH_CHECKS), so a connection to a dead leader is dropped at the
  start of the next request instead of failing it; ``connect_timeout`` bounds a connection attempt during a
  failover, TCP keepalives notice a peer that vanished without closing.
- Redis: ``CACHE_URL`` and ``CELERY_BROKER_URL`` take either ``redis://host:port/db`` (one Redis, as before) or the
  Sentinels, ``sentinel://h1:26379;sentinel://h2:26379;sentinel://h3:26379/db``, with the monitored master's name in
  ``REDIS_SENTINEL_MASTER``. The cache follows the master with cctv.caching.sentinel.SentinelPool; Celery with
  kombu's own Sentinel transport (``broker_transport_options``).
"""

from urllib.parse import quote, urlsplit

SENTINEL_SCHEME = "sentinel://"
DJANGO_REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


def database_options(*, connect_timeout: int, keepalives_idle: int, target_session_attrs: str = "") -> dict:
    """libpq connection parameters (Django passes OPTIONS to psycopg): bounded connects and TCP keepalives.

    ``target_session_attrs=read-write`` lets DATABASE_URL list several hosts (libpq tries each until it finds the
    primary), an alternative to HAProxy; with HAProxy it only refuses a node that is not the primary."""
    options = {
        "connect_timeout": connect_timeout,
        "keepalives": 1,
        "keepalives_idle": keepalives_idle,
        "keepalives_interval": max(1, keepalives_idle // 3),
        "keepalives_count": 3,
    }
    if target_session_attrs:
        options["target_session_attrs"] = target_session_attrs
    return options


def is_sentinel_url(url: str) -> bool:
    return url.startswith(SENTINEL_SCHEME)


def sentinel_addresses(url: str) -> tuple[list[tuple[str, int]], int, str | None]:
    """(Sentinels, database number, Redis password) of ``sentinel://[:pw@]h1:26379;sentinel://h2:26379/1``.

    As kombu reads it: any part may carry the password and the database (the last one that does wins)."""
    sentinels, db, password = [], 0, None
    for part in filter(None, (piece.strip() for piece in url.split(";"))):
        if not is_sentinel_url(part):
            raise ValueError(f"Every part of a Sentinel URL starts with {SENTINEL_SCHEME}")
        parsed = urlsplit(part)
        sentinels.append((parsed.hostname or "127.0.0.1", parsed.port or 26379))
        if parsed.path.strip("/"):
            db = int(parsed.path.strip("/"))
        if parsed.password:
            password = parsed.password
    if not sentinels:
        raise ValueError("A Sentinel URL names at least one Sentinel")
    return sentinels, db, password


def sentinel_cache(url: str, *, master: str, sentinel_password: str = "") -> dict:
    """A CACHES entry for Django's RedisCache whose pool asks the Sentinels for ``master``. base.py then swaps in
    cctv.caching.redis_client.RedisCache and its timeouts, as for a plain Redis URL."""
    sentinels, db, password = sentinel_addresses(url)
    credentials = f":{quote(password, safe='')}@" if password else ""
    options = {"pool_class": "cctv.caching.sentinel.SentinelPool", "sentinels": sentinels}
    if sentinel_password:
        options["sentinel_kwargs"] = {"password": sentinel_password}
    return {"BACKEND": DJANGO_REDIS_CACHE, "LOCATION": f"redis://{credentials}{master}/{db}", "OPTIONS": options}


def broker_url(url: str) -> str:
    """The broker's URL with the database and the password on every Sentinel: kombu connects through one part
    and, when that Sentinel is down, the next, each read alone; a part without them would take database 0 and no
    password. The failover drill found a worker consuming database 0 after a Redis failover while the web nodes
    published to database 2 (bench/drill.py)."""
    if not is_sentinel_url(url):
        return url
    sentinels, db, password = sentinel_addresses(url)
    credentials = f":{password}@" if password else ""  # as written in the URL, quoted already
    return ";".join(f"{SENTINEL_SCHEME}{credentials}{host}:{port}/{db}" for host, port in sentinels)


def broker_transport_options(url: str, *, master: str, sentinel_password: str = "") -> dict:
    """Celery's ``broker_transport_options`` for ``url``: the master's name when it names Sentinels."""
    if not is_sentinel_url(url):
        return {}
    options = {"master_name": master}
    # The Sentinels as quickly as the broker itself (CELERY_BROKER_CONNECTION_TIMEOUT, base.py).
    sentinel_kwargs = {"socket_connect_timeout": 2, "socket_timeout": 2}
    if sentinel_password:
        sentinel_kwargs["password"] = sentinel_password
    options["sentinel_kwargs"] = sentinel_kwargs
    return options
