from cctv.caching.redis_client import RedisCache


def test_one_client_per_pool_is_reused():
    """Nothing connects until a command is sent, so no server is needed to check the client is shared."""
    cache = RedisCache("redis://127.0.0.1:1/0", {})
    client = cache._cache.get_client("key")
    assert cache._cache.get_client("other") is client
    assert cache._cache.get_client("key", write=True) is client  # one server: reads and writes share a pool
