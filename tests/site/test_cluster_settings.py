"""Production settings for a cluster (cctv/settings/cluster.py), chosen by environment variables: PostgreSQL behind
HAProxy with kept, checked connections; the cache and the broker through Redis Sentinel; and one Redis URL still
working as before."""

import pytest

from cctv.caching.sentinel import SentinelPool, master_and_db
from cctv.settings import cluster
from tests.site.test_production_settings import settings_in

SENTINELS = "sentinel://:s3cret@10.0.0.1:26379;sentinel://10.0.0.2:26379;sentinel://10.0.0.3/1"
SHOW = (
    "import json; from django.conf import settings; print(json.dumps({'db': settings.DATABASES['default'], "
    "'cache': settings.CACHES['default'], 'broker': settings.CELERY_BROKER_URL, "
    "'transport': settings.CELERY_BROKER_TRANSPORT_OPTIONS}))"
)


def production(**env):
    return settings_in("cctv.settings.production", SHOW, **env)


def test_the_database_behind_haproxy_keeps_checked_connections_with_bounded_connects():
    shown = production(DATABASE_URL="postgres://cctv:pw@10.0.0.10:5000/cctv", DATABASE_CONNECT_TIMEOUT="3")
    db = shown["db"]
    assert (db["HOST"], db["PORT"], db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"]) == ("10.0.0.10", 5000, 600, True)
    assert db["OPTIONS"]["connect_timeout"] == 3
    assert db["OPTIONS"]["keepalives"] == 1 and db["OPTIONS"]["keepalives_idle"] == 30
    assert "target_session_attrs" not in db["OPTIONS"]


def test_options_in_the_database_url_win():
    shown = production(DATABASE_URL="postgres://cctv:pw@db/cctv?connect_timeout=9&target_session_attrs=read-write")
    assert shown["db"]["OPTIONS"]["connect_timeout"] == 9
    assert shown["db"]["OPTIONS"]["target_session_attrs"] == "read-write"


def test_sentinel_urls_give_a_cache_that_asks_the_sentinels_and_a_celery_master_name():
    shown = production(CACHE_URL=SENTINELS, CELERY_BROKER_URL=SENTINELS, REDIS_SENTINEL_MASTER="cctv-redis")
    cache = shown["cache"]
    assert cache["BACKEND"] == "cctv.caching.redis_client.RedisCache"  # the breaker, as for one Redis
    assert cache["LOCATION"] == "redis://:s3cret@cctv-redis/1"
    assert cache["OPTIONS"]["pool_class"] == "cctv.caching.sentinel.SentinelPool"
    assert cache["OPTIONS"]["sentinels"] == [["10.0.0.1", 26379], ["10.0.0.2", 26379], ["10.0.0.3", 26379]]
    assert cache["OPTIONS"]["socket_timeout"] == 0.25 and cache["OPTIONS"]["RETRY_AFTER"] == 5
    # Each Sentinel with the database and the password (kombu reads each part alone when it fails over).
    assert shown["broker"] == (
        "sentinel://:s3cret@10.0.0.1:26379/1;sentinel://:s3cret@10.0.0.2:26379/1;sentinel://:s3cret@10.0.0.3:26379/1"
    )
    assert shown["transport"]["master_name"] == "cctv-redis"


def test_one_redis_url_works_as_before():
    shown = production(CACHE_URL="redis://127.0.0.1:6379/1", CELERY_BROKER_URL="redis://127.0.0.1:6379/0")
    assert shown["cache"]["BACKEND"] == "cctv.caching.redis_client.RedisCache"
    assert shown["cache"]["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert "pool_class" not in shown["cache"]["OPTIONS"]
    assert shown["transport"] == {}


def test_a_sentinel_url_with_another_scheme_in_it_is_refused():
    with pytest.raises(ValueError, match="sentinel://"):
        cluster.sentinel_addresses("sentinel://10.0.0.1:26379;redis://10.0.0.2:6379")


def test_the_sentinel_password_goes_to_the_sentinels_not_to_redis():
    cache = cluster.sentinel_cache("sentinel://h1:26379/2", master="m", sentinel_password="for-sentinels")
    assert cache["LOCATION"] == "redis://m/2"
    assert cache["OPTIONS"]["sentinel_kwargs"] == {"password": "for-sentinels"}
    options = cluster.broker_transport_options("sentinel://h1:26379", master="m", sentinel_password="for-sentinels")
    assert options["sentinel_kwargs"]["password"] == "for-sentinels"


def test_the_pool_reads_the_master_s_name_as_written_and_its_database():
    assert master_and_db("redis://:p%40ss@Cctv-Main/3") == ("Cctv-Main", 3, "p@ss")
    pool = SentinelPool.from_url("redis://Cctv-Main/3", sentinels=[["127.0.0.1", 26399]], socket_timeout=0.25)
    assert pool.service_name == "Cctv-Main"
    assert pool.connection_kwargs["db"] == 3
    assert pool.sentinel_manager.sentinels[0].connection_pool.connection_kwargs["socket_timeout"] == 0.25


def test_every_sentinel_of_the_broker_url_carries_the_database_and_the_password():
    """kombu fails over from one part of the URL to the next and reads each alone (found by `make drill`)."""
    from cctv.settings.cluster import broker_url

    given = "sentinel://10.0.0.11:26379;sentinel://10.0.0.12:26379;sentinel://:p%40ss@10.0.0.13:26379/2"
    assert broker_url(given) == (
        "sentinel://:p%40ss@10.0.0.11:26379/2;sentinel://:p%40ss@10.0.0.12:26379/2;sentinel://:p%40ss@10.0.0.13:26379/2"
    )
    assert broker_url("redis://127.0.0.1:6379/2") == "redis://127.0.0.1:6379/2"
    assert broker_url("memory://") == "memory://"


def test_celery_uses_the_whole_sentinel_url_even_from_the_environment(tmp_path):
    """Celery prefers the CELERY_BROKER_URL variable to the settings: the app rewrites the variable too."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "cctv.settings.test",
        "PYTHONPATH": f"{root / 'site'}:{root}",
        "CELERY_BROKER_URL": "sentinel://10.0.0.11:26379;sentinel://10.0.0.12:26379/2",
    }
    shown = subprocess.run(
        [sys.executable, "-c", "from cctv.celery import app; print(app.conf.broker_url)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout.strip()
    assert shown == "sentinel://10.0.0.11:26379/2;sentinel://10.0.0.12:26379/2"
